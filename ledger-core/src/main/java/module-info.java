/**
 * ledger-core: accounts, a {@link dev.ledger.Bank} with pluggable {@link dev.ledger.lock.LockStrategy lock
 * strategies}, a two-phase-commit participant and an optional durable {@link dev.ledger.journal.Journal journal}.
 *
 * <p>Only the API packages are exported; {@code dev.ledger.internal} is shared with ledger's network module alone.
 * This module has no runtime dependencies beyond the JDK: {@code java.transaction.xa}, whose {@code XAResource}
 * {@link dev.ledger.xa.BankXAResource} implements, is one of its modules.
 */
@SuppressWarnings("module") // the qualified export names a module that is not on the path when this one builds
module dev.ledger.core {
    requires transitive java.transaction.xa;

    exports dev.ledger;
    exports dev.ledger.lock;
    exports dev.ledger.tx;
    exports dev.ledger.journal;
    exports dev.ledger.xa;
    exports dev.ledger.internal to dev.ledger.net;
}

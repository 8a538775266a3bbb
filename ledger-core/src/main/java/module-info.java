/**
 * ledger-core: accounts, a {@link dev.ledger.Bank} with pluggable {@link dev.ledger.lock.LockStrategy lock
 * strategies}, and a two-phase-commit participant.
 *
 * <p>Only the API packages are exported; this module has no runtime dependencies.
 */
module dev.ledger.core {
    exports dev.ledger;
    exports dev.ledger.lock;
}

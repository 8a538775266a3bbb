/**
 * ledger-net: a {@link dev.ledger.Bank} over TCP, speaking RESP2 and RESP3 (the Redis protocol). {@link
 * dev.ledger.net.BankServer} serves a bank, {@link dev.ledger.net.BankClient} talks to one, and {@link
 * dev.ledger.net.RemoteParticipant} lets a two-phase-commit coordinator drive a bank in another process.
 *
 * <p>Only {@code dev.ledger.net} is exported; the codec and the built-in commands are internal.
 */
module dev.ledger.net {
    requires transitive dev.ledger.core;

    exports dev.ledger.net;
}

/**
 * A {@link dev.ledger.Bank} over TCP in RESP2 or RESP3, the Redis protocol: {@link dev.ledger.net.BankServer} serves a
 * bank (one thread per connection, pipelined replies, bounded input), {@link dev.ledger.net.BankClient} is a
 * typed blocking client with {@link dev.ledger.net.Pipeline pipelines}, and {@link
 * dev.ledger.net.RemoteParticipant} is a remote bank as a two-phase-commit {@link dev.ledger.tx.Participant}.
 *
 * <p>Applications extend the server with {@link dev.ledger.net.CommandHandler}s, which see each request, write its
 * {@link dev.ledger.net.Reply} and keep per-connection state in the {@link dev.ledger.net.Session}.
 */
package dev.ledger.net;

/**
 * Two-phase commit: the {@link dev.ledger.tx.Participant} API that a {@link dev.ledger.Bank} implements, and a
 * transport-agnostic {@link dev.ledger.tx.Coordinator} that moves money atomically across participants.
 *
 * <p>Protocol in short: the coordinator asks every participant to {@code prepare} its legs; a participant holds
 * the debits (available = balance &minus; holds, as in TigerBeetle's pending transfers) and votes. Only if every
 * vote is COMMIT before the deadline does the coordinator record COMMIT in its {@link dev.ledger.tx.DecisionLog},
 * then tell everyone. No record means abort (presumed abort). A participant whose prepared transaction outlives
 * its timeout holds it <em>in doubt</em> and asks the coordinator through a
 * {@link dev.ledger.tx.DecisionResolver}; it never commits or drops it on its own.
 */
package dev.ledger.tx;

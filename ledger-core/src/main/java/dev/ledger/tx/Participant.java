package dev.ledger.tx;

import java.time.Duration;
import java.util.List;

/**
 * One side of two-phase commit: a bank, local or remote. Every method is idempotent, thread-safe and may be
 * called again after a lost reply.
 *
 * <p>A {@link dev.ledger.Bank} implements it in process; a network proxy implements it across processes, so the
 * {@link Coordinator} runs unchanged over either.
 */
public interface Participant {

    /** {@return the participant's name, used in abort messages such as "insufficient funds at alpha"} */
    String name();

    /**
     * Prepares a transaction: validates the legs, holds every debit so no other operation can spend it, and votes.
     * A repeated prepare returns the same vote. A prepare for a transaction already aborted votes ABORT.
     *
     * @param txId the transaction id, unique per coordinator
     * @param legs the legs at this participant: distinct accounts, non-zero signed amounts
     * @param timeout how long the holds wait for the decision before the transaction is in doubt
     * @return COMMIT, or ABORT with a reason
     */
    Vote prepare(String txId, List<Leg> legs, Duration timeout);

    /**
     * Commits a prepared transaction: applies its legs and releases its holds. Committing a committed transaction
     * does nothing and succeeds.
     *
     * @param txId the transaction id
     * @return {@link TxState#COMMITTED}
     * @throws dev.ledger.LedgerException {@code TRANSACTION_CONFLICT} if the transaction was aborted, or
     *     {@code UNKNOWN_TRANSACTION} if it was never prepared here
     */
    TxState commit(String txId);

    /**
     * Aborts a transaction: releases its holds. Aborting an aborted or unknown transaction succeeds; an unknown one
     * is remembered as aborted, so that a late prepare for it votes ABORT.
     *
     * @param txId the transaction id
     * @return {@link TxState#ABORTED}
     * @throws dev.ledger.LedgerException {@code TRANSACTION_CONFLICT} if the transaction was committed
     */
    TxState abort(String txId);

    /**
     * Returns what this participant knows of a transaction.
     *
     * @param txId the transaction id
     * @return its state; {@link TxState#UNKNOWN} if never seen
     */
    TxState status(String txId);

    /**
     * Returns every transaction prepared here and not yet committed or aborted, in doubt or not: what a transaction
     * manager's recovery asks a resource for. A participant that cannot list them throws.
     *
     * @return the ids, sorted
     * @throws UnsupportedOperationException if this participant cannot list them
     */
    default List<String> preparedTransactions() {
        throw new UnsupportedOperationException(name() + " cannot list its prepared transactions");
    }
}

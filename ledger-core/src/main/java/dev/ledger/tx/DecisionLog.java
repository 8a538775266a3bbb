package dev.ledger.tx;

import java.util.Optional;

/**
 * Where a coordinator records its decisions before it tells any participant. The first decision recorded for a
 * transaction wins and never changes; that is what makes presumed abort safe.
 *
 * <p>Implementations must be thread-safe; a durable one must have the record on stable storage before
 * {@link #decide} returns.
 */
public interface DecisionLog {

    /**
     * Records {@code decision} for {@code txId} unless a decision is already recorded.
     *
     * @param txId the transaction
     * @param decision {@link TxState#COMMITTED} or {@link TxState#ABORTED}
     * @return the decision now recorded: {@code decision}, or the earlier one that won
     */
    TxState decide(String txId, TxState decision);

    /**
     * Returns the recorded decision.
     *
     * @param txId the transaction
     * @return the decision, or empty if none is recorded
     */
    Optional<TxState> decision(String txId);
}

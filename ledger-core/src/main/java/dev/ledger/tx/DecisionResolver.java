package dev.ledger.tx;

/**
 * How a participant learns the decision for a transaction it holds in doubt: usually by asking the coordinator's
 * {@link Coordinator#status(String)}, locally or over the network.
 */
@FunctionalInterface
public interface DecisionResolver {
    /**
     * Returns the coordinator's decision.
     *
     * @param txId the transaction in doubt
     * @return {@link TxState#COMMITTED} or {@link TxState#ABORTED}; {@link TxState#UNKNOWN} means aborted (presumed
     *     abort); {@link TxState#PREPARED} means not decided yet
     * @throws RuntimeException if the coordinator cannot be reached; the transaction then stays in doubt
     */
    TxState decision(String txId);
}

package dev.ledger.tx;

/** Where a transaction stands, as a participant or a coordinator knows it. */
public enum TxState {
    /** Prepared (holds taken) and waiting for the decision. */
    PREPARED,
    /** Committed: the legs were applied. Final. */
    COMMITTED,
    /** Aborted: nothing was applied and any holds were released. Final. */
    ABORTED,
    /** Never seen. For a participant or coordinator it means aborted (presumed abort). */
    UNKNOWN;

    /** {@return whether the state can no longer change} */
    public boolean isFinal() {
        return this == COMMITTED || this == ABORTED;
    }
}

package dev.ledger.tx;

import java.util.concurrent.CompletableFuture;

/**
 * What a {@link Coordinator} decided for one distributed transfer, and why.
 *
 * <p>A committed result is final as soon as it is returned: the decision is in the coordinator's log. The
 * participants may still be acknowledging it; {@link #settled()} completes once every one has.
 */
public final class TransferResult {
    private final String txId;
    private final TxState state;
    private final AbortReason reason;
    private final String participant;
    private final String message;
    private final CompletableFuture<Void> settled;

    TransferResult(String txId, TxState state, AbortReason reason, String participant, String message,
            CompletableFuture<Void> settled) {
        this.txId = txId;
        this.state = state;
        this.reason = reason;
        this.participant = participant;
        this.message = message;
        this.settled = settled;
    }

    /** {@return the transaction id the coordinator assigned} */
    public String txId() {
        return txId;
    }

    /** {@return {@link TxState#COMMITTED} or {@link TxState#ABORTED}} */
    public TxState state() {
        return state;
    }

    /** {@return whether the transfer committed} */
    public boolean committed() {
        return state == TxState.COMMITTED;
    }

    /** {@return why the transfer aborted, or {@code null} if it committed} */
    public AbortReason reason() {
        return reason;
    }

    /** {@return the name of the participant that caused the abort, or {@code null} if it committed} */
    public String participant() {
        return participant;
    }

    /**
     * {@return a sentence for a person: "committed", or the reason and the participant}
     * For example "insufficient funds at alpha: ...", "beta unreachable: ..." or "beta timed out after 2000 ms".
     */
    public String message() {
        return message;
    }

    /**
     * {@return a future that completes when the coordinator is done telling the participants}
     * For a commit, that is when
     * every participant has acknowledged it (retried until it does); for an abort, when every participant has
     * answered the one abort sent, or failed to (presumed abort lets those learn it from status).
     */
    public CompletableFuture<Void> settled() {
        return settled;
    }

    @Override
    public String toString() {
        return "TransferResult[" + txId + " " + state + (committed() ? "" : ": " + message) + "]";
    }
}

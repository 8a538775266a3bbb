package dev.ledger.tx;

import java.util.Objects;

/**
 * A participant's answer to prepare.
 *
 * @param commit whether the participant votes COMMIT (its holds are in place)
 * @param reason why it votes ABORT; {@code null} for a COMMIT vote
 * @param message a sentence for a person; empty for a COMMIT vote
 */
public record Vote(boolean commit, AbortReason reason, String message) {
    private static final Vote COMMIT = new Vote(true, null, "");

    /**
     * Checks that an ABORT vote has a reason and a COMMIT vote has none.
     *
     * @param commit whether the vote is COMMIT
     * @param reason why ABORT, or {@code null}
     * @param message a sentence for a person
     */
    public Vote {
        if (commit != (reason == null)) {
            throw new IllegalArgumentException("a COMMIT vote has no reason and an ABORT vote has one");
        }
        message = Objects.requireNonNullElse(message, "");
    }

    /** {@return a COMMIT vote} */
    public static Vote commitVote() {
        return COMMIT;
    }

    /**
     * Returns an ABORT vote.
     *
     * @param reason why
     * @param message a sentence for a person
     * @return the vote
     */
    public static Vote abortVote(AbortReason reason, String message) {
        return new Vote(false, Objects.requireNonNull(reason, "reason"), message);
    }
}

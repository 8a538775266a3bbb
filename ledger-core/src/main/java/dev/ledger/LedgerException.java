package dev.ledger;

import java.util.Objects;

/**
 * A misuse of the bank: an invalid argument, an unknown account, or an operation that would overflow.
 *
 * <p>The rule: a <em>business rejection</em> (insufficient funds) is a normal outcome and is returned as an
 * {@link Outcome}; a <em>misuse</em> is thrown as this exception. Either way no balance changes: every argument is
 * checked before any account is touched.
 */
public final class LedgerException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** What was wrong. */
    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code what was wrong
     * @param message a sentence for a person, naming the offending value
     */
    public LedgerException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** {@return what was wrong} */
    public ErrorCode code() {
        return code;
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.LedgerException;
import java.util.Objects;

/**
 * A customer's request that a bank refuses, and why. Thrown by {@link CustomerService}, the one implementation of
 * each customer operation; each front door turns the {@link Reason} into its own words: the RESP commands into an
 * error reply's kind, the REST API into an HTTP status and an error code.
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a request is refused, and how each front door says it. */
    enum Reason {
        /** Malformed or out-of-range input. */
        BAD_REQUEST("ERR", 400, "bad_request"),
        /** No owner logged in, or wrong credentials. */
        UNAUTHORIZED("DENIED", 401, "unauthorized"),
        /** Not the owner's account; an unknown account of this bank looks the same, so neither is revealed. */
        FORBIDDEN("DENIED", 403, "forbidden"),
        /** A transfer's destination account does not exist. */
        NOT_FOUND("FAILED", 404, "not_found"),
        /** Taken already: a tax id, an account id. */
        CONFLICT("ERR", 409, "conflict"),
        /** An account's available money does not cover the amount. */
        INSUFFICIENT_FUNDS("FAILED", 409, "insufficient_funds"),
        /** A bank refused a transfer for another reason, such as an account that cannot take that much money. */
        REFUSED("FAILED", 409, "refused"),
        /** Too many failed logins: wait and try again. */
        TOO_MANY_ATTEMPTS("LOCKED", 429, "too_many_attempts"),
        /** Another bank did not answer in time; nothing moved. */
        UNAVAILABLE("FAILED", 503, "unavailable");

        private final String respKind;
        private final int httpStatus;
        private final String code;

        Reason(String respKind, int httpStatus, String code) {
            this.respKind = respKind;
            this.httpStatus = httpStatus;
            this.code = code;
        }

        /** {@return the first word of the RESP error reply} */
        String respKind() {
            return respKind;
        }

        /** {@return the HTTP status} */
        int httpStatus() {
            return httpStatus;
        }

        /** {@return the REST API's error code} */
        String code() {
            return code;
        }
    }

    private final Reason reason;
    private final long retryAfterSeconds;

    /**
     * Creates a refusal.
     *
     * @param reason why
     * @param message a sentence for a person, naming the offending value
     */
    Refusal(Reason reason, String message) {
        this(reason, message, 0);
    }

    /**
     * Creates a refusal that may be retried after a while.
     *
     * @param reason why
     * @param message a sentence for a person
     * @param retryAfterSeconds when to try again; 0 if that does not apply
     */
    Refusal(Reason reason, String message, long retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@return a {@link Reason#BAD_REQUEST} refusal} */
    static Refusal badRequest(String message) {
        return new Refusal(Reason.BAD_REQUEST, message);
    }

    /**
     * {@return the refusal a front door says for a bank's {@link LedgerException}} The bank has refused the call and
     * changed nothing.
     *
     * @param refused what the bank threw
     */
    static Refusal of(LedgerException refused) {
        Reason reason = switch (refused.code()) {
            case UNKNOWN_ACCOUNT, UNKNOWN_TRANSACTION -> Reason.NOT_FOUND;
            case DUPLICATE_ACCOUNT -> Reason.CONFLICT;
            case OVERFLOW -> Reason.REFUSED;
            default -> Reason.BAD_REQUEST;
        };
        return new Refusal(reason, refused.getMessage());
    }

    /** {@return why} */
    Reason reason() {
        return reason;
    }

    /** {@return after how many seconds a retry may succeed; 0 if that does not apply} */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

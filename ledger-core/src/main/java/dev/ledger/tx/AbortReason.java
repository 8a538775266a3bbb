package dev.ledger.tx;

/** Why a transaction was voted or decided ABORT. */
public enum AbortReason {
    /** A debited account's available money did not cover its leg. */
    INSUFFICIENT_FUNDS,
    /** A leg named an account the participant does not have. */
    UNKNOWN_ACCOUNT,
    /** The request was malformed: a zero amount, an account twice, an overflow, a reused transaction id. */
    INVALID,
    /** The transaction was already aborted when the prepare arrived (an abort overtook it). */
    ALREADY_ABORTED,
    /** The participant could not be reached, or failed while answering. */
    UNREACHABLE,
    /** The participant did not answer before the deadline. */
    TIMEOUT
}

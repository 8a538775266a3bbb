package dev.ledger;

/** What was wrong with a rejected call: the machine-readable half of a {@link LedgerException}. */
public enum ErrorCode {
    /** An account id does not match {@code [A-Za-z0-9_.-]{1,64}}. */
    INVALID_ID,
    /** An amount is zero or negative where a positive one is required, or an initial balance is negative. */
    INVALID_AMOUNT,
    /** No account has this id in this bank. */
    UNKNOWN_ACCOUNT,
    /** An account with this id is already open. */
    DUPLICATE_ACCOUNT,
    /** A handle of another bank was passed to this one. */
    FOREIGN_ACCOUNT,
    /** The same account stands twice in one operation, for example as source and destination. */
    SAME_ACCOUNT,
    /** The operation would take an account's balance, with the credits promised to it, past {@link Long#MAX_VALUE};
     * or a total asked for as a long does not fit one. */
    OVERFLOW,
    /** The request is malformed in some other way, for example a multi-leg transfer with no source. */
    INVALID_REQUEST,
    /** A two-phase-commit call named a transaction this participant never prepared. */
    UNKNOWN_TRANSACTION,
    /** A two-phase-commit call contradicts the transaction's state: commit after abort, abort after commit, or a
     * transaction id reused with different legs. */
    TRANSACTION_CONFLICT
}

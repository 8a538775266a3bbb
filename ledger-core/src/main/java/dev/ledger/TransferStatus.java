package dev.ledger;

/**
 * What became of one {@link Transfer}: applied, a repeat of one applied before, refused for lack of money, or
 * refused as malformed. A refused transfer changed nothing and its id is not remembered, so it may be sent again.
 */
public enum TransferStatus {
    /** The transfer was applied now. */
    OK,
    /** A transfer with this id and the same accounts and amount was applied before; nothing changed now. */
    REPEATED,
    /** The source's available money (balance less holds) did not cover the amount. */
    INSUFFICIENT_FUNDS,
    /** A transfer with this id was applied before with other accounts or another amount. */
    ID_CONFLICT,
    /** The id does not follow the account-id rule. */
    INVALID_ID,
    /** An account is not open in this bank. */
    UNKNOWN_ACCOUNT,
    /** The source and the destination are the same account. */
    SAME_ACCOUNT,
    /** The amount is zero or negative. */
    INVALID_AMOUNT,
    /** The destination's balance plus the credits promised to it would pass {@link Long#MAX_VALUE}. */
    OVERFLOW,
    /** Another transfer of its linked chain failed, so none of the chain was applied. */
    CHAIN_FAILED,
    /** The batch ended inside its linked chain (its last transfer is linked to a next one), so none was applied. */
    CHAIN_OPEN;

    /** {@return whether the money moved: now, or by the first transfer with this id} */
    public boolean isApplied() {
        return this == OK || this == REPEATED;
    }
}

package dev.ledger;

/** The result of an operation that may be refused for business reasons. Misuse is thrown instead. */
public enum Outcome {
    /** The operation was applied. */
    OK,
    /** A source account's available money (balance less holds) did not cover the amount; nothing changed. */
    INSUFFICIENT_FUNDS;

    /** {@return whether the operation was applied} */
    public boolean isOk() {
        return this == OK;
    }
}

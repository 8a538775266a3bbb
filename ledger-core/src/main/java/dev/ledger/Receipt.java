package dev.ledger;

/**
 * The outcome of a withdrawal and the account's balance right after it (unchanged when refused).
 *
 * @param outcome whether the withdrawal was applied
 * @param balance the account's balance after the operation, read under the same lock
 */
public record Receipt(Outcome outcome, long balance) {
}

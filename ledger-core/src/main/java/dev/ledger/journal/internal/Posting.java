package dev.ledger.journal.internal;

/**
 * A signed amount on one account: negative takes money from it, positive pays money into it.
 *
 * @param account the account's ordinal in its bank
 * @param amount the signed amount, never zero
 */
public record Posting(int account, long amount) {
}

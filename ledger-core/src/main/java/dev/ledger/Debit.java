package dev.ledger;

import java.util.Objects;

/**
 * One source leg of a multi-leg transfer: take {@code amount} from {@code account}.
 *
 * @param account the source account
 * @param amount the amount to take, in minor units; positive
 */
public record Debit(Account account, long amount) {
    /**
     * Checks that the account is given; the bank checks the amount.
     *
     * @param account the source account
     * @param amount the amount to take
     */
    public Debit {
        Objects.requireNonNull(account, "account");
    }

    /**
     * Returns a leg taking {@code amount} from {@code account}.
     *
     * @param account the source account
     * @param amount the amount, in minor units
     * @return the leg
     */
    public static Debit of(Account account, long amount) {
        return new Debit(account, amount);
    }
}

package dev.ledger.tx;

import java.util.Objects;

/**
 * One leg of a distributed transaction at one participant: a signed amount on one account. A negative amount is
 * a debit (held at prepare, taken at commit); a positive amount is a credit (paid in at commit).
 *
 * @param account the account's id at that participant
 * @param amount the signed amount in minor units; never zero
 */
public record Leg(String account, long amount) {
    /**
     * Checks that the account is given; the participant checks the rest and votes.
     *
     * @param account the account's id
     * @param amount the signed amount
     */
    public Leg {
        Objects.requireNonNull(account, "account");
    }

    /**
     * Returns a debit leg.
     *
     * @param account the account's id
     * @param amount a positive amount to take
     * @return the leg, with amount {@code -amount}
     */
    public static Leg debit(String account, long amount) {
        return new Leg(account, -amount);
    }

    /**
     * Returns a credit leg.
     *
     * @param account the account's id
     * @param amount a positive amount to pay in
     * @return the leg
     */
    public static Leg credit(String account, long amount) {
        return new Leg(account, amount);
    }
}

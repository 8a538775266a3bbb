package dev.ledger.lock;

import dev.ledger.Account;

/**
 * A write section over one or two accounts. The bank supplies it; a {@link LockStrategy} runs it exactly once
 * while it holds exclusive access to both accounts.
 */
@FunctionalInterface
public interface PairSection {
    /**
     * Runs the section.
     *
     * @param first the first account of the request
     * @param second the second account of the request, or {@code null} for an operation on one account
     * @param amount the operation's amount
     * @return the operation's result code, which the strategy returns unchanged
     */
    long apply(Account first, Account second, long amount);
}

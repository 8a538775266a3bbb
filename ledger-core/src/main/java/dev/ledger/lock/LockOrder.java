package dev.ledger.lock;

import dev.ledger.Account;
import java.util.Arrays;
import java.util.Comparator;

/** The global lock order: ascending {@link Account#ordinal()}, the account's creation index. */
public final class LockOrder {
    private static final Comparator<Account> BY_ORDINAL = Comparator.comparingInt(Account::ordinal);

    private LockOrder() {
    }

    /**
     * Returns the accounts in lock order: the array itself if already sorted, otherwise a sorted copy.
     *
     * @param accounts distinct accounts
     * @return the accounts by ascending ordinal
     */
    public static Account[] sorted(Account[] accounts) {
        for (int i = 1; i < accounts.length; i++) {
            if (accounts[i - 1].ordinal() > accounts[i].ordinal()) {
                Account[] copy = accounts.clone();
                Arrays.sort(copy, BY_ORDINAL);
                return copy;
            }
        }
        return accounts;
    }

    /**
     * Returns whichever of two accounts comes first in lock order.
     *
     * @param a an account
     * @param b another account
     * @return the one with the lower ordinal
     */
    public static Account first(Account a, Account b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }
}

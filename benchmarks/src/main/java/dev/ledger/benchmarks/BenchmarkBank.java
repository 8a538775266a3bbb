package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.lock.LockStrategies;

/** Opens the banks the benchmarks measure, and checks after a trial that they lost no money. */
final class BenchmarkBank {
    /** Every transfer moves this much, so a source almost never runs short and every strategy does the same work. */
    static final long AMOUNT = 1;

    /**
     * Each account's opening balance: 2^40 minor units. Random transfers of 1 make a random walk that drifts by
     * about the square root of the number of operations, far less than this in any run, and 4096 such balances
     * still sum far below {@link Long#MAX_VALUE}.
     */
    static final long INITIAL_BALANCE = 1L << 40;

    private BenchmarkBank() {
    }

    /**
     * Builds a bank with the strategy and opens {@code accounts} accounts.
     *
     * @return the handles, by index: the benchmarks pick indexes and never look ids up in the measured code
     */
    static Account[] open(Bank bank, int accounts) {
        Account[] handles = new Account[accounts];
        for (int i = 0; i < accounts; i++) {
            handles[i] = bank.open("account-" + i, INITIAL_BALANCE);
        }
        return handles;
    }

    /** Builds a bank with the given strategy. */
    static Bank build(LockStrategies strategy) {
        return Bank.builder().strategy(strategy).build();
    }

    /** Throws if the bank's total is not what was opened: a broken strategy must not produce a number. */
    static void checkMoneyConserved(Bank bank, int accounts) {
        long expected = accounts * INITIAL_BALANCE;
        long total = bank.total();
        if (total != expected) {
            throw new IllegalStateException(bank.strategy() + " lost money: total " + total + ", expected " + expected);
        }
    }
}

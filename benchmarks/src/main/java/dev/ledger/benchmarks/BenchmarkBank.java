package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The bank one trial measures: opened fresh before the trial, checked after it to hold exactly the money it opened
 * with, so that a broken strategy fails the run instead of producing a number.
 *
 * <p>A benchmark passes a subclass of it to its methods as a JMH state. The subclass chooses the
 * {@link org.openjdk.jmh.annotations.State @State} scope (who shares the bank) and declares the
 * {@code @Param int accounts}, since each benchmark has its own numbers of accounts.
 *
 * <p>Concurrency: {@link #bank} and {@link #handles} are written once, in the trial's setup, which JMH completes
 * before any measured thread reads them; the bank itself is the concurrent object under test.
 */
public abstract class BenchmarkBank {
    /** Every transfer moves this much, so a source almost never runs short and every strategy does the same work. */
    static final long AMOUNT = 1;

    /**
     * Each account's opening balance: 2^40 minor units. Random transfers of 1 make a random walk that drifts by
     * about the square root of the number of operations, far less than this in any run, and 4096 such balances
     * still sum far below {@link Long#MAX_VALUE}.
     */
    static final long INITIAL_BALANCE = 1L << 40;

    /** The trial's bank. */
    Bank bank;

    /** The accounts' handles, by index: the benchmarks pick indexes and never look ids up in the measured code. */
    Account[] handles;

    /**
     * The number of accounts to open.
     *
     * @return the subclass's {@code accounts} parameter
     */
    abstract int accounts();

    /**
     * Builds the bank to measure.
     *
     * @return a new bank, with no accounts yet
     */
    abstract Bank newBank();

    /**
     * Whether this trial's bank must end with the money it opened with. Only a bank raced on purpose may not.
     *
     * @param params the trial's settings
     * @return true unless a subclass says otherwise
     */
    boolean mustConserveMoney(BenchmarkParams params) {
        return true;
    }

    /** Opens a fresh bank with {@link #accounts()} accounts for each trial. */
    @Setup(Level.Trial)
    public void openBank() {
        bank = newBank();
        handles = new Account[accounts()];
        for (int i = 0; i < handles.length; i++) {
            handles[i] = bank.open("account-" + i, INITIAL_BALANCE);
        }
    }

    /**
     * Fails the trial if the bank's total is not what was opened.
     *
     * @param params the trial's settings
     */
    @TearDown(Level.Trial)
    public void checkMoneyConserved(BenchmarkParams params) {
        if (!mustConserveMoney(params)) {
            return;
        }
        long expected = accounts() * INITIAL_BALANCE;
        long total = bank.total();
        if (total != expected) {
            throw new IllegalStateException(bank.strategy() + " lost money: total " + total + ", expected " + expected);
        }
    }

    /**
     * One transfer of {@link #AMOUNT} between the accounts of the next pair: the operation most benchmarks measure.
     *
     * @param pairs the calling thread's pairs
     * @return the outcome, for the benchmark to return
     */
    final Outcome transfer(Pairs pairs) {
        IndexRing ring = pairs.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], AMOUNT);
    }
}

package dev.ledger.benchmarks;

import dev.ledger.Outcome;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The ceiling: the transfer logic of {@link TransferBenchmark} (check the source has enough, debit it, credit the
 * destination) on a plain {@code long[]} of balances, with no synchronization, no bank and no argument checks, and
 * the same random picks. It is the physical reference the strategies are measured against: what one core does
 * when a transfer costs nothing but its memory accesses.
 *
 * <p>The benchmark state is per thread, so even a run with more threads shares nothing; run it with one thread:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CeilingBenchmark -t 1 -rf json -rff benchmarks/results/ceiling.json
 * </pre>
 *
 * <p>Concurrency: none by design; the state is per thread and the run uses one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
public class CeilingBenchmark {
    /** The number of accounts, as in {@link TransferBenchmark}. */
    @Param({"2", "64", "4096"})
    public int accounts;

    private long[] balances;
    private IndexRing ring;

    /**
     * Opens the accounts and fills the picks as {@link TransferBenchmark} does.
     *
     * @param thread this thread's index, the seed
     */
    @Setup(Level.Trial)
    public void openAccounts(ThreadParams thread) {
        balances = new long[accounts];
        Arrays.fill(balances, BenchmarkBank.INITIAL_BALANCE);
        ring = new IndexRing(accounts, 2, thread.getThreadIndex());
    }

    /** Fails the trial if money was lost, as the bank benchmarks do. */
    @TearDown(Level.Trial)
    public void checkMoneyConserved() {
        long total = 0;
        for (long balance : balances) {
            total += balance;
        }
        if (total != accounts * BenchmarkBank.INITIAL_BALANCE) {
            throw new IllegalStateException("the ceiling lost money: total " + total);
        }
    }

    /**
     * One unsynchronized transfer of 1 between the next pair of accounts.
     *
     * @return the outcome, as the bank returns it
     */
    @Benchmark
    public Outcome transfer() {
        ring.advance();
        int from = ring.at(0);
        int to = ring.at(1);
        if (balances[from] < BenchmarkBank.AMOUNT) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        balances[from] -= BenchmarkBank.AMOUNT;
        balances[to] += BenchmarkBank.AMOUNT;
        return Outcome.OK;
    }
}

package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.jcstress.UnsynchronizedStrategy;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The ceiling: {@link TransferBenchmark}'s transfers on the same {@link Bank} with no synchronization at all (the
 * jcstress negative control's {@link UnsynchronizedStrategy}). Everything else is the same: the argument checks,
 * the balance check, the debit and credit, the returned outcome, the accounts and the picks. So the gap between a
 * strategy and the ceiling is exactly what the strategy's synchronization costs.
 *
 * <p>With one thread it is the physical reference the strategies are measured against. With two threads on one
 * shared bank it loses updates, so its money is not checked; it then measures what moving the accounts' cache
 * lines between cores costs when nothing waits for anything, the bound on any strategy's parallel speed-up.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CeilingBenchmark -t 1 -rf json -rff benchmarks/results/ceiling-t1.json
 * java -jar benchmarks/target/benchmarks.jar CeilingBenchmark -t 2 -rf json -rff benchmarks/results/ceiling-t2.json
 * </pre>
 *
 * <p>Concurrency: none by design; with more than one thread the bank's accounts are raced on purpose.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class CeilingBenchmark {
    /** The number of accounts, as in {@link TransferBenchmark}. */
    @Param({"2", "64", "4096"})
    public int accounts;

    private Bank bank;
    private Account[] handles;

    /** Opens a fresh unsynchronized bank for each trial. */
    @Setup(Level.Trial)
    public void openBank() {
        bank = Bank.builder().strategy(new UnsynchronizedStrategy()).build();
        handles = BenchmarkBank.open(bank, accounts);
    }

    /**
     * Fails a one-thread trial that lost money, as the strategies' trials do; a racing trial is expected to.
     *
     * @param params the trial's settings, for its number of threads
     */
    @TearDown(Level.Trial)
    public void checkMoneyConserved(BenchmarkParams params) {
        if (params.getThreads() == 1) {
            BenchmarkBank.checkMoneyConserved(bank, accounts);
        }
    }

    /** Per-thread state: the thread's own ring of random (from, to) index pairs, seeded as the strategies' are. */
    @State(Scope.Thread)
    public static class Picks {
        IndexRing ring;

        /**
         * Fills the ring for this trial's number of accounts.
         *
         * @param benchmark the trial's shared state, for its number of accounts
         * @param thread this thread's index, the seed
         */
        @Setup(Level.Trial)
        public void fill(CeilingBenchmark benchmark, ThreadParams thread) {
            ring = new IndexRing(benchmark.accounts, 2, thread.getThreadIndex());
        }
    }

    /**
     * One unsynchronized transfer of 1 between the next pair of accounts.
     *
     * @param picks this thread's pairs, the same as {@link TransferBenchmark}'s
     * @return the outcome, so that JMH consumes it
     */
    @Benchmark
    public Outcome transfer(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], BenchmarkBank.AMOUNT);
    }
}

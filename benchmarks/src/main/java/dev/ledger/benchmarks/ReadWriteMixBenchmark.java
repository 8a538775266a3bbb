package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.lock.LockStrategies;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * One writer thread doing transfers and one reader thread doing {@link Bank#balance(Account)} reads on the same
 * bank, at the same time: how much each strategy's reads cost its writes and the other way round. JMH reports each
 * side on its own line ({@code mix:transfer}, {@code mix:balance}) besides their sum.
 *
 * <p>The benchmark state: the bank of one trial, shared by the group's two threads.
 *
 * <p>Run it from the repository root (the group sets the threads; give no {@code -t}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ReadWriteMixBenchmark -rf json -rff benchmarks/results/mix.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Group)
public class ReadWriteMixBenchmark {
    /** The strategy under test; every constant of the registry. */
    @Param
    public LockStrategies strategy;

    /** The number of accounts: the fewer, the more often the reader meets the writer. */
    @Param({"2", "64", "4096"})
    public int accounts;

    private Bank bank;
    private Account[] handles;

    /** Opens a fresh bank for each trial. */
    @Setup(Level.Trial)
    public void openBank() {
        bank = BenchmarkBank.build(strategy);
        handles = BenchmarkBank.open(bank, accounts);
    }

    /** Fails the trial if the strategy lost or created money. */
    @TearDown(Level.Trial)
    public void checkMoneyConserved() {
        BenchmarkBank.checkMoneyConserved(bank, accounts);
    }

    /** Per-thread state: the thread's own ring of random index pairs; the reader uses the first of each pair. */
    @State(Scope.Thread)
    public static class Picks {
        IndexRing ring;

        /**
         * Fills the ring for this trial's number of accounts.
         *
         * @param benchmark the group's shared state, for its number of accounts
         * @param thread this thread's index, the seed
         */
        @Setup(Level.Trial)
        public void fill(ReadWriteMixBenchmark benchmark, ThreadParams thread) {
            ring = new IndexRing(benchmark.accounts, 2, thread.getThreadIndex());
        }
    }

    /**
     * The writer: one transfer of 1 between the next pair of accounts.
     *
     * @param picks this thread's pairs
     * @return the outcome
     */
    @Benchmark
    @Group("mix")
    @GroupThreads(1)
    public Outcome transfer(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], BenchmarkBank.AMOUNT);
    }

    /**
     * The reader: the balance of the next account.
     *
     * @param picks this thread's picks
     * @return the balance
     */
    @Benchmark
    @Group("mix")
    @GroupThreads(1)
    public long balance(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.balance(handles[ring.at(0)]);
    }
}

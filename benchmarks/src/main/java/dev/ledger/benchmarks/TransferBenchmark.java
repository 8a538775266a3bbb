package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.lock.LockStrategies;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Throughput of two-account transfers under each lock strategy. The number of accounts is the contention knob: with
 * 2 accounts every pair of concurrent transfers collides, with 4096 they rarely do. Each operation is one
 * {@link Bank#transfer(Account, Account, long)} of 1 between two distinct random accounts, on handles resolved
 * before the measurement.
 *
 * <p>The benchmark state: the bank of one trial, shared by all threads.
 *
 * <p>Run it from the repository root, once per thread count (JMH takes one {@code -t} per run):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TransferBenchmark -t 1 -rf json -rff benchmarks/results/transfer-t1.json
 * java -jar benchmarks/target/benchmarks.jar TransferBenchmark -t 2 -rf json -rff benchmarks/results/transfer-t2.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class TransferBenchmark {
    /** The strategy under test. No values given, so JMH runs every constant: the same set tests and jcstress use. */
    @Param
    public LockStrategies strategy;

    /** The number of accounts: the fewer, the more often threads collide. */
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

    /** Per-thread state: the thread's own ring of random (from, to) index pairs. */
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
        public void fill(TransferBenchmark benchmark, ThreadParams thread) {
            ring = new IndexRing(benchmark.accounts, 2, thread.getThreadIndex());
        }
    }

    /**
     * One transfer of 1 between the next pair of accounts.
     *
     * @param picks this thread's pairs
     * @return the outcome, so that JMH consumes it
     */
    @Benchmark
    public Outcome transfer(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], BenchmarkBank.AMOUNT);
    }
}

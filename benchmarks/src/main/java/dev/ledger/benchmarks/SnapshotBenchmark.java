package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.Snapshot;
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
 * Latency of {@link Bank#snapshot()} over 4096 accounts while a second thread keeps transferring between them: what
 * a consistent cut costs each strategy when writers do not stop for it. Sampled, so the report has percentiles as
 * well as the mean; the line to read is {@code snapshotWhileTransferring:snapshot} (the
 * {@code :transfer} line is the writer's latency during snapshots).
 *
 * <p>The benchmark state: the bank of one trial, shared by the group's two threads.
 *
 * <p>Run it from the repository root (the group sets the threads; give no {@code -t}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -rf json -rff benchmarks/results/snapshot.json
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Group)
public class SnapshotBenchmark {
    /** The strategy under test; every constant of the registry. */
    @Param
    public LockStrategies strategy;

    /** The number of accounts a snapshot copies. */
    @Param({"4096"})
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

    /** Per-thread state: the writer's ring of random index pairs. */
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
        public void fill(SnapshotBenchmark benchmark, ThreadParams thread) {
            ring = new IndexRing(benchmark.accounts, 2, thread.getThreadIndex());
        }
    }

    /**
     * The measured side: one consistent snapshot of every account.
     *
     * @return the snapshot
     */
    @Benchmark
    @Group("snapshotWhileTransferring")
    @GroupThreads(1)
    public Snapshot snapshot() {
        return bank.snapshot();
    }

    /**
     * The concurrent writer: one transfer of 1 between the next pair of accounts.
     *
     * @param picks this thread's pairs
     * @return the outcome
     */
    @Benchmark
    @Group("snapshotWhileTransferring")
    @GroupThreads(1)
    public Outcome transfer(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], BenchmarkBank.AMOUNT);
    }
}

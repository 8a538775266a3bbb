package dev.ledger.benchmarks;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.Snapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Latency of {@link Bank#snapshot()} over 4096 accounts while a second thread keeps transferring between them: what
 * a consistent cut costs each strategy when writers do not stop for it. Sampled, so the report has percentiles as
 * well as the mean; the line to read is {@code snapshotWhileTransferring:snapshot} (the
 * {@code :transfer} line is the writer's latency during snapshots).
 *
 * <p>Run it from the repository root (the group sets the threads; give no {@code -t}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar SnapshotBenchmark -rf json -rff benchmarks/results/snapshot.json
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SnapshotBenchmark {
    /**
     * The bank of one trial, shared by the group's two threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Group)
    public static class GroupBank extends StrategyBank {
        /** The number of accounts a snapshot copies. */
        @Param({"4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /**
     * The measured side: one consistent snapshot of every account.
     *
     * @param group the group's bank
     * @return the snapshot
     */
    @Benchmark
    @Group("snapshotWhileTransferring")
    @GroupThreads(1)
    public Snapshot snapshot(GroupBank group) {
        return group.bank.snapshot();
    }

    /**
     * The concurrent writer: one transfer of 1 between the next pair of accounts.
     *
     * @param group the group's bank
     * @param pairs this thread's pairs
     * @return the outcome
     */
    @Benchmark
    @Group("snapshotWhileTransferring")
    @GroupThreads(1)
    public Outcome transfer(GroupBank group, Pairs pairs) {
        return group.transfer(pairs);
    }
}

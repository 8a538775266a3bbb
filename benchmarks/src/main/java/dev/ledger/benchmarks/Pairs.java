package dev.ledger.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A benchmark thread's own ring of random (from, to) account index pairs, seeded by the thread's index so that
 * every strategy replays the same pairs.
 *
 * <p>Concurrency: {@link Scope#Thread}: each benchmark thread has its own.
 */
@State(Scope.Thread)
public class Pairs {
    /** The pairs; the measured code advances it. */
    IndexRing ring;

    /**
     * Fills the ring for this trial's number of accounts.
     *
     * @param benchmark the trial's settings, for its {@code accounts} parameter and {@code hotPercent} if it has one:
     *     read there rather than from the bank, so that one class serves every benchmark's bank state
     * @param thread this thread's index, the seed
     */
    @Setup(Level.Trial)
    public void fill(BenchmarkParams benchmark, ThreadParams thread) {
        String hot = benchmark.getParam("hotPercent"); // only HotAccountBenchmark has it
        ring = new IndexRing(Integer.parseInt(benchmark.getParam("accounts")), 2, thread.getThreadIndex(),
                hot == null ? 0 : Integer.parseInt(hot));
    }
}

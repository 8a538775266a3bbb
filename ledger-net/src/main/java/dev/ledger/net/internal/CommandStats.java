package dev.ledger.net.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * One command's figures for {@code INFO commandstats} and {@code INFO latencystats}: calls, time spent, calls that
 * replied an error, calls refused before they ran.
 *
 * <p>Concurrency: lock-free; striped counters, so connections calling the same command do not contend on one
 * cache line.
 */
public final class CommandStats {
    private final LongAdder nanos = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    /** Counts a call that ran for {@code elapsed} nanoseconds, and whether it replied an error. */
    void record(long elapsed, boolean error) {
        nanos.add(elapsed);
        latency.record(elapsed);
        if (error) {
            failed.increment();
        }
    }

    /** Counts a call refused before it ran (not authenticated). */
    void reject() {
        rejected.increment();
    }

    /** Returns the calls so far: the histogram's count, so a call costs one counter less. */
    public long calls() {
        return latency.count();
    }

    public long micros() {
        return nanos.sum() / 1000;
    }

    public long failed() {
        return failed.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    public LatencyHistogram latency() {
        return latency;
    }
}

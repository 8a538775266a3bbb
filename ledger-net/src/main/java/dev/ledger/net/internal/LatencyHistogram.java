package dev.ledger.net.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts durations in nanoseconds in fixed log-linear buckets, as HdrHistogram does with two significant digits:
 * below 64 ns one bucket per nanosecond, above that 32 buckets per power of two, so a bucket's midpoint is within
 * about 1.6 % of any value in it. Durations past 2^45 ns (about 9.8 hours) share the last bucket.
 *
 * <p>Concurrency: lock-free. Each bucket is a striped counter, made the first time a duration falls in it (a CAS;
 * a command's durations fill a few dozen buckets), so connections recording the same command's typical duration do
 * not contend on one cache line. A percentile read while others record sees each bucket at some moment of its own,
 * which is all a statistic needs.
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 5;
    private static final int SUB = 1 << SUB_BITS;
    private static final int MAX_EXPONENT = 44;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB;

    private final AtomicReferenceArray<LongAdder> counts = new AtomicReferenceArray<>(BUCKETS);

    /** Counts one duration; negative ones count as 0. */
    public void record(long nanos) {
        int index = index(nanos);
        LongAdder bucket = counts.get(index);
        if (bucket == null) {
            counts.compareAndSet(index, null, new LongAdder());
            bucket = counts.get(index);
        }
        bucket.increment();
    }

    /** Returns the number of durations recorded. */
    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            LongAdder bucket = counts.get(i);
            if (bucket != null) {
                total += bucket.sum();
            }
        }
        return total;
    }

    /**
     * Returns the duration at a percentile, the midpoint of its bucket, or 0 if nothing was recorded.
     *
     * @param percentile from 0 to 100
     * @return nanoseconds
     */
    public double percentile(double percentile) {
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            LongAdder bucket = counts.get(i);
            snapshot[i] = bucket == null ? 0 : bucket.sum();
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return lowest(i) + (width(i) - 1) / 2.0;
            }
        }
        return lowest(BUCKETS - 1);
    }

    static int index(long nanos) {
        if (nanos < SUB) {
            return (int) Math.max(0, nanos);
        }
        int exponent = 63 - Long.numberOfLeadingZeros(nanos);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        return (exponent - SUB_BITS + 1) * SUB + (int) ((nanos >>> (exponent - SUB_BITS)) & (SUB - 1));
    }

    static long lowest(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = index / SUB + SUB_BITS - 1;
        return (long) (SUB + index % SUB) << (exponent - SUB_BITS);
    }

    static long width(int index) {
        return index < SUB ? 1 : 1L << (index / SUB - 1);
    }
}

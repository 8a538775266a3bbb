package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void bucketsAreContiguousAndNarrow() {
        for (int i = 1; i < LatencyHistogram.BUCKETS; i++) {
            assertThat(LatencyHistogram.lowest(i)).isEqualTo(LatencyHistogram.lowest(i - 1)
                    + LatencyHistogram.width(i - 1));
            assertThat(LatencyHistogram.index(LatencyHistogram.lowest(i))).isEqualTo(i);
            assertThat(LatencyHistogram.index(LatencyHistogram.lowest(i) - 1)).isEqualTo(i - 1);
            if (i >= 32) {
                assertThat((double) LatencyHistogram.width(i) / LatencyHistogram.lowest(i))
                        .isLessThanOrEqualTo(1 / 32.0);
            }
        }
        assertThat(LatencyHistogram.index(-5)).isZero();
        assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void percentilesAreWithinTwoPercentOfTheExactOnes() {
        LatencyHistogram histogram = new LatencyHistogram();
        assertThat(histogram.percentile(50)).isZero();
        SplittableRandom random = new SplittableRandom(7);
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(2, 16)); // 7 ns to 9 ms, log-uniform
            histogram.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {1, 50, 90, 99, 99.9, 100}) {
            long exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
            assertThat(histogram.percentile(p)).as("p%s", p).isCloseTo(exact, within(exact * 0.02 + 1));
        }
    }
}

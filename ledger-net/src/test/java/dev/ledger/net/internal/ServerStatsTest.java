package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class ServerStatsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theRateSpansTheLastTwoSamples() {
        ServerStats stats = new ServerStats(ConcurrentHashMap.newKeySet());
        assertThat(stats.opsPerSecond()).isZero();
        stats.sample(5 * SECOND, 1000);
        assertThat(stats.opsPerSecond()).isZero();
        stats.sample(6 * SECOND, 1100);
        assertThat(stats.opsPerSecond()).isEqualTo(100);
        stats.sample(7 * SECOND, 1400);
        assertThat(stats.opsPerSecond()).isEqualTo(200);
        stats.sample(8 * SECOND, 1400);
        assertThat(stats.opsPerSecond()).isEqualTo(150);
        stats.sample(9 * SECOND, 1400);
        assertThat(stats.opsPerSecond()).isZero();
    }
}

package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private static final String ANA = "52998224725";
    private final AtomicLong clock = new AtomicLong(1_000);
    private final LoginThrottle throttle = new LoginThrottle(3, 5, Duration.ofSeconds(1), Duration.ofSeconds(8),
            100, clock::get);

    private void advance(Duration duration) {
        clock.addAndGet(duration.toNanos());
    }

    @Test
    void aTaxIdIsLockedAfterItsFreeAttemptsForAGrowingWhileUpToTheMaximum() {
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.check(ANA, "10.0.0." + i).allowed()).isTrue();
            assertThat(throttle.failed(ANA, "10.0.0." + i)).isFalse();
        }
        assertThat(throttle.failed(ANA, "10.0.0.9")).as("the fourth failure locks").isTrue();
        assertThat(throttle.check(ANA, "10.0.0.10")).isEqualTo(new LoginThrottle.Verdict(false, 1));
        long[] lockouts = {2, 4, 8, 8};
        for (long seconds : lockouts) {
            advance(Duration.ofMillis(1_000 * seconds / 2 + 1));
            throttle.failed(ANA, "10.0.0.11");
            assertThat(throttle.check(ANA, "10.0.0.12").retryAfterSeconds()).isEqualTo(seconds);
        }
        advance(Duration.ofSeconds(8).plusNanos(1));
        assertThat(throttle.check(ANA, "10.0.0.12").allowed()).isTrue();
    }

    @Test
    void anAddressIsLockedAfterItsFreeAttemptsWhateverTaxIdsItTries() {
        String[] taxIds = {"52998224725", "39053344705", "71428793860", "12345678909", "98765432100"};
        for (String taxId : taxIds) {
            throttle.failed(taxId, "10.0.0.1");
        }
        assertThat(throttle.check("11122233396", "10.0.0.1").allowed()).isTrue();
        throttle.failed("11122233396", "10.0.0.1");
        assertThat(throttle.check("22233344405", "10.0.0.1").allowed()).isFalse();
        assertThat(throttle.check("22233344405", "10.0.0.2").allowed()).as("another address").isTrue();
    }

    @Test
    void aSuccessClearsTheTaxIdButNotTheAddress() {
        throttle.failed(ANA, "10.0.0.1");
        throttle.failed(ANA, "10.0.0.1");
        throttle.succeeded(ANA);
        throttle.failed(ANA, "10.0.0.1");
        throttle.failed(ANA, "10.0.0.1");
        assertThat(throttle.check(ANA, "10.0.0.2").allowed()).as("2 failures since the success").isTrue();
        String bo = "39053344705";
        assertThat(throttle.failed(bo, "10.0.0.1")).as("the address's fifth failure").isFalse();
        assertThat(throttle.failed(bo, "10.0.0.1")).as("the address's sixth: the success did not clear it").isTrue();
    }

    @Test
    void memoryIsBoundedAndLockedKeysAreKept() {
        for (int i = 0; i < 4; i++) {
            throttle.failed(ANA, "10.0.0.1");
        }
        for (int i = 0; i < 500; i++) {
            throttle.failed(String.format("%011d", i), "10.1." + (i / 250) + "." + (i % 250));
        }
        assertThat(throttle.check(ANA, "10.9.9.9").allowed()).as("a flood of keys unlocks no one").isFalse();
        assertThat(throttle.size()).isLessThanOrEqualTo(101);
    }
}

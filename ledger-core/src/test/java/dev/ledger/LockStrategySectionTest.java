package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The section contract of {@link LockStrategy}, called directly rather than through a bank's operations: under
 * contention every write section runs exactly once, excluded from every other section on its accounts, and what a
 * section throws reaches the thread that called the strategy, as the very same exception.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
class LockStrategySectionTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int THREADS = 8;
    private static final int CALLS = 20_000;

    @Parameter
    LockStrategies strategies;

    /** Guarded by the locks of the two accounts: only write sections over both touch it. */
    private long unguardedCount;

    @Test
    @Timeout(60)
    void everyWriteSectionRunsOnceAndAlone() {
        Bank bank = Bank.builder().strategy(strategies).build();
        LockStrategy strategy = bank.strategy();
        Account a = bank.open("a", 0);
        Account b = bank.open("b", 0);
        LongAdder runs = new LongAdder();
        AtomicInteger inside = new AtomicInteger();
        LongAdder overlaps = new LongAdder();
        Concurrently.run(THREADS, LIMIT, thread -> {
            for (int i = 0; i < CALLS; i++) {
                int[] ranHere = new int[1];
                boolean forward = (i + thread) % 2 == 0;
                long result = strategy.write(forward ? a : b, forward ? b : a, i, (first, second, amount) -> {
                    ranHere[0]++;
                    runs.increment();
                    if (inside.getAndIncrement() != 0) {
                        overlaps.increment();
                    }
                    long seen = unguardedCount;
                    for (int spin = 0; spin < 16; spin++) {
                        Thread.onSpinWait(); // widens the window another section could run in
                    }
                    unguardedCount = seen + 1; // a lost increment would mean two sections ran at once
                    inside.getAndDecrement();
                    return amount;
                });
                assertThat(result).isEqualTo(i);
                assertThat(ranHere[0]).as("runs of one section").isEqualTo(1);
            }
        });
        assertThat(runs.sum()).isEqualTo((long) THREADS * CALLS);
        assertThat(overlaps.sum()).as("sections that overlapped another").isZero();
        assertThat(strategy.readAll(new Account[] {a, b}, this, test -> test.unguardedCount))
                .isEqualTo((long) THREADS * CALLS);
    }

    @Test
    @Timeout(60)
    void aSectionsExceptionReachesItsCaller() {
        Bank bank = Bank.builder().strategy(strategies).build();
        LockStrategy strategy = bank.strategy();
        Account a = bank.open("a", 0);
        Account b = bank.open("b", 0);
        LongAdder runs = new LongAdder();
        Concurrently.run(THREADS, LIMIT, thread -> {
            for (int i = 0; i < CALLS / 4; i++) {
                RuntimeException mine = new IllegalStateException("thread " + thread + ", call " + i);
                boolean fails = i % 2 == 0;
                if (i % 4 < 2) {
                    var call = (Runnable) () -> strategy.write(a, b, 0, (first, second, amount) -> {
                        runs.increment();
                        if (fails) {
                            throw mine;
                        }
                        return 1;
                    });
                    check(fails, mine, call);
                } else {
                    var call = (Runnable) () -> strategy.writeAll(new Account[] {b, a}, mine, failure -> {
                        runs.increment();
                        if (fails) {
                            throw failure;
                        }
                        return 1;
                    });
                    check(fails, mine, call);
                }
            }
        });
        assertThat(runs.sum()).isEqualTo((long) THREADS * (CALLS / 4));
    }

    private static void check(boolean fails, RuntimeException mine, Runnable call) {
        if (fails) {
            assertThatThrownBy(call::run).isSameAs(mine);
        } else {
            call.run();
        }
    }
}

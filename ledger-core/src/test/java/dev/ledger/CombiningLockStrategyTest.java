package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What only the combining strategy has to get right: a section published while another thread holds the combiner
 * lock runs on that thread, and still its result, its exception and its calls back into the strategy behave as if
 * it ran on its own thread. The waiter is made to park before the combiner lets go, so every test goes through the
 * park and wake-up path.
 */
class CombiningLockStrategyTest {
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Bank bank = Bank.builder().strategy(LockStrategies.COMBINING).build();
    private final LockStrategy strategy = bank.strategy();
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);

    @Test
    @Timeout(60)
    void aPublishedSectionRunsOnTheCombinerAndThrowsToItsOwnThread() throws InterruptedException {
        RuntimeException thrown = new IllegalStateException("the waiter's own");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        AtomicReference<Long> nested = new AtomicReference<>();
        AtomicReference<Throwable> caught = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                strategy.write(a, b, 0, (first, second, amount) -> {
                    ranOn.set(Thread.currentThread());
                    // Calling the strategy again from a section: the combiner already holds every account.
                    nested.set(strategy.read(first, account -> 42));
                    throw thrown;
                });
            } catch (Throwable t) {
                caught.set(t);
            }
        }, "waiter");
        whileWaiterParks(waiter);
        assertThat(caught.get()).isSameAs(thrown);
        assertThat(ranOn.get()).as("the thread that ran the waiter's section").isSameAs(Thread.currentThread());
        assertThat(nested.get()).isEqualTo(42L);
    }

    @Test
    @Timeout(60)
    void anInterruptedWaiterStillGetsItsResultAndKeepsItsInterrupt() throws InterruptedException {
        AtomicReference<Long> result = new AtomicReference<>();
        AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            Thread.currentThread().interrupt();
            result.set(strategy.write(a, b, 7, (first, second, amount) -> amount * 6));
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "interrupted waiter");
        whileWaiterParks(waiter);
        assertThat(result.get()).isEqualTo(42L);
        assertThat(interruptedAfter.get()).isTrue();
    }

    /**
     * Holds the combiner lock, in a section of this thread's own, until {@code waiter} has published its section
     * and parked; then lets go, which runs the waiter's section here, and waits for the waiter to finish.
     */
    private void whileWaiterParks(Thread waiter) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        strategy.writeAll(new Account[] {a, b}, waiter, w -> {
            w.start();
            long deadline = System.nanoTime() + LIMIT_NANOS;
            while (w.getState() != Thread.State.WAITING) { // parked, on our lock: the waiter is only in the strategy
                assertThat(System.nanoTime() - deadline).as("waiter parked in time").isNegative();
                Thread.onSpinWait();
            }
            holding.countDown();
            return 0;
        });
        assertThat(holding.getCount()).isZero();
        waiter.join(TimeUnit.NANOSECONDS.toMillis(LIMIT_NANOS));
        assertThat(waiter.isAlive()).as("waiter finished").isFalse();
    }
}

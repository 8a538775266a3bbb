package dev.ledger.journal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.journal.JournalException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Group commit alone, over a log in memory whose flushes it counts and can hold back. */
@Timeout(60)
class GroupCommitTest {

    /**
     * A log in memory. A flush makes everything appended so far synced; {@code holdFlush} makes the next flush wait
     * for a latch, so that a test can gather threads behind it.
     *
     * <p>Concurrency: the counters are atomic or volatile; {@link #flush} runs under the group commit's lock.
     */
    private static final class MemoryLog implements GroupCommit.Log {
        final AtomicLong appended = new AtomicLong();
        final AtomicInteger flushes = new AtomicInteger();
        volatile long synced;
        volatile JournalException failure;
        volatile boolean failNextFlush;
        volatile CountDownLatch holdFlush;
        final CountDownLatch flushHeld = new CountDownLatch(1);

        long append() {
            return appended.incrementAndGet();
        }

        @Override
        public long appendedBytes() {
            return appended.get();
        }

        @Override
        public long syncedBytes() {
            return synced;
        }

        @Override
        public JournalException failure() {
            return failure;
        }

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void flush() {
            long end = appended.get();
            CountDownLatch hold = holdFlush;
            if (hold != null) {
                holdFlush = null;
                flushHeld.countDown();
                await(hold);
            }
            flushes.incrementAndGet();
            if (failNextFlush) {
                failure = new JournalException("the disk failed", null);
                throw failure;
            }
            synced = end;
        }

        @Override
        public JournalException failedEarlier(JournalException failed) {
            return new JournalException("failed earlier", failed);
        }
    }

    private final MemoryLog log = new MemoryLog();
    private final GroupCommit commit = new GroupCommit(log, "test-flusher");

    @Test
    void threadsThatWaitBehindAFlushShareTheNextOne() throws Exception {
        int waiters = 6;
        CountDownLatch release = new CountDownLatch(1);
        log.holdFlush = release;
        Thread leader = start("leader", () -> commit.sync(log.append()));
        await(log.flushHeld); // the leader holds the lock, flushing only its own record
        List<Thread> behind = new ArrayList<>();
        AtomicInteger returnedEarly = new AtomicInteger();
        for (int i = 0; i < waiters; i++) {
            behind.add(start("waiter-" + i, () -> {
                long target = log.append();
                commit.sync(target);
                if (log.synced < target) {
                    returnedEarly.incrementAndGet();
                }
            }));
        }
        for (Thread thread : behind) {
            awaitParked(thread);
        }
        release.countDown();
        join(leader);
        for (Thread thread : behind) {
            join(thread);
        }
        assertThat(returnedEarly).as("a sync returned before its record was synced").hasValue(0);
        assertThat(log.flushes).as("the leader's flush, then one flush for all the waiters").hasValue(2);
    }

    @Test
    void eachActionRunsOnceAfterItsRecordsAreSynced() throws Exception {
        int threads = 4;
        int actionsPerThread = 500;
        Queue<long[]> ran = new ConcurrentLinkedQueue<>(); // {target, synced when it ran}
        CountDownLatch allRan = new CountDownLatch(threads * actionsPerThread);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            started.add(start("appender-" + t, () -> {
                for (int i = 0; i < actionsPerThread; i++) {
                    long target = log.append();
                    commit.whenSynced(target, failure -> {
                        ran.add(new long[] {target, log.synced, failure == null ? 0 : 1});
                        allRan.countDown();
                    });
                }
            }));
        }
        for (Thread thread : started) {
            join(thread);
        }
        assertThat(allRan.await(30, TimeUnit.SECONDS)).as("every action ran").isTrue();
        assertThat(ran).hasSize(threads * actionsPerThread);
        assertThat(ran.stream().mapToLong(entry -> entry[0]).distinct().count())
                .as("no action ran twice").isEqualTo(threads * actionsPerThread);
        assertThat(ran).allSatisfy(entry -> {
            assertThat(entry[1]).as("synced when the action ran").isGreaterThanOrEqualTo(entry[0]);
            assertThat(entry[2]).as("failure").isZero();
        });
    }

    @Test
    void aHolderThatMayHoldABanksLocksLeavesTheActionsToTheFlusher() throws Exception {
        commit.lock();
        long target = log.append();
        AtomicReference<String> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        Thread queueing = start("queueing", () -> commit.whenSynced(target, failure -> {
            ranOn.set(Thread.currentThread().getName());
            ran.countDown();
        }));
        join(queueing); // it found the lock held, so it queued the action and returned
        log.flush();
        commit.unlock(false);
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get()).isEqualTo("test-flusher");
    }

    @Test
    void aFailedFlushFailsTheSyncAndEveryQueuedAction() throws Exception {
        log.failNextFlush = true;
        commit.lock();
        long target = log.append();
        AtomicReference<JournalException> handed = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        Thread queueing = start("queueing", () -> commit.whenSynced(target, failure -> {
            handed.set(failure);
            ran.countDown();
        }));
        join(queueing);
        commit.unlock(true);
        assertThatThrownBy(() -> commit.sync(target)).isInstanceOf(JournalException.class)
                .satisfies(failure -> assertThat(rootCause(failure)).hasMessage("the disk failed"));
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(rootCause(handed.get())).hasMessage("the disk failed");
        assertThat(log.synced).isZero();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static Thread start(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void join(Thread thread) throws InterruptedException {
        thread.join(Duration.ofSeconds(30).toMillis());
        assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
    }

    /** Waits until {@code thread} parks: it is then registered as a waiter. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime() - deadline).as(thread.getName() + " parked").isNegative();
            assertThat(thread.isAlive()).as(thread.getName() + " still waiting").isTrue();
            Thread.onSpinWait();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

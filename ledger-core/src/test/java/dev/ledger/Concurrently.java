package dev.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Runs a body on several threads released together by one start gate, and fails on any error or hang. */
public final class Concurrently {
    private Concurrently() {
    }

    /**
     * Runs {@code body.accept(threadIndex)} on {@code threads} threads at once and waits for all.
     *
     * @throws AssertionError if a thread threw (the first failure, the others suppressed) or if the threads did not
     *     all finish within {@code limit}, which is how a deadlock shows
     */
    public static void run(int threads, Duration limit, IntConsumer body) {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                ready.countDown();
                try {
                    start.await();
                    body.accept(index);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "worker-" + t);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        try {
            ready.await();
            start.countDown();
            long deadline = System.nanoTime() + limit.toNanos();
            for (Thread worker : workers) {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (worker.isAlive()) {
                    workers.forEach(Thread::interrupt);
                    throw new AssertionError(worker.getName() + " did not finish within " + limit
                            + ": deadlock or livelock?");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        Throwable first = failures.poll();
        if (first != null) {
            AssertionError error = new AssertionError("a worker failed: " + first, first);
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }
}

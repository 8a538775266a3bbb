package dev.ledger.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/** Bounded waiting for tests: nothing here waits longer than the limit it is given. */
final class Await {
    private Await() {
    }

    /**
     * Polls a condition that another thread or process makes true, for state no event announces (a bank settling
     * an abort it received asynchronously).
     *
     * @throws AssertionError if it is still false after {@code limit}
     */
    static void until(Duration limit, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }

    /**
     * Runs {@code body.accept(threadIndex)} on {@code threads} threads released together, and waits for all.
     *
     * @throws AssertionError on the first failure, or if they have not all finished within {@code limit}
     */
    static void concurrently(int threads, Duration limit, IntConsumer body) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers.add(pool.submit(() -> {
                start.await();
                body.accept(index);
                return null;
            }));
        }
        start.countDown();
        long deadline = System.nanoTime() + limit.toNanos();
        try {
            for (Future<?> worker : workers) {
                worker.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new AssertionError("a worker failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the workers did not finish within " + limit, e);
        } finally {
            pool.shutdownNow();
        }
    }
}

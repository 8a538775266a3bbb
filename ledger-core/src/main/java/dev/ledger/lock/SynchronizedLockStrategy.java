package dev.ledger.lock;

import dev.ledger.Account;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

/**
 * A baseline: one intrinsic monitor per account, entered with {@code synchronized} in the global order.
 *
 * <p><b>Choose it</b> to measure against, or where monitors are preferred for tooling (thread dumps show them,
 * and the JVM may inflate them lazily). <b>It costs</b> about what {@link OrderedLockStrategy} costs uncontended;
 * monitors cannot be taken in a loop, so several accounts are locked by recursion, one stack frame each, and a
 * snapshot of more than {@value #MAX_DIRECT_DEPTH} accounts runs on a short-lived thread with a stack sized for
 * it. <b>Progress:</b> blocking and deadlock-free by ordering; monitors are not fair.
 *
 * <p>Concurrency: stateless; each account's fields are guarded by its own monitor object.
 */
public final class SynchronizedLockStrategy implements LockStrategy {
    /** Deeper nesting than this runs on a thread of its own, so the caller's stack cannot overflow. */
    static final int MAX_DIRECT_DEPTH = 1024;
    /** Stack bytes reserved per nested monitor on such a thread, generously above a frame's real size. */
    private static final long STACK_BYTES_PER_MONITOR = 512;
    private static final long STACK_BYTES_BASE = 1 << 20;

    /** Creates the strategy. */
    public SynchronizedLockStrategy() {
    }

    @Override
    public Object newLock() {
        return new Object();
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        if (second == null) {
            synchronized (first.lock()) {
                return section.apply(first, null, amount);
            }
        }
        boolean inOrder = first.ordinal() < second.ordinal();
        Object outer = inOrder ? first.lock() : second.lock();
        Object inner = inOrder ? second.lock() : first.lock();
        synchronized (outer) {
            synchronized (inner) {
                return section.apply(first, second, amount);
            }
        }
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return nested(LockOrder.sorted(accounts), argument, section);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        synchronized (account.lock()) {
            return section.applyAsLong(account);
        }
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return nested(accounts, argument, section);
    }

    private static <T> long nested(Account[] ordered, T argument, ToLongFunction<T> section) {
        if (ordered.length <= MAX_DIRECT_DEPTH) {
            return enter(ordered, 0, argument, section);
        }
        return onDeepStack(ordered, argument, section);
    }

    private static <T> long enter(Account[] ordered, int index, T argument, ToLongFunction<T> section) {
        if (index == ordered.length) {
            return section.applyAsLong(argument);
        }
        synchronized (ordered[index].lock()) {
            return enter(ordered, index + 1, argument, section);
        }
    }

    private static <T> long onDeepStack(Account[] ordered, T argument, ToLongFunction<T> section) {
        long[] result = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long stackSize = STACK_BYTES_BASE + STACK_BYTES_PER_MONITOR * ordered.length;
        Thread worker = new Thread(null, () -> {
            try {
                result[0] = enter(ordered, 0, argument, section);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "ledger-synchronized-deep-lock", stackSize);
        worker.start();
        boolean interrupted = false;
        while (true) {
            try {
                worker.join(); // join gives happens-before for result[0]
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the worker holds monitors: it must finish before we return
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        return result[0];
    }
}

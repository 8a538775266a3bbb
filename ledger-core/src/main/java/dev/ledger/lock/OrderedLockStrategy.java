package dev.ledger.lock;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * One non-fair lock per account, always taken in the global order (ascending
 * {@link dev.ledger.Account#ordinal()}, the creation index, never a hash).
 *
 * <p><b>Choose it</b> as the default: it is the simplest correct design, it scales with the number of accounts
 * (transfers on disjoint accounts never meet), and under contention threads park instead of burning CPU.
 * <b>It costs</b> one CAS to take and one write to release each lock, and reads lock like writes, so readers and
 * writers of one account exclude each other. The lock is not reentrant, like {@link StampedLockStrategy}'s: the
 * bank never takes an account's lock twice. <b>Progress:</b> blocking but deadlock-free, since every thread
 * takes its locks in the same order; the locks are not fair, so one thread may in theory be overtaken indefinitely.
 *
 * <p>Concurrency: stateless; each account's fields are guarded by its own {@link AccountLock}.
 */
public final class OrderedLockStrategy extends PerAccountLocking {

    /** Creates the strategy. */
    public OrderedLockStrategy() {
    }

    @Override
    public Object newLock() {
        return new AccountLock();
    }

    @Override
    void lock(Object lock) {
        ((AccountLock) lock).lock();
    }

    @Override
    void unlock(Object lock) {
        ((AccountLock) lock).unlock();
    }

    /**
     * An exclusive, non-reentrant, non-fair lock of one object: its synchronizer state is the lock word (0 free, 1
     * held). A {@code ReentrantLock} is two objects, the lock and its synchronizer, reached through a second
     * pointer, and it writes its owner thread on every acquisition, a reference store that pays the garbage
     * collector's write barrier; this one is one object and one CAS.
     *
     * <p>Concurrency: the state is the synchronizer's volatile int, changed by CAS to take the lock and by a
     * volatile write to release it; waiters queue and park in the synchronizer.
     */
    static final class AccountLock extends AbstractQueuedSynchronizer {
        @Override
        protected boolean tryAcquire(int ignored) {
            return compareAndSetState(0, 1);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            setState(0);
            return true;
        }

        /** Takes the lock, queueing and parking while it is held. */
        void lock() {
            if (!compareAndSetState(0, 1)) {
                acquire(1);
            }
        }

        /** Releases the lock, waking the longest-queued waiter if there is one. */
        void unlock() {
            release(1);
        }
    }
}

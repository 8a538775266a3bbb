package dev.ledger.lock;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

/**
 * Blocking lock acquisition that spins briefly before it queues and parks. The sections the locks guard last tens
 * of nanoseconds, while a park costs the waiter a context switch and the releasing thread an unpark, a system call
 * that on a virtual machine also interrupts the other processor: profiles of two threads fighting over two
 * accounts show the releasing thread in {@code Unsafe.unpark} for a large share of its time. A waiter that spins
 * past one short section takes the lock without either.
 *
 * <p>Concurrency: stateless.
 */
final class BriefSpin {
    /** Spins before parking: about 2.7 µs at the ~21 ns a spin-wait hint takes here, far below a park and unpark. */
    static final int SPINS = 128;

    private BriefSpin() {
    }

    /** Takes {@code lock}, spinning up to {@link #SPINS} times while it is held before it queues. */
    static void lock(ReentrantLock lock) {
        if (lock.tryLock()) {
            return;
        }
        for (int spin = 0; spin < SPINS; spin++) {
            Thread.onSpinWait();
            if (!lock.isLocked() && lock.tryLock()) { // read before the CAS: no write traffic while it is held
                return;
            }
        }
        lock.lock();
    }

    /** Takes {@code lock}'s write lock, spinning up to {@link #SPINS} times while it is held before it queues. */
    static void writeLock(StampedLock lock) {
        if (lock.tryWriteLock() != 0L) {
            return;
        }
        for (int spin = 0; spin < SPINS; spin++) {
            Thread.onSpinWait();
            if (!lock.isWriteLocked() && !lock.isReadLocked() && lock.tryWriteLock() != 0L) {
                return;
            }
        }
        lock.writeLock();
    }
}

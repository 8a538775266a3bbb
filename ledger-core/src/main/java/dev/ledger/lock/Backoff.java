package dev.ledger.lock;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded, randomized, exponential backoff: spin, then yield, then park for a random time whose upper bound
 * doubles with each failed attempt up to a cap. The randomness breaks the symmetry that would let two threads
 * retrying in lock step livelock.
 */
final class Backoff {
    /** Attempts that only spin; each may spin up to {@code 2^(attempt+3)} times. */
    static final int SPIN_ATTEMPTS = 6;
    /** Attempts, after the spinning ones, that yield the processor. */
    static final int YIELD_ATTEMPTS = 2;
    /** The longest park, in nanoseconds. */
    static final long MAX_PARK_NANOS = 1_000_000L;

    private Backoff() {
    }

    /**
     * Waits before retry number {@code attempt} (0 for the first retry).
     *
     * @param attempt how many attempts have failed before this one, minus one
     */
    static void pause(int attempt) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (attempt < SPIN_ATTEMPTS) {
            for (int spins = random.nextInt(1 << (attempt + 3)); spins >= 0; spins--) {
                Thread.onSpinWait();
            }
        } else if (attempt < SPIN_ATTEMPTS + YIELD_ATTEMPTS) {
            Thread.yield();
        } else {
            int doublings = Math.min(attempt - SPIN_ATTEMPTS - YIELD_ATTEMPTS, 20);
            long bound = Math.min(MAX_PARK_NANOS, 1_000L << doublings);
            LockSupport.parkNanos(1 + random.nextLong(bound));
        }
    }
}

package dev.ledger.lock;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One non-fair {@link ReentrantLock} per account, always taken in the global order (ascending
 * {@link dev.ledger.Account#ordinal()}, the creation index, never a hash).
 *
 * <p><b>Choose it</b> as the default: it is the simplest correct design, it scales with the number of accounts
 * (transfers on disjoint accounts never meet), and under contention threads park instead of burning CPU. <b>It
 * costs</b> one CAS to take and one to release each lock, and reads lock like writes, so readers and writers of
 * one account exclude each other. <b>Progress:</b> blocking but deadlock-free, since every thread takes its locks
 * in the same order; the locks are not fair, so one thread may in theory be overtaken indefinitely.
 *
 * <p>Concurrency: stateless; each account's fields are guarded by its own {@code ReentrantLock}.
 */
public final class OrderedLockStrategy extends PerAccountLocking {

    /** Creates the strategy. */
    public OrderedLockStrategy() {
    }
}

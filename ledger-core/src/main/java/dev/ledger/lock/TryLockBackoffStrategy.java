package dev.ledger.lock;

import dev.ledger.Account;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * One {@link ReentrantLock} per account, taken by {@code tryLock} in request order; when any lock is busy the
 * writer releases every lock it holds and backs off (bounded, randomized, exponential) before it tries again.
 *
 * <p><b>Choose it</b> when no global lock order can be imposed (for example when the locks are also taken by code
 * outside the bank) or to compare against the ordered design: a writer never waits while it holds a lock, so
 * deadlock is impossible in any order. <b>It costs</b> retries under contention: the work of taking the first lock
 * is thrown away whenever the second is busy, and backoff adds latency; uncontended it costs what
 * {@link OrderedLockStrategy} costs. Reads and snapshots take the locks blocking, in the global order.
 * <b>Progress:</b> deadlock-free; the randomized backoff makes livelock vanishingly unlikely rather than impossible,
 * and a writer may in theory starve under unbounded contention.
 *
 * <p>Concurrency: stateless; each account's fields are guarded by its own {@code ReentrantLock}. Writers hold locks
 * only while they hold all they need or are releasing them; readers lock in ascending ordinal order.
 */
public final class TryLockBackoffStrategy extends PerAccountLocking {

    /** Creates the strategy. */
    public TryLockBackoffStrategy() {
    }


    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        ReentrantLock a = (ReentrantLock) first.lock();
        ReentrantLock b = second == null ? null : (ReentrantLock) second.lock();
        for (int attempt = 0; ; attempt++) {
            if (a.tryLock()) {
                try {
                    if (b == null) {
                        return section.apply(first, null, amount);
                    }
                    if (b.tryLock()) {
                        try {
                            return section.apply(first, second, amount);
                        } finally {
                            b.unlock();
                        }
                    }
                } finally {
                    a.unlock();
                }
            }
            Backoff.pause(attempt);
        }
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        for (int attempt = 0; ; attempt++) {
            int locked = 0;
            try {
                while (locked < accounts.length && ((ReentrantLock) accounts[locked].lock()).tryLock()) {
                    locked++;
                }
                if (locked == accounts.length) {
                    return section.applyAsLong(argument);
                }
            } finally {
                while (locked > 0) {
                    ((ReentrantLock) accounts[--locked].lock()).unlock();
                }
            }
            Backoff.pause(attempt);
        }
    }
}

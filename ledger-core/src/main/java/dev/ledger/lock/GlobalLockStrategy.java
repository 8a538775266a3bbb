package dev.ledger.lock;

import dev.ledger.Account;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A baseline: one {@link ReentrantLock} for the whole bank, so at most one operation runs at a time.
 *
 * <p><b>Choose it</b> to measure against, or for a bank used by one thread at a time, where it is the cheapest
 * correct choice and snapshots cost a single lock. <b>It costs</b> all parallelism: throughput stays flat or falls
 * as threads are added, whatever the number of accounts. <b>Progress:</b> blocking; deadlock is impossible with a
 * single lock.
 *
 * <p>Concurrency: {@code lock} guards the fields of every account of the bank that owns this instance; give each
 * bank its own instance.
 */
public final class GlobalLockStrategy implements LockStrategy {
    private final ReentrantLock lock = new ReentrantLock();

    /** Creates the strategy, with its own lock. */
    public GlobalLockStrategy() {
    }

    @Override
    public Object newLock() {
        return null;
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        lock.lock();
        try {
            return section.apply(first, second, amount);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return locked(argument, section);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        return locked(account, section);
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return locked(argument, section);
    }

    private <T> long locked(T argument, ToLongFunction<T> section) {
        lock.lock();
        try {
            return section.applyAsLong(argument);
        } finally {
            lock.unlock();
        }
    }
}

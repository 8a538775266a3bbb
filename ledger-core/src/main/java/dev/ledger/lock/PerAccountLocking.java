package dev.ledger.lock;

import dev.ledger.Account;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * Shared code of the strategies that keep one explicit lock per account and take several locks in the global
 * order. The lock is a non-fair {@link ReentrantLock} unless a subclass says otherwise by overriding
 * {@link #newLock()}, {@link #lock(Object)} and {@link #unlock(Object)}; subclasses may override any path.
 *
 * <p>Concurrency: holds no state of its own. Each account's fields are guarded by that account's lock, and a
 * thread holding several locks took them by ascending ordinal, so no cycle of waiting threads can form.
 */
abstract class PerAccountLocking implements LockStrategy {

    @Override
    public Object newLock() {
        return new ReentrantLock();
    }

    /** Takes the lock exclusively, blocking until it is free. */
    void lock(Object lock) {
        ((ReentrantLock) lock).lock();
    }

    /** Releases a lock taken by {@link #lock(Object)} on this thread. */
    void unlock(Object lock) {
        ((ReentrantLock) lock).unlock();
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        if (second == null) {
            Object only = first.lock();
            lock(only);
            try {
                return section.apply(first, null, amount);
            } finally {
                unlock(only);
            }
        }
        boolean inOrder = first.ordinal() < second.ordinal();
        Object outer = inOrder ? first.lock() : second.lock();
        Object inner = inOrder ? second.lock() : first.lock();
        lock(outer);
        try {
            lock(inner);
            try {
                return section.apply(first, second, amount);
            } finally {
                unlock(inner);
            }
        } finally {
            unlock(outer);
        }
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return underAllLocks(LockOrder.sorted(accounts), argument, section);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        Object lock = account.lock();
        lock(lock);
        try {
            return section.applyAsLong(account);
        } finally {
            unlock(lock);
        }
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return underAllLocks(accounts, argument, section);
    }

    /** Runs the section holding every account's lock, taken in the order given, which must be the lock order. */
    final <T> long underAllLocks(Account[] ordered, T argument, ToLongFunction<T> section) {
        int locked = 0;
        try {
            for (Account account : ordered) {
                lock(account.lock());
                locked++;
            }
            return section.applyAsLong(argument);
        } finally {
            while (locked > 0) {
                unlock(ordered[--locked].lock());
            }
        }
    }
}

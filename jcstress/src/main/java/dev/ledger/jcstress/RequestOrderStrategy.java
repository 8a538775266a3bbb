package dev.ledger.jcstress;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategy;
import dev.ledger.lock.PairSection;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

/**
 * A deliberately broken strategy for the deadlock control: one lock per account, taken blocking in request order
 * rather than in the global order, so two opposing transfers can each hold one lock and wait for the other
 * forever. It lives here, never in ledger-core, and never in the {@link dev.ledger.lock.LockStrategies} registry.
 *
 * <p>Concurrency: each account's fields are guarded by its own {@code ReentrantLock}, taken in whatever order the
 * request names the accounts.
 */
public final class RequestOrderStrategy implements LockStrategy {

    /** Creates the strategy. */
    public RequestOrderStrategy() {
    }

    @Override
    public Object newLock() {
        return new ReentrantLock();
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        ReentrantLock firstLock = (ReentrantLock) first.lock();
        firstLock.lock();
        try {
            if (second == null) {
                return section.apply(first, null, amount);
            }
            ReentrantLock secondLock = (ReentrantLock) second.lock();
            secondLock.lock(); // the bug: blocks while holding firstLock, in request order
            try {
                return section.apply(first, second, amount);
            } finally {
                secondLock.unlock();
            }
        } finally {
            firstLock.unlock();
        }
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return inRequestOrder(accounts, argument, section);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        ReentrantLock lock = (ReentrantLock) account.lock();
        lock.lock();
        try {
            return section.applyAsLong(account);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return inRequestOrder(accounts, argument, section);
    }

    private static <T> long inRequestOrder(Account[] accounts, T argument, ToLongFunction<T> section) {
        int locked = 0;
        try {
            for (Account account : accounts) {
                ((ReentrantLock) account.lock()).lock();
                locked++;
            }
            return section.applyAsLong(argument);
        } finally {
            while (locked > 0) {
                ((ReentrantLock) accounts[--locked].lock()).unlock();
            }
        }
    }
}

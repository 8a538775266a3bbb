package dev.ledger.lock;

import dev.ledger.Account;
import java.util.concurrent.locks.StampedLock;
import java.util.function.ToLongFunction;

/**
 * One {@link StampedLock} per account. Writers take write locks in the global order; {@code balance} and snapshots
 * read optimistically, validate their stamps, and fall back to read locks (in the global order) when a writer
 * raced them.
 *
 * <p><b>Choose it</b> for read-heavy workloads: an optimistic read writes no shared memory, so readers never slow
 * writers or each other, and a snapshot of a quiet bank takes no lock at all. <b>It costs</b> a little more than
 * {@link OrderedLockStrategy} per write, a retried read when a writer races it, and care: the lock is not
 * reentrant. <b>Progress:</b> writers are blocking and deadlock-free by ordering; an optimistic read is wait-free
 * but may fail, after which the read-locked retry is blocking and deadlock-free.
 *
 * <p>Concurrency: stateless; each account's fields are guarded by its own {@code StampedLock}. Optimistic reads
 * touch the fields without the lock and keep a result only if no write lock was taken since the stamp.
 */
public final class StampedLockStrategy extends PerAccountLocking {
    /** Optimistic snapshot attempts before falling back to read locks. */
    private static final int OPTIMISTIC_SNAPSHOT_ATTEMPTS = 2;

    /** Creates the strategy. */
    public StampedLockStrategy() {
    }

    @Override
    public Object newLock() {
        return new StampedLock();
    }

    @Override
    void lock(Object lock) {
        ((StampedLock) lock).writeLock();
    }

    @Override
    void unlock(Object lock) {
        ((StampedLock) lock).tryUnlockWrite();
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        StampedLock lock = (StampedLock) account.lock();
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            long result = section.applyAsLong(account);
            if (lock.validate(stamp)) {
                return result;
            }
        }
        stamp = lock.readLock();
        try {
            return section.applyAsLong(account);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Takes every stamp, runs the section once, then validates every stamp. A valid stamp means its account saw no
     * write between the stamp and its validation, so all reads are current at the instant between the last stamp
     * and the first validation: the result is a consistent cut.
     */
    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        long[] stamps = new long[accounts.length];
        for (int attempt = 0; attempt < OPTIMISTIC_SNAPSHOT_ATTEMPTS; attempt++) {
            if (takeStamps(accounts, stamps)) {
                long result = section.applyAsLong(argument);
                if (validate(accounts, stamps)) {
                    return result;
                }
            }
        }
        int locked = 0;
        try {
            for (Account account : accounts) {
                stamps[locked++] = ((StampedLock) account.lock()).readLock();
            }
            return section.applyAsLong(argument);
        } finally {
            while (locked > 0) {
                locked--;
                ((StampedLock) accounts[locked].lock()).unlockRead(stamps[locked]);
            }
        }
    }

    private static boolean takeStamps(Account[] accounts, long[] stamps) {
        for (int i = 0; i < accounts.length; i++) {
            long stamp = ((StampedLock) accounts[i].lock()).tryOptimisticRead();
            if (stamp == 0) {
                return false; // write-locked right now: this attempt cannot succeed
            }
            stamps[i] = stamp;
        }
        return true;
    }

    private static boolean validate(Account[] accounts, long[] stamps) {
        for (int i = 0; i < accounts.length; i++) {
            if (!((StampedLock) accounts[i].lock()).validate(stamps[i])) {
                return false;
            }
        }
        return true;
    }
}

package dev.ledger.jcstress;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategy;
import dev.ledger.lock.PairSection;
import java.util.function.ToLongFunction;

/**
 * A deliberately broken strategy for the negative control: it runs every section with no lock at all, so
 * concurrent transfers lose updates. It lives here, never in ledger-core, and never in the
 * {@link dev.ledger.lock.LockStrategies} registry.
 *
 * <p>Concurrency: none, on purpose. Account fields are read and written by whichever threads call in, unguarded.
 */
public final class UnsynchronizedStrategy implements LockStrategy {

    /** Creates the strategy. */
    public UnsynchronizedStrategy() {
    }

    @Override
    public Object newLock() {
        return null;
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        return section.apply(first, second, amount);
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return section.applyAsLong(argument);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        return section.applyAsLong(account);
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return section.applyAsLong(argument);
    }
}

package dev.ledger.lock;

import dev.ledger.Account;
import java.util.function.ToLongFunction;

/**
 * How a bank gives operations exclusive access to the accounts they write and a consistent view of the accounts
 * they read. The bank owns the logic of every operation and hands it to the strategy as a <em>section</em>; the
 * strategy owns only the synchronization around it.
 *
 * <p>The contract every implementation keeps:
 * <ul>
 *   <li>A write section runs exactly once, while no other section that touches any of its accounts runs.
 *       Write sections may throw; the strategy releases what it holds and rethrows.</li>
 *   <li>A read section sees the accounts as they were at one instant. It may be run more than once (optimistic
 *       strategies discard a run that raced with a writer), so it must only read accounts and write into its own
 *       argument, and must not throw on a torn read.</li>
 *   <li>Every call returns: no deadlock, whatever mix of operations runs at once.</li>
 * </ul>
 *
 * <p>Strategies that lock several accounts must do it in one global order, ascending {@link Account#ordinal()},
 * or must never block while holding a lock. {@link LockOrder} sorts accounts into that order.
 *
 * <p>A strategy instance may keep state (a global lock, say); give each bank its own instance, as
 * {@link LockStrategies#create()} does.
 */
public interface LockStrategy {

    /**
     * Creates the lock that guards one account. The bank calls it once per account, when it opens the account,
     * and stores the result in {@link Account#lock()}.
     *
     * @return the per-account lock, or {@code null} if the strategy keeps none
     */
    Object newLock();

    /**
     * Runs {@code section} holding exclusive access to one or two accounts.
     *
     * @param first an account
     * @param second another account, never the same as {@code first}, or {@code null} to lock only {@code first}
     * @param amount passed to the section unchanged
     * @param section what to run
     * @return what the section returned
     */
    long write(Account first, Account second, long amount, PairSection section);

    /**
     * Runs {@code section} holding exclusive access to every account in {@code accounts}.
     *
     * @param accounts distinct accounts, in request order; the strategy must not modify the array
     * @param argument passed to the section unchanged
     * @param section what to run
     * @param <T> the type of the argument
     * @return what the section returned
     */
    <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section);

    /**
     * Runs the read-only {@code section} over one account with a consistent view of it.
     *
     * @param account the account to read
     * @param section what to run; may be run more than once
     * @return what the last, validated run of the section returned
     */
    long read(Account account, ToLongFunction<Account> section);

    /**
     * Runs the read-only {@code section} with a consistent view of every account in {@code accounts} at one
     * instant. It is how snapshots are taken.
     *
     * @param accounts distinct accounts in ascending ordinal order; the strategy must not modify the array
     * @param argument passed to the section unchanged; the section may write its results into it
     * @param section what to run; may be run more than once
     * @param <T> the type of the argument
     * @return what the last, validated run of the section returned
     */
    <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section);
}

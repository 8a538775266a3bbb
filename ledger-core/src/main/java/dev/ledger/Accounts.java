package dev.ledger;

import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.lock.LockStrategy;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bank's account registry: the accounts by ordinal and by id, and how new ones are opened and published. Accounts
 * are never removed.
 *
 * <p>Concurrency: {@code openLock} serializes openings. {@code table} and {@code count} publish accounts by ordinal
 * (an opening writes the slot, then the volatile {@code count}); {@code byId} publishes them by id. Reading
 * {@code count} before {@code table} therefore finds at least {@code count} filled slots, and since {@code count}
 * only grows, a reader that finds it unchanged after a consistent read knows no account was opened during it. An
 * opening appends its journal record under {@code openLock}, outside any account lock; a checkpoint holds
 * {@code openLock} (see {@link #whileNoneOpens}) so that no opening is appended while it copies the state.
 */
final class Accounts {
    private final LockStrategy strategy;
    /** Where openings are recorded, or null for a bank that lives in memory only. Appended to under openLock. */
    private final RecordLog journal;
    private final Map<String, Account> byId = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    /** Accounts by ordinal; slots below {@code count} are filled. Replaced (grown) and written under openLock. */
    private volatile Account[] table = new Account[64];
    /** The number of open accounts. Written under openLock, after the slot it publishes. */
    private volatile int count;

    Accounts(LockStrategy strategy, RecordLog journal) {
        this.strategy = strategy;
        this.journal = journal;
    }

    /** Opens and journals an account; its record is appended but not yet synced. */
    Account open(String id, long initialBalance) {
        Account.checkId(id);
        if (initialBalance < 0) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT,
                    "initial balance must be zero or more, got " + initialBalance);
        }
        synchronized (openLock) {
            if (byId.containsKey(id)) {
                throw new LedgerException(ErrorCode.DUPLICATE_ACCOUNT, "account '" + id + "' already exists");
            }
            if (journal != null) {
                journal.append(new JournalRecord.AccountOpened(count, id, initialBalance));
            }
            return publish(id, initialBalance);
        }
    }

    /**
     * Publishes an account the journal records as opened with ordinal {@code ordinal}, without journaling it again.
     *
     * @return false, publishing nothing, if the ordinal is not the next one or the id is taken
     */
    boolean reopen(int ordinal, String id, long initialBalance) {
        synchronized (openLock) {
            if (ordinal != count || byId.containsKey(id)) {
                return false;
            }
            publish(id, initialBalance);
            return true;
        }
    }

    /** Creates the next account and publishes it by ordinal and by id. Runs under openLock. */
    private Account publish(String id, long initialBalance) {
        int ordinal = count;
        Account account = new Account(this, id, ordinal, strategy.newLock(), initialBalance);
        Account[] slots = table;
        if (ordinal == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
            table = slots;
        }
        slots[ordinal] = account;
        count = ordinal + 1;
        byId.put(id, account);
        return account;
    }

    /** {@return the account with this id, or null} */
    Account find(String id) {
        return id == null ? null : byId.get(id);
    }

    /** {@return the account with this id} @throws LedgerException {@code UNKNOWN_ACCOUNT} if there is none */
    Account get(String id) {
        Account account = find(id);
        if (account == null) {
            throw new LedgerException(ErrorCode.UNKNOWN_ACCOUNT, "unknown account '" + id + "'");
        }
        return account;
    }

    /** {@return the account with this ordinal, or null if none is open with it} */
    Account byOrdinal(int ordinal) {
        int n = count; // count before table: the table then has at least n filled slots
        return ordinal >= 0 && ordinal < n ? table[ordinal] : null;
    }

    /** {@return the number of open accounts, which only grows} */
    int size() {
        return count;
    }

    /** {@return a copy of the open accounts, in opening order} */
    Account[] toArray() {
        int n = count; // count before table: the table then has at least n filled slots
        return Arrays.copyOf(table, n);
    }

    /**
     * Runs {@code action} on the open accounts while no account can open.
     *
     * @param action receives the accounts, in opening order
     * @return what it returns
     */
    <T> T whileNoneOpens(Function<Account[], T> action) {
        synchronized (openLock) {
            return action.apply(toArray());
        }
    }

    /**
     * Checks that a handle was issued by this registry.
     *
     * @throws LedgerException {@code FOREIGN_ACCOUNT} if another bank issued it
     */
    Account own(Account account) {
        Objects.requireNonNull(account, "account");
        if (account.owner != this) {
            throw new LedgerException(ErrorCode.FOREIGN_ACCOUNT,
                    "account '" + account.id() + "' belongs to another bank");
        }
        return account;
    }
}

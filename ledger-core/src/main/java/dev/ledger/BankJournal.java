package dev.ledger;

import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.lock.LockStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A bank's side of its journal: when what an operation appended is made durable (now, at the end of a
 * {@link Batch}, or later on the syncing thread), and checkpoints, which carry every account's balance, the
 * prepared transactions still holding money and the transfer ids remembered.
 *
 * <p>Concurrency: records are appended inside write sections, under the locks of the accounts they touch (openings
 * under the registry's opening lock), and synced after those locks are released. {@code prepared} changes under
 * the locks of its transaction's accounts. A checkpoint holds {@code checkpointLock} throughout, and the registry's
 * opening lock and then every account's lock while it copies the state, so no record is appended meanwhile and
 * checkpoints complete in the order they began. Lock order: {@code checkpointLock}, opening lock, account locks.
 */
final class BankJournal {
    private static final System.Logger LOG = System.getLogger(BankJournal.class.getName());

    private final String bankName;
    /** The journal, or null for a bank that lives in memory only. */
    private final RecordLog journal;
    private final Accounts accounts;
    /** The transfer ids a checkpoint carries. */
    private final TransferIds ids;
    private final LockStrategy strategy;
    /** A checkpoint is taken once the journal holds this many bytes since the last one. */
    private final long checkpointBytes;
    /** Held by the one checkpoint running, from its copy to its file; taken before the opening lock. */
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** The batch open on each thread, if any: its operations do not sync one by one. Confined to its thread. */
    private final ThreadLocal<Unsynced> openBatch = new ThreadLocal<>();
    /** The journaled prepares not yet settled, by transaction id. Changed under their accounts' locks. */
    private final Map<String, JournalRecord.Prepared> prepared = new ConcurrentHashMap<>();

    BankJournal(String bankName, RecordLog journal, Accounts accounts, TransferIds ids, LockStrategy strategy,
            long checkpointBytes) {
        this.bankName = bankName;
        this.ids = ids;
        this.journal = journal;
        this.accounts = accounts;
        this.strategy = strategy;
        this.checkpointBytes = checkpointBytes;
    }

    /** {@return whether operations are journaled: false for a bank that lives in memory only} */
    boolean isEnabled() {
        return journal != null;
    }

    // ---------------------------------------------------------------- two-phase commit records

    /** Appends a prepare and remembers it for checkpoints. Runs under the locks of its accounts. */
    void appendPrepared(JournalRecord.Prepared record) {
        if (journal != null) {
            journal.append(record);
            prepared.put(record.txId(), record);
        }
    }

    /** Appends a commit or an abort of a journaled prepare. Runs under the locks of its accounts. */
    void appendSettled(String txId, boolean commit) {
        if (journal != null) {
            journal.append(commit ? new JournalRecord.Committed(txId) : new JournalRecord.Aborted(txId));
            prepared.remove(txId);
        }
    }

    /** Remembers a prepare recovery found, without appending it again. */
    void recoveredPrepared(JournalRecord.Prepared record) {
        prepared.put(record.txId(), record);
    }

    /** Forgets a prepare recovery found settled. */
    void recoveredSettled(String txId) {
        prepared.remove(txId);
    }

    // ---------------------------------------------------------------- durability

    /**
     * Makes what this thread just applied durable before the operation is acknowledged, unless a batch open on
     * this thread will, and takes a checkpoint when one is due. Called with no lock held.
     */
    void durable() {
        if (journal == null) {
            return;
        }
        Unsynced batch = openBatch.get();
        if (batch != null) {
            batch.pending = true;
            return;
        }
        durableNow();
    }

    /** {@link #durable()}, batch or not: for two-phase commit, whose every step must be durable before it answers. */
    void durableNow() {
        if (journal == null) {
            return;
        }
        journal.sync();
        checkpointIfDue();
    }

    /** {@link #durableNow()} without waiting: {@code action} runs once this thread's operations are durable. */
    void durableLater(Consumer<? super JournalException> action) {
        journal.whenSynced(action);
        checkpointIfDue();
    }

    /**
     * Opens a batch on this thread: see {@code Bank.batch()}.
     *
     * @return the batch's record of what it left unsynced, or null if this thread has one open already or there is
     *     no journal: the batch is then nested and the outer one, if any, syncs
     */
    Unsynced openBatch() {
        if (journal == null || openBatch.get() != null) {
            return null;
        }
        Unsynced batch = new Unsynced();
        openBatch.set(batch);
        return batch;
    }

    /** Closes {@code batch} if it is the one open on this thread. {@return whether it was} */
    boolean closeBatch(Unsynced batch) {
        if (openBatch.get() != batch) {
            return false;
        }
        openBatch.remove();
        return true;
    }

    /** What a batch open on a thread left unsynced. Confined to that thread. */
    static final class Unsynced {
        /** Whether an operation of the batch was journaled since its last sync: reads need none. */
        boolean pending;
    }

    // ---------------------------------------------------------------- checkpoints

    /** Takes a checkpoint now: see {@link Bank#checkpoint()}. */
    void checkpoint() {
        if (journal == null) {
            return;
        }
        checkpointLock.lock();
        try {
            takeCheckpoint();
        } finally {
            checkpointLock.unlock();
        }
    }

    /** Takes a checkpoint if the journal has grown enough since the last, unless one is being taken. */
    private void checkpointIfDue() {
        if (journal.bytesSinceCheckpoint() >= checkpointBytes && checkpointLock.tryLock()) {
            try {
                if (journal.bytesSinceCheckpoint() >= checkpointBytes) { // not taken by the holder before us
                    takeCheckpoint();
                }
            } catch (JournalException e) {
                // The operations are journaled; only the compaction failed, and the next due checkpoint retries it.
                LOG.log(System.Logger.Level.WARNING, "bank " + bankName + ": checkpoint failed", e);
            } finally {
                checkpointLock.unlock();
            }
        }
    }

    /** Copies the state and writes it; one at a time, so checkpoints complete in the order they began. */
    private void takeCheckpoint() {
        assert checkpointLock.isHeldByCurrentThread();
        // No account opens meanwhile: an opening appends outside any account lock.
        CheckpointCopy copy = accounts.whileNoneOpens(all -> {
            CheckpointCopy taken = new CheckpointCopy(all);
            strategy.writeAll(all, taken, CheckpointCopy::take);
            return taken;
        });
        journal.completeCheckpoint(copy.token, copy.checkpoint());
    }

    /** The state a checkpoint writes, copied under every account's lock. */
    private final class CheckpointCopy {
        final Account[] accounts;
        final long[] balances;
        long token;
        List<JournalRecord.Prepared> holding;
        List<JournalRecord.Identified> identified;

        CheckpointCopy(Account[] accounts) {
            this.accounts = accounts;
            this.balances = new long[accounts.length];
        }

        /** Runs under every account's lock, so no record is appended meanwhile. */
        long take() {
            token = journal.beginCheckpoint();
            for (int i = 0; i < accounts.length; i++) {
                balances[i] = accounts[i].balance;
            }
            holding = new ArrayList<>(prepared.values());
            identified = ids.toRecords();
            return 0;
        }

        Checkpoint checkpoint() {
            List<Checkpoint.AccountState> states = new ArrayList<>(accounts.length);
            for (int i = 0; i < accounts.length; i++) {
                states.add(new Checkpoint.AccountState(accounts[i].id(), balances[i]));
            }
            return new Checkpoint(states, holding, identified);
        }
    }
}

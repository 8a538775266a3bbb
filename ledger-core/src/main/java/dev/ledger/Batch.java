package dev.ledger;

import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Operations of one thread whose records are synced together: see {@link Bank#batch()}.
 *
 * <p>Concurrency: confined to the thread that opened it.
 */
public final class Batch implements AutoCloseable {
    private final BankJournal journal;
    /** What this batch left unsynced; null for a batch inside another, or of a bank without a journal. */
    private final BankJournal.Unsynced unsynced;

    Batch(BankJournal journal) {
        this.journal = journal;
        this.unsynced = journal.openBatch();
    }

    /**
     * Returns once every operation of the batch so far is durable; the batch stays open.
     *
     * @throws JournalException if the journal failed
     */
    public void sync() {
        if (unsynced != null && unsynced.pending) {
            journal.durableNow();
            unsynced.pending = false;
        }
    }

    /**
     * Returns whether every operation of the batch so far is durable: none wrote to the journal since the last sync
     * (reads only), or the bank has no journal. A nested batch answers true: its operations are the outer batch's
     * to sync.
     *
     * @return true if acknowledging the batch's operations needs no sync
     */
    public boolean isDurable() {
        return unsynced == null || !unsynced.pending;
    }

    /**
     * Closes the batch, then returns once all its operations are durable.
     *
     * @throws JournalException if the journal failed
     */
    @Override
    public void close() {
        if (unsynced != null && journal.closeBatch(unsynced)) {
            sync();
        }
    }

    /**
     * Closes the batch without waiting for the disk: {@code whenDurable} runs once all the batch's operations are
     * durable, on this thread before this returns if they already are, else later on the thread that makes them so
     * (see {@link Journal#whenSynced}). It receives null, or the journal's failure: then the operations must not be
     * acknowledged. A server acknowledges with it without parking a thread per client; the action must be short
     * and must not wait for the bank.
     *
     * @param whenDurable receives null once the operations are durable, or the journal's failure
     */
    public void closeThen(Consumer<? super JournalException> whenDurable) {
        Objects.requireNonNull(whenDurable, "whenDurable");
        if (unsynced != null && journal.closeBatch(unsynced) && unsynced.pending) {
            unsynced.pending = false;
            journal.durableLater(whenDurable);
            return;
        }
        whenDurable.accept(null);
    }
}

package dev.ledger.journal;

import dev.ledger.journal.internal.MemoryOnlyJournal;

/**
 * Where a bank writes every operation it applies, so that it can rebuild its state after a restart: a
 * {@link FileJournal}, or {@link #inMemory()} for a bank that need not survive its process. Give each bank its own
 * journal, pass it to the bank's builder, and close it after the bank's last use.
 *
 * <p>The library implements this interface; a bank accepts no other implementation. How a bank uses its journal
 * (records appended under the accounts' locks, synced before an operation is acknowledged, checkpoints) is
 * described in the {@linkplain dev.ledger.journal package documentation}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Journal extends AutoCloseable {

    /**
     * {@return the journal of a bank that lives in memory only, the default} Nothing is written and nothing
     * survives the process; a bank built with it skips journaling altogether.
     */
    static Journal inMemory() {
        return MemoryOnlyJournal.INSTANCE;
    }

    /**
     * Returns once every record appended before this call is durable as the journal's {@link SyncMode} promises.
     * A bank syncs on its own before it acknowledges an operation; call this before a backup, say.
     *
     * @throws JournalException if the records could not be written or forced; the journal has then failed
     */
    void sync();

    /** {@return the bytes of records appended since the latest checkpoint, which recovery would replay} */
    long bytesSinceCheckpoint();

    /** Syncs what was appended and releases the journal's files. Appends afterwards fail. */
    @Override
    void close();
}

package dev.ledger.journal.internal;

import dev.ledger.journal.Journal;
import java.util.function.Consumer;

/**
 * The journal of a bank that lives in memory only: appends are dropped, syncs return at once, recovery finds
 * nothing. A bank built with it skips journaling altogether.
 *
 * <p>Concurrency: stateless.
 */
public final class MemoryOnlyJournal implements Journal, RecordLog {
    /** The one instance: {@link Journal#inMemory()}. */
    public static final MemoryOnlyJournal INSTANCE = new MemoryOnlyJournal();

    private MemoryOnlyJournal() {
    }

    @Override
    public void append(JournalRecord record) {
    }

    @Override
    public void sync() {
    }

    @Override
    public void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records) {
    }

    @Override
    public long beginCheckpoint() {
        return 0;
    }

    @Override
    public void completeCheckpoint(long token, Checkpoint state) {
    }

    @Override
    public long bytesSinceCheckpoint() {
        return 0;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "in-memory";
    }
}

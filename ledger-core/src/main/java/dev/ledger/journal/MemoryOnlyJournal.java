package dev.ledger.journal;

import java.util.function.Consumer;

/** The journal of a bank that lives in memory only: it keeps nothing. Stateless, so one instance serves all. */
final class MemoryOnlyJournal implements Journal {
    static final MemoryOnlyJournal INSTANCE = new MemoryOnlyJournal();

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

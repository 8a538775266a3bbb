package dev.ledger;

import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.Journal;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A journal kept in a list, to test a bank's journaling and recovery apart from any file format: a new bank built
 * on the same instance recovers what the old one recorded, as a restarted process would from disk.
 *
 * <p>Concurrency: every method is synchronized on the instance, which guards all fields.
 */
final class RecordingJournal implements Journal, RecordLog {
    /** The records after the checkpoint; {@code dropped} records before them were compacted away. */
    private final List<JournalRecord> records = new ArrayList<>();
    private long dropped;
    private Checkpoint checkpoint;
    private int checkpoints;
    private int syncs;

    @Override
    public synchronized void append(JournalRecord record) {
        records.add(record);
    }

    @Override
    public synchronized void sync() {
        syncs++;
    }

    @Override
    public synchronized void recover(Consumer<Checkpoint> checkpointSink, Consumer<JournalRecord> recordSink) {
        if (checkpoint != null) {
            checkpointSink.accept(checkpoint);
        }
        new ArrayList<>(records).forEach(recordSink);
    }

    @Override
    public synchronized long beginCheckpoint() {
        return dropped + records.size();
    }

    @Override
    public synchronized void completeCheckpoint(long token, Checkpoint state) {
        records.subList(0, (int) (token - dropped)).clear();
        dropped = token;
        checkpoint = state;
        checkpoints++;
    }

    @Override
    public synchronized long bytesSinceCheckpoint() {
        return records.size();
    }

    @Override
    public void close() {
    }

    synchronized List<JournalRecord> records() {
        return List.copyOf(records);
    }

    synchronized int checkpoints() {
        return checkpoints;
    }

    synchronized int syncs() {
        return syncs;
    }
}

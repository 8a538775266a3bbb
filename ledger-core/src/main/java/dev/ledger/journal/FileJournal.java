package dev.ledger.journal;

import dev.ledger.journal.internal.RecordLogs;
import dev.ledger.journal.internal.SegmentLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link Journal} in a directory of files, durable as its {@link SyncMode} promises.
 *
 * <pre>{@code
 * try (FileJournal journal = FileJournal.open(Path.of("data"), SyncMode.BATCH)) {
 *     Bank bank = Bank.builder().journal(journal).build();   // recovers what the directory holds
 *     ...
 * }
 * }</pre>
 *
 * <p>Records are appended to segment files and synced with group commit: threads that sync at the same time share
 * one write and one force. A checkpoint stores the whole state and lets the segments before it be deleted, so that
 * recovery reads the newest checkpoint and the segments after it. A torn tail left by a crash is cut off and
 * logged; damage earlier in the journal fails recovery. A lock file keeps a second process out of the directory.
 *
 * <p>Concurrency: thread-safe; the engine behind it documents its locks.
 */
public final class FileJournal implements Journal {
    static {
        RecordLogs.registerFileJournals(journal -> journal instanceof FileJournal file ? file.log : null);
    }

    private final SegmentLog log;

    private FileJournal(SegmentLog log) {
        this.log = log;
    }

    /**
     * Opens the journal in {@code directory}, creating the directory if absent, and locks it for this journal.
     * Cuts off a torn tail left by a crash; the bank built with it then recovers what the files hold.
     *
     * @param directory the data directory; only this journal's files belong in it
     * @param mode when records are forced to stable storage
     * @return the journal, open for appends after the recovered records
     * @throws JournalException if the directory is in use by another process, or cannot be read or written, or
     *     its files are inconsistent (a segment missing)
     */
    public static FileJournal open(Path directory, SyncMode mode) {
        return new FileJournal(SegmentLog.open(directory, mode));
    }

    /**
     * {@inheritDoc}
     *
     * <p>NONE writes the records to the operating system; BATCH writes and forces them, once for every thread
     * syncing at the same time; ALWAYS writes and forces on every call. After {@link #close}, which synced
     * everything, it returns at once.
     */
    @Override
    public void sync() {
        log.sync();
    }

    @Override
    public long bytesSinceCheckpoint() {
        return log.bytesSinceCheckpoint();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent. Releases the directory's lock even if the final sync fails, and then throws its error.
     */
    @Override
    public void close() {
        log.close();
    }

    /** {@return how many times the journal was forced to stable storage since it was opened; with group commit, fewer
     * than the syncs} */
    public long forces() {
        return log.forces();
    }

    /** {@return the records appended since this journal was opened (not those it recovered)} */
    public long recordsAppended() {
        return log.recordsAppended();
    }

    /** {@return when the last checkpoint completed since this journal was opened, if one did} */
    public Optional<Instant> lastCheckpoint() {
        return log.lastCheckpoint();
    }

    /** {@return how this journal syncs} */
    public SyncMode mode() {
        return log.mode();
    }

    @Override
    public String toString() {
        return log.toString();
    }
}

package dev.ledger.journal.internal;

import dev.ledger.journal.JournalException;
import dev.ledger.journal.SyncMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A {@link RecordLog} in segment files of a {@link JournalDirectory}, durable as its {@link SyncMode} promises:
 * the engine behind {@code FileJournal}. Appends encode records into a buffer in memory; a sync
 * writes the buffer to the current segment and, in BATCH and ALWAYS mode, forces it, through {@link GroupCommit};
 * a checkpoint starts a new segment and, once its state is written, deletes the segments it covers.
 *
 * <p>Concurrency: three locks, always taken in this order: {@code checkpointLock}, then the group commit's flush
 * lock, then {@code appendLock}. {@code appendLock} guards the buffer of records not yet written and is held only to
 * encode a record into it or to swap it out, never across disk I/O, because {@link #append} runs under the bank's
 * account locks. The flush lock guards the files: only its holder writes or forces a segment or switches to a new
 * one; a holder whose caller may hold the bank's locks unlocks without running the actions of
 * {@link #whenSynced}. {@code checkpointLock} serializes checkpoint completion and close. Invariants:
 * {@code syncedBytes <= appendedBytes}; bytes are written in append order; in BATCH and ALWAYS mode, a segment's
 * bytes are written only after every older segment was forced, so after a power loss only the newest segment that
 * holds bytes can be torn. {@code failure} and {@code closed} are written holding both the flush lock and
 * {@code appendLock} and are volatile, so either lock, or none for a quick check, suffices to read them.
 */
public final class SegmentLog implements RecordLog, GroupCommit.Log, AutoCloseable {
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A buffer grown past this by a burst is replaced rather than kept. */
    private static final int RETAINED_BUFFER_BYTES = 4 * 1024 * 1024;

    private final JournalDirectory directory;
    private final SyncMode mode;

    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Makes appended records durable, one flush for many waiting threads; its lock guards the files. */
    private final GroupCommit commit;

    /** Encoded records not yet written, in write mode. Guarded by appendLock. */
    private ByteBuffer pending = ByteBuffer.allocate(BUFFER_BYTES);
    /** Reused for every record's checksum. Guarded by appendLock. */
    private final CRC32C appendCrc = new CRC32C();
    /** Bytes of records since the first segment recovery reads, recovered or appended. Written under appendLock. */
    private volatile long appendedBytes;
    /** Records appended since this journal was opened. Written under appendLock. */
    private volatile long appendedRecords;
    /** When the last checkpoint completed, in epoch milliseconds, or 0 if none has since this journal was opened. */
    private volatile long lastCheckpointMillis;

    /** The error that failed the journal; set once. Written under the flush lock and appendLock. */
    private volatile JournalException failure;
    /** Set once by close. Written under the flush lock and appendLock. */
    private volatile boolean closed;

    /** The empty buffer that takes {@code pending}'s place at the next swap. Guarded by the flush lock. */
    private ByteBuffer spare = ByteBuffer.allocate(BUFFER_BYTES);
    /** The segment appends go to. Guarded by the flush lock. */
    private long currentSegment;
    /** Its channel, positioned at its end. Guarded by the flush lock. */
    private FileChannel current;
    /** Older segments written but not yet forced, by number; empty in NONE mode. Guarded by the flush lock. */
    private final NavigableMap<Long, FileChannel> unforcedSegments = new TreeMap<>();
    /** Whether a segment was created since the directory was last forced. Guarded by the flush lock. */
    private boolean directoryDirty;
    /** For each checkpoint begun and not completed: the appendedBytes at its segment's start. Guarded by the flush lock. */
    private final NavigableMap<Long, Long> begunCheckpoints = new TreeMap<>();
    /** The appendedBytes that are as durable as the mode promises. Written under the flush lock. */
    private volatile long syncedBytes;
    /** How many times sync forced the journal, however many files each time. Written under the flush lock. */
    private volatile long forces;

    /** The newest checkpoint's number, 0 if none. Guarded by checkpointLock. */
    private long checkpointNumber;
    /** The appendedBytes at the newest checkpoint's segment start. Written under checkpointLock and the flush lock. */
    private volatile long checkpointStart;

    /** What open found, for recover; the checkpoint is dropped once delivered. Guarded by the flush lock. */
    private JournalDirectory.Layout recoverable;

    private SegmentLog(JournalDirectory directory, SyncMode mode) throws IOException {
        JournalDirectory.Layout layout = directory.layout();
        this.directory = directory;
        this.mode = mode;
        this.commit = new GroupCommit(this, "ledger-journal-flusher " + directory.path().getFileName());
        this.recoverable = layout;
        this.checkpointNumber = layout.checkpointNumber();
        this.currentSegment = layout.lastSegment();
        this.current = FileChannel.open(directory.segment(currentSegment), StandardOpenOption.WRITE);
        current.position(current.size());
        this.directoryDirty = layout.createdSegment();
        this.appendedBytes = layout.bytes();
        this.syncedBytes = layout.bytes();
    }

    /**
     * Opens the log in {@code directory}, creating the directory if absent, and locks it for this log. Cuts off a
     * torn tail left by a crash; {@link #recover} then delivers what the files hold.
     *
     * @param directory the data directory; only this log's files belong in it
     * @param mode when records are forced to stable storage
     * @return the log, open for appends after the recovered records
     * @throws JournalException if the directory is in use by another process, or cannot be read or written, or
     *     its files are inconsistent (a segment missing)
     */
    public static SegmentLog open(Path directory, SyncMode mode) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(mode, "mode");
        JournalDirectory opened = JournalDirectory.open(directory);
        try {
            return new SegmentLog(opened, mode);
        } catch (IOException | RuntimeException e) {
            opened.release();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new JournalException("cannot open the journal in " + opened.path(), e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs once, before the first append or checkpoint; a second call throws {@link IllegalStateException}.
     * The sinks run while the journal's flush lock is held: they must not call back into this journal.
     */
    @Override
    public void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records) {
        commit.lock();
        try {
            ensureUsable();
            JournalDirectory.Layout layout = recoverable;
            if (layout == null || currentSegment != layout.lastSegment() || appendedBytes != layout.bytes()) {
                throw new IllegalStateException(this + ": recover runs once, before the first append");
            }
            recoverable = null; // also lets the checkpoint, possibly large, be collected once delivered
            if (layout.checkpoint() != null) {
                checkpoint.accept(layout.checkpoint());
            }
            for (long number = layout.firstSegment(); number <= layout.lastSegment(); number++) {
                Path segment = directory.segment(number);
                RecordCodec.ReadResult read;
                try {
                    read = JournalDirectory.readSegment(segment, records);
                } catch (IOException e) {
                    throw new JournalException("cannot read " + segment, e);
                }
                if (read.problem() != null) {
                    throw new JournalException(segment + " is corrupt at offset " + read.validBytes() + ": "
                            + read.problem() + "; it is not the journal's tail, so the records after it cannot be "
                            + "trusted", null);
                }
            }
        } finally {
            commit.unlock(false);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only encodes the record into memory; {@link #sync} writes it.
     *
     * @throws IllegalArgumentException if the record is too large for the format (a string over 65535 UTF-8
     *     bytes, an encoding over 1 MiB); nothing was appended and the journal stays usable
     */
    @Override
    public void append(JournalRecord record) {
        Objects.requireNonNull(record, "record");
        appendLock.lock();
        try {
            ensureUsable();
            int start = pending.position();
            while (!RecordCodec.writeFramed(pending, record, appendCrc)) {
                pending = grown(pending);
            }
            appendedBytes += pending.position() - start;
            appendedRecords++;
        } finally {
            appendLock.unlock();
        }
    }

    private static ByteBuffer grown(ByteBuffer buffer) {
        ByteBuffer larger = ByteBuffer.allocate(2 * buffer.capacity());
        buffer.flip();
        return larger.put(buffer);
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
        long target = appendedBytes;
        if (mode == SyncMode.ALWAYS) {
            commit.lock();
            try {
                throwIfFailed();
                if (!closed) {
                    writePending(true);
                }
            } finally {
                commit.unlock(true);
            }
            return;
        }
        commit.sync(target);
    }

    /**
     * {@inheritDoc}
     *
     * <p>In BATCH and NONE mode this thread flushes if no other thread is flushing, and runs the actions its flush
     * covered, this one among them; otherwise the flush in progress, or the next, runs the action. ALWAYS syncs
     * on this thread first.
     */
    @Override
    public void whenSynced(Consumer<? super JournalException> action) {
        Objects.requireNonNull(action, "action");
        if (mode == SyncMode.ALWAYS) {
            RecordLog.super.whenSynced(action);
            return;
        }
        commit.whenSynced(appendedBytes, action);
    }

    private void throwIfFailed() {
        JournalException failed = failure;
        if (failed != null) {
            throw failedEarlier(failed);
        }
    }

    /** Writes everything appended so far and, if {@code force}, forces it and every older unforced segment. */
    private void writePending(boolean force) {
        assert commit.isHeldByCurrentThread();
        ByteBuffer batch;
        long end;
        appendLock.lock();
        try {
            batch = pending;
            pending = spare;
            end = appendedBytes;
        } finally {
            appendLock.unlock();
        }
        spare = null;
        try {
            if (force) {
                forceUnforcedSegments();
            }
            batch.flip();
            RecordCodec.writeFully(current, batch);
            if (force) {
                current.force(false);
                if (directoryDirty) {
                    directory.force(); // makes the new segment's name durable with its records
                    directoryDirty = false;
                }
                forces++;
            }
            syncedBytes = end;
        } catch (IOException e) {
            throw fail("could not write or force " + directory.segment(currentSegment), e);
        } finally {
            spare = batch.capacity() > RETAINED_BUFFER_BYTES ? ByteBuffer.allocate(BUFFER_BYTES) : batch.clear();
        }
    }

    private void forceUnforcedSegments() throws IOException {
        while (!unforcedSegments.isEmpty()) {
            FileChannel segment = unforcedSegments.firstEntry().getValue();
            segment.force(false);
            segment.close();
            unforcedSegments.pollFirstEntry();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes the pending records to the current segment, without forcing them (the next {@link #sync} does),
     * and starts the next segment, whose number is the token. It may wait for a sync in progress to finish.
     */
    @Override
    public long beginCheckpoint() {
        commit.lock();
        try {
            appendLock.lock();
            try {
                ensureUsable();
                if (mode != SyncMode.NONE) {
                    forceUnforcedSegments(); // rare, two checkpoints without a sync: keeps older segments durable first
                }
                pending.flip();
                RecordCodec.writeFully(current, pending);
                pending.clear();
                if (mode == SyncMode.NONE) {
                    syncedBytes = appendedBytes;
                }
                long next = currentSegment + 1;
                FileChannel created = FileChannel.open(directory.segment(next),
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                if (mode == SyncMode.NONE) {
                    current.close();
                } else {
                    unforcedSegments.put(currentSegment, current);
                }
                current = created;
                currentSegment = next;
                directoryDirty = true;
                begunCheckpoints.put(next, appendedBytes);
                return next;
            } catch (IOException e) {
                throw fail("could not start segment " + JournalDirectory.segmentName(currentSegment + 1), e);
            } finally {
                appendLock.unlock();
            }
        } finally {
            commit.unlock(false);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Writes and forces {@code checkpoint-<token>.tmp}, renames it atomically to {@code checkpoint-<token>.bin},
     * forces the directory, then deletes the older segments and checkpoints.
     *
     * @throws IllegalArgumentException if {@code token} is not from a {@link #beginCheckpoint} of this journal
     *     that is newer than the latest completed checkpoint
     * @throws JournalException also if the journal has failed or is closed
     */
    @Override
    public void completeCheckpoint(long token, Checkpoint state) {
        Objects.requireNonNull(state, "state");
        checkpointLock.lock();
        try {
            long segmentStart;
            commit.lock();
            try {
                ensureUsable();
                Long begun = begunCheckpoints.get(token);
                if (begun == null || token <= checkpointNumber) {
                    throw new IllegalArgumentException(this + ": " + token + " is not the token of a checkpoint "
                            + "begun after checkpoint " + checkpointNumber);
                }
                segmentStart = begun;
            } finally {
                commit.unlock(false);
            }
            // beginCheckpoint wrote every record before the token to its segment; the checkpoint replaces them.
            directory.writeCheckpoint(token, state);
            commit.lock();
            try {
                begunCheckpoints.headMap(token, true).clear();
                NavigableMap<Long, FileChannel> covered = unforcedSegments.headMap(token, false);
                covered.values().forEach(JournalDirectory::closeQuietly); // no force needed: the checkpoint covers them
                covered.clear();
                checkpointStart = segmentStart;
            } finally {
                commit.unlock(false);
            }
            checkpointNumber = token;
            lastCheckpointMillis = System.currentTimeMillis();
            directory.deleteCoveredFiles(token);
        } finally {
            checkpointLock.unlock();
        }
    }

    @Override
    public long bytesSinceCheckpoint() {
        return appendedBytes - checkpointStart;
    }

    /**
     * Syncs what was appended and releases the directory's files and lock; appends afterwards fail. Idempotent.
     * Releases the lock even if the final sync fails, and then throws its error.
     */
    @Override
    public void close() {
        checkpointLock.lock();
        commit.lock();
        try {
            if (closed) {
                return;
            }
            JournalException syncError = null;
            if (failure == null && (syncedBytes < appendedBytes || !unforcedSegments.isEmpty())) {
                try {
                    writePending(mode != SyncMode.NONE);
                } catch (JournalException e) {
                    syncError = e;
                }
            }
            appendLock.lock();
            try {
                closed = true;
            } finally {
                appendLock.unlock();
            }
            unforcedSegments.values().forEach(JournalDirectory::closeQuietly);
            unforcedSegments.clear();
            JournalDirectory.closeQuietly(current);
            directory.release();
            commit.closed(); // the flusher sees closed and ends
            if (syncError != null) {
                throw syncError;
            }
        } finally {
            commit.unlock(true);
            checkpointLock.unlock();
        }
    }

    /** {@return how many times the journal was forced to stable storage since it was opened; with group commit, fewer
     * than the syncs} */
    public long forces() {
        return forces;
    }

    /** {@return the records appended since this journal was opened (not those it recovered)} */
    public long recordsAppended() {
        return appendedRecords;
    }

    /** {@return when the last checkpoint completed since this journal was opened, if one did} */
    public Optional<Instant> lastCheckpoint() {
        long millis = lastCheckpointMillis;
        return millis == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** {@return how this journal syncs} */
    public SyncMode mode() {
        return mode;
    }

    // ---------------------------------------------------------------- what group commit reads and runs

    @Override
    public long appendedBytes() {
        return appendedBytes;
    }

    @Override
    public long syncedBytes() {
        return syncedBytes;
    }

    @Override
    public JournalException failure() {
        return failure;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void flush() {
        writePending(mode != SyncMode.NONE);
    }

    private void ensureUsable() {
        JournalException failed = failure;
        if (failed != null) {
            throw failedEarlier(failed);
        }
        if (closed) {
            throw new JournalException(this + " is closed", null);
        }
    }

    @Override
    public JournalException failedEarlier(JournalException failed) {
        return new JournalException(this + " failed earlier and accepts no more records; restart to recover what "
                + "is durable", failed);
    }

    /** Fails the journal for good: records may have been lost between memory and disk. */
    private JournalException fail(String what, IOException cause) {
        assert commit.isHeldByCurrentThread();
        JournalException failed = new JournalException(this + ": " + what + "; the journal accepts no more records",
                cause);
        appendLock.lock();
        try {
            if (failure == null) {
                failure = failed;
            }
        } finally {
            appendLock.unlock();
        }
        return failed;
    }

    @Override
    public String toString() {
        return "file:" + directory.path() + " (" + mode.name().toLowerCase(Locale.ROOT) + ")";
    }
}

package dev.ledger.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * A {@link Journal} in a directory of files, durable as its {@link SyncMode} promises.
 *
 * <p>Files: records are appended to segments {@code journal-<n>.log}, n zero-padded to 16 digits and counted from 1;
 * a checkpoint {@code checkpoint-<n>.bin} holds the state as of the start of segment n, which makes every segment
 * before n obsolete. Recovery reads the newest checkpoint whose checksum holds, then every segment from n on, in
 * order. The format is {@code RecordCodec}'s. A torn or corrupt tail of the last segment that holds any bytes (a
 * crash in mid-write) is cut off and logged; the same damage earlier is corruption and fails recovery. A file
 * {@code lock}, locked while the journal is open, keeps a second process out.
 *
 * <p>Concurrency: three locks, always taken in this order: {@code checkpointLock}, then {@code flushLock}, then
 * {@code appendLock}. {@code appendLock} guards the buffer of records not yet written and is held only to encode
 * a record into it or to swap it out, never across disk I/O, because {@link #append} runs under the bank's
 * account locks. {@code flushLock} guards the files: only its holder writes or forces a segment or switches to
 * a new one. {@link #sync} is group commit: a thread that finds its records already synced returns; one that finds
 * {@code flushLock} free becomes the leader, swaps the pending buffer out and writes and forces everything appended
 * so far; the others park in {@code flushWaiters} (not in the lock's queue) until a leader's flush covers them.
 * {@link #whenSynced} queues its action in {@code syncActions} instead of parking; a holder of {@code flushLock}
 * that may run actions (one whose caller holds none of the bank's locks), after it unlocks, claims and runs the
 * actions that are synced, and hands the others to the {@code flusher} thread, which flushes until none is left.
 * Claiming is a compare-and-set on the action, so each runs once, and runners do not wait for one another: an
 * action that blocks holds up only its own runner.
 * {@code checkpointLock} serializes checkpoint completion and close. Invariants:
 * {@code syncedBytes <= appendedBytes}; bytes are written in append order; in BATCH and ALWAYS mode, a segment's
 * bytes are written only after every older segment was forced, so after a power loss only the newest segment that
 * holds bytes can be torn. {@code failure} and {@code closed} are written holding both {@code flushLock} and
 * {@code appendLock} and are volatile, so either lock, or none for a quick check, suffices to read them.
 */
public final class FileJournal implements Journal {
    private static final System.Logger LOG = System.getLogger(FileJournal.class.getName());
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{16})\\.(bin|tmp)");
    private static final String LOCK_FILE = "lock";
    private static final int BUFFER_BYTES = 64 * 1024;
    /** A buffer grown past this by a burst is replaced rather than kept. */
    private static final int RETAINED_BUFFER_BYTES = 4 * 1024 * 1024;
    /**
     * The directories a journal of this JVM holds open. Checked before the lock file is touched: closing a second
     * channel on the lock file would release the OS lock the first one holds, on POSIX systems.
     */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final SyncMode mode;
    /** Holds the lock on the directory's lock file; closing it releases the lock. */
    private final FileChannel lockChannel;

    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final ReentrantLock flushLock = new ReentrantLock();
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Threads parked in awaitFlush, each until the journal is synced up to its target; concurrent. */
    private final Queue<FlushWaiter> flushWaiters = new ConcurrentLinkedQueue<>();
    /** Actions of whenSynced not yet run; concurrent. A thread runs an action only once it claimed it. */
    private final Queue<SyncAction> syncActions = new ConcurrentLinkedQueue<>();
    /** Flushes for actions no caller's flush covered; started by the first whenSynced. */
    private final Flusher flusher = new Flusher();

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

    /** The error that failed the journal; set once. Written under flushLock and appendLock. */
    private volatile JournalException failure;
    /** Set once by close. Written under flushLock and appendLock. */
    private volatile boolean closed;

    /** The empty buffer that takes {@code pending}'s place at the next swap. Guarded by flushLock. */
    private ByteBuffer spare = ByteBuffer.allocate(BUFFER_BYTES);
    /** The segment appends go to. Guarded by flushLock. */
    private long currentSegment;
    /** Its channel, positioned at its end. Guarded by flushLock. */
    private FileChannel current;
    /** Older segments written but not yet forced, by number; empty in NONE mode. Guarded by flushLock. */
    private final NavigableMap<Long, FileChannel> unforcedSegments = new TreeMap<>();
    /** Whether a segment was created since the directory was last forced. Guarded by flushLock. */
    private boolean directoryDirty;
    /** For each checkpoint begun and not completed: the appendedBytes at its segment's start. Guarded by flushLock. */
    private final NavigableMap<Long, Long> begunCheckpoints = new TreeMap<>();
    /** The appendedBytes that are as durable as the mode promises. Written under flushLock. */
    private volatile long syncedBytes;
    /** How many times sync forced the journal, however many files each time. Written under flushLock. */
    private volatile long forces;

    /** The newest checkpoint's number, 0 if none. Guarded by checkpointLock. */
    private long checkpointNumber;
    /** The appendedBytes at the newest checkpoint's segment start. Written under checkpointLock and flushLock. */
    private volatile long checkpointStart;

    /** What open found, for recover; the checkpoint is dropped once delivered. Guarded by flushLock. */
    private Layout recoverable;

    private FileJournal(Path directory, SyncMode mode, FileChannel lockChannel, Layout layout) throws IOException {
        this.directory = directory;
        this.mode = mode;
        this.lockChannel = lockChannel;
        this.recoverable = layout;
        this.checkpointNumber = layout.checkpointNumber();
        this.currentSegment = layout.lastSegment();
        this.current = FileChannel.open(segmentPath(currentSegment), StandardOpenOption.WRITE);
        current.position(current.size());
        this.directoryDirty = layout.createdSegment();
        this.appendedBytes = layout.bytes();
        this.syncedBytes = layout.bytes();
    }

    /**
     * Opens the journal in {@code directory}, creating the directory if absent, and locks it for this journal.
     * Cuts off a torn tail left by a crash; {@link #recover} then delivers what the files hold.
     *
     * @param directory the data directory; only this journal's files belong in it
     * @param mode when records are forced to stable storage
     * @return the journal, open for appends after the recovered records
     * @throws JournalException if the directory is in use by another process, or cannot be read or written, or
     *     its files are inconsistent (a segment missing)
     */
    public static FileJournal open(Path directory, SyncMode mode) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(mode, "mode");
        Path realDirectory;
        try {
            Files.createDirectories(directory);
            realDirectory = directory.toRealPath();
        } catch (IOException e) {
            throw new JournalException("cannot create the data directory " + directory, e);
        }
        if (!OPEN_DIRECTORIES.add(realDirectory)) {
            throw inUse(realDirectory, null);
        }
        FileChannel lockChannel = null;
        try {
            lockChannel = FileChannel.open(realDirectory.resolve(LOCK_FILE),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw inUse(realDirectory, e);
            }
            if (lock == null) {
                throw inUse(realDirectory, null);
            }
            return new FileJournal(realDirectory, mode, lockChannel, load(realDirectory));
        } catch (IOException | RuntimeException e) {
            closeQuietly(lockChannel); // releases the lock, if taken
            OPEN_DIRECTORIES.remove(realDirectory);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new JournalException("cannot open the journal in " + realDirectory, e);
        }
    }

    private static JournalException inUse(Path directory, Throwable cause) {
        return new JournalException("the data directory " + directory
                + " is in use by another process (or another journal in this one)", cause);
    }

    /**
     * What the directory holds, once repaired.
     *
     * @param checkpoint the newest valid checkpoint, or null
     * @param checkpointNumber its number, 0 if none
     * @param firstSegment the first segment recovery reads
     * @param lastSegment the segment appends continue in
     * @param bytes the bytes of the segments from {@code firstSegment} on
     * @param createdSegment whether {@code lastSegment} was just created
     */
    private record Layout(Checkpoint checkpoint, long checkpointNumber, long firstSegment, long lastSegment,
                          long bytes, boolean createdSegment) {
    }

    /**
     * Finds the newest valid checkpoint and the segments after it, deletes what they make obsolete, checks the
     * segments follow each other without a gap, and cuts off a torn tail.
     */
    private static Layout load(Path directory) throws IOException {
        NavigableMap<Long, Path> segments = new TreeMap<>();
        NavigableMap<Long, Path> checkpoints = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher segment = SEGMENT.matcher(name);
                Matcher checkpoint = CHECKPOINT.matcher(name);
                if (segment.matches()) {
                    segments.put(Long.parseLong(segment.group(1)), file);
                } else if (checkpoint.matches() && checkpoint.group(2).equals("tmp")) {
                    Files.delete(file); // a checkpoint whose writing was interrupted; its segments are all there
                } else if (checkpoint.matches()) {
                    checkpoints.put(Long.parseLong(checkpoint.group(1)), file);
                }
            }
        }
        Checkpoint checkpoint = null;
        long checkpointNumber = 0;
        for (Map.Entry<Long, Path> candidate : checkpoints.descendingMap().entrySet()) {
            try {
                checkpoint = RecordCodec.readCheckpoint(Files.readAllBytes(candidate.getValue()), candidate.getKey());
                checkpointNumber = candidate.getKey();
                break;
            } catch (RecordCodec.CorruptException e) {
                LOG.log(System.Logger.Level.WARNING, "ignoring checkpoint " + candidate.getValue() + ": "
                        + e.getMessage() + "; trying an older one");
            }
        }
        // A crash between a checkpoint's rename and the deletions it allows leaves these behind.
        for (Path obsolete : segments.headMap(checkpointNumber, false).values()) {
            Files.delete(obsolete);
        }
        for (Path obsolete : checkpoints.headMap(checkpointNumber, false).values()) {
            Files.delete(obsolete);
        }
        NavigableMap<Long, Path> live = segments.tailMap(checkpointNumber, true);
        long first = checkpointNumber > 0 ? checkpointNumber : live.isEmpty() ? 1 : live.firstKey();
        if (checkpointNumber == 0 && first > 1) {
            throw new JournalException(directory + ": the segments before " + segmentName(first) + " are gone and "
                    + "no valid checkpoint covers them; recovery would lose their records", null);
        }
        long expected = first;
        for (long number : live.keySet()) {
            if (number != expected) {
                throw new JournalException(directory + ": segment " + segmentName(expected) + " is missing; "
                        + "recovery would lose its records", null);
            }
            expected++;
        }
        if (live.isEmpty()) {
            Files.createFile(directory.resolve(segmentName(first)));
            return new Layout(checkpoint, checkpointNumber, first, first, 0, true);
        }
        long last = live.lastKey();
        // Segments after the tail can only be empty: created by a checkpoint that began, never written to.
        long tail = last;
        while (tail > first && Files.size(live.get(tail)) == 0) {
            tail--;
        }
        cutTornTail(live.get(tail));
        long bytes = 0;
        for (Path segment : live.values()) {
            bytes += Files.size(segment);
        }
        return new Layout(checkpoint, checkpointNumber, first, last, bytes, false);
    }

    private static void cutTornTail(Path segment) throws IOException {
        RecordCodec.ReadResult read = readSegment(segment, record -> { });
        if (read.problem() == null) {
            return;
        }
        long size = Files.size(segment);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(read.validBytes());
            channel.force(true);
        }
        LOG.log(System.Logger.Level.WARNING, segment + ": cut off a torn or corrupt tail at offset "
                + read.validBytes() + ", " + (size - read.validBytes()) + " bytes dropped: " + read.problem());
    }

    private static RecordCodec.ReadResult readSegment(Path segment, Consumer<? super JournalRecord> sink)
            throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(segment), BUFFER_BYTES)) {
            return RecordCodec.readRecords(in, sink);
        }
    }

    /** {@return the file name of segment {@code number}} */
    static String segmentName(long number) {
        return String.format(Locale.ROOT, "journal-%016d.log", number);
    }

    /** {@return the file name of checkpoint {@code number}, with the extension {@code bin} or {@code tmp}} */
    static String checkpointName(long number, String extension) {
        return String.format(Locale.ROOT, "checkpoint-%016d.%s", number, extension);
    }

    private Path segmentPath(long number) {
        return directory.resolve(segmentName(number));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Runs once, before the first append or checkpoint; a second call throws {@link IllegalStateException}.
     * The sinks run while the journal's flush lock is held: they must not call back into this journal.
     */
    @Override
    public void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records) {
        flushLock.lock();
        try {
            ensureUsable();
            Layout layout = recoverable;
            if (layout == null || currentSegment != layout.lastSegment() || appendedBytes != layout.bytes()) {
                throw new IllegalStateException(this + ": recover runs once, before the first append");
            }
            recoverable = null; // also lets the checkpoint, possibly large, be collected once delivered
            if (layout.checkpoint() != null) {
                checkpoint.accept(layout.checkpoint());
            }
            for (long number = layout.firstSegment(); number <= layout.lastSegment(); number++) {
                Path segment = segmentPath(number);
                RecordCodec.ReadResult read;
                try {
                    read = readSegment(segment, records);
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
            unlockFlush();
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
            flushLock.lock();
            try {
                throwIfFailed();
                if (!closed) {
                    writePending(true);
                }
            } finally {
                unlockFlushAndRunActions();
            }
            return;
        }
        while (true) {
            throwIfFailed();
            if (syncedBytes >= target) {
                return;
            }
            if (flushLock.tryLock()) {
                try {
                    throwIfFailed();
                    if (closed || syncedBytes >= target) {
                        return; // a leader before us synced our records
                    }
                    writePending(mode != SyncMode.NONE);
                } finally {
                    unlockFlushAndRunActions();
                }
            } else {
                awaitFlush(target);
            }
        }
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
            Journal.super.whenSynced(action);
            return;
        }
        long target = appendedBytes;
        JournalException failed = failure;
        if (failed != null) {
            action.accept(failedEarlier(failed));
            return;
        }
        if (syncedBytes >= target || closed) { // close synced everything
            action.accept(null);
            return;
        }
        flusher.startOnce();
        syncActions.add(new SyncAction(target, action));
        if (flushLock.tryLock()) {
            flushAndUnlock();
        } // else the holder runs or hands over this action when it unlocks: it was queued before the tryLock
    }

    /** Writes, and in BATCH mode forces, what is pending, holding {@code flushLock}; then unlocks. */
    private void flushAndUnlock() {
        try {
            if (failure == null && !closed && syncedBytes < appendedBytes) {
                writePending(mode != SyncMode.NONE);
            }
        } catch (JournalException e) {
            // failure is set; unlockFlush passes it to every queued action and waiter
        } finally {
            unlockFlushAndRunActions();
        }
    }

    /**
     * Parks while another thread holds {@code flushLock} and this thread's records are not yet synced. Waiting
     * here, rather than queueing on the lock, is what makes the commit a group commit: a lock hands over to one
     * thread at a time, so the waiters a flush covered would file out one context switch after another, and each
     * would start a flush of its own. Instead every holder, after it unlocks, wakes at once the waiters its flush
     * covered, and one waiter it did not, to take the lock and flush the rest.
     *
     * <p>No waiter sleeps forever: it registers before each look at the lock, so either it sees the lock free and
     * goes back to take it, or the holder it saw finds its entry after unlocking. An entry stays queued until its
     * records are synced, so a later holder finds it if this one does not wake it.
     */
    private void awaitFlush(long target) {
        FlushWaiter waiter = new FlushWaiter(Thread.currentThread(), target);
        while (true) {
            flushWaiters.add(waiter); // again after a wake-up: a leftover entry only costs a spurious wake-up
            if (syncedBytes >= target || failure != null || !flushLock.isLocked()) {
                return;
            }
            LockSupport.park(this);
        }
    }

    /**
     * Releases {@code flushLock}, wakes the waiters that are synced, and one that is not, to lead the next flush,
     * and leaves the queued actions to the flusher. For callers that may hold the bank's locks.
     */
    private void unlockFlush() {
        flushLock.unlock();
        wakeWaiters();
        if (!syncActions.isEmpty()) {
            flusher.signal();
        }
    }

    /**
     * {@link #unlockFlush}, but runs the actions that are synced on this thread, and leaves only the others to the
     * flusher. For callers that hold no lock of the bank's: an action writes to a socket.
     */
    private void unlockFlushAndRunActions() {
        flushLock.unlock();
        wakeWaiters();
        if (!syncActions.isEmpty() && runSyncedActions()) {
            flusher.signal();
        }
    }

    private void wakeWaiters() {
        long synced = syncedBytes;
        boolean wakeAll = failure != null || closed;
        boolean leaderWoken = false;
        for (Iterator<FlushWaiter> queued = flushWaiters.iterator(); queued.hasNext(); ) {
            FlushWaiter waiter = queued.next();
            if (wakeAll || waiter.target() <= synced) {
                queued.remove();
                LockSupport.unpark(waiter.thread());
            } else if (!leaderWoken) {
                LockSupport.unpark(waiter.thread());
                leaderWoken = true;
            }
        }
    }

    /** A thread parked until the journal is synced up to {@code target} bytes. */
    private record FlushWaiter(Thread thread, long target) {
    }

    /**
     * Claims and runs, in queue order, the queued actions whose records are synced, or all of them with the
     * failure if the journal failed, or with none if it is closed (close synced everything).
     *
     * @return whether actions are left that wait for a flush
     */
    private boolean runSyncedActions() {
        long synced = syncedBytes;
        JournalException failed = failure;
        boolean all = failed != null || closed;
        for (Iterator<SyncAction> queued = syncActions.iterator(); queued.hasNext(); ) {
            SyncAction next = queued.next();
            if ((all || next.target <= synced) && next.claim()) {
                queued.remove();
                next.run(failed == null ? null : failedEarlier(failed));
            }
        }
        return !syncActions.isEmpty();
    }

    /** An action waiting until the journal is synced up to {@code target} bytes; the flag says it is claimed. */
    @SuppressWarnings("serial") // never serialized
    private static final class SyncAction extends AtomicBoolean {
        final long target;
        final Consumer<? super JournalException> action;

        SyncAction(long target, Consumer<? super JournalException> action) {
            this.target = target;
            this.action = action;
        }

        boolean claim() {
            return !get() && compareAndSet(false, true);
        }

        void run(JournalException failure) {
            try {
                action.accept(failure);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an action waiting for the journal failed", e);
            }
        }
    }

    /**
     * The thread that flushes for actions whose threads did not wait: while any is queued and not synced, it
     * takes {@code flushLock}, flushes, and runs them. A daemon; it ends when the journal closes.
     *
     * <p>Concurrency: {@code signaled} is set by any thread and cleared by the flusher before it looks at the queue,
     * so a signal sent while it flushes makes it look again; it parks only while no signal is pending.
     */
    private final class Flusher implements Runnable {
        private volatile boolean signaled;
        /** Set once, by startOnce; read by signal. */
        private volatile Thread thread;

        void startOnce() {
            if (thread == null) {
                synchronized (this) {
                    if (thread == null) {
                        Thread started = new Thread(this, "ledger-journal-flusher " + directory.getFileName());
                        started.setDaemon(true);
                        thread = started;
                        started.start();
                    }
                }
            }
        }

        void signal() {
            signaled = true;
            Thread flushing = thread;
            if (flushing != null) {
                LockSupport.unpark(flushing);
            }
        }

        @Override
        public void run() {
            while (!closed) {
                if (!signaled) {
                    LockSupport.park(this);
                    continue;
                }
                signaled = false;
                while (!syncActions.isEmpty() && !closed) {
                    flushLock.lock();
                    flushAndUnlock();
                }
            }
            runSyncedActions(); // close synced their records
        }
    }

    private void throwIfFailed() {
        JournalException failed = failure;
        if (failed != null) {
            throw failedEarlier(failed);
        }
    }

    /** Writes everything appended so far and, if {@code force}, forces it and every older unforced segment. */
    private void writePending(boolean force) {
        assert flushLock.isHeldByCurrentThread();
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
                    forceDirectory(directory); // makes the new segment's name durable with its records
                    directoryDirty = false;
                }
                forces++;
            }
            syncedBytes = end;
        } catch (IOException e) {
            throw fail("could not write or force " + segmentPath(currentSegment), e);
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
        flushLock.lock();
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
                FileChannel created = FileChannel.open(segmentPath(next),
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
                throw fail("could not start segment " + segmentName(currentSegment + 1), e);
            } finally {
                appendLock.unlock();
            }
        } finally {
            unlockFlush();
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
            flushLock.lock();
            try {
                ensureUsable();
                Long begun = begunCheckpoints.get(token);
                if (begun == null || token <= checkpointNumber) {
                    throw new IllegalArgumentException(this + ": " + token + " is not the token of a checkpoint "
                            + "begun after checkpoint " + checkpointNumber);
                }
                segmentStart = begun;
            } finally {
                unlockFlush();
            }
            // beginCheckpoint wrote every record before the token to its segment; the checkpoint replaces them.
            writeCheckpointFile(token, state);
            flushLock.lock();
            try {
                begunCheckpoints.headMap(token, true).clear();
                NavigableMap<Long, FileChannel> covered = unforcedSegments.headMap(token, false);
                covered.values().forEach(FileJournal::closeQuietly); // no force needed: the checkpoint covers them
                covered.clear();
                checkpointStart = segmentStart;
            } finally {
                unlockFlush();
            }
            checkpointNumber = token;
            lastCheckpointMillis = System.currentTimeMillis();
            deleteCoveredFiles(token);
        } finally {
            checkpointLock.unlock();
        }
    }

    private void writeCheckpointFile(long number, Checkpoint state) {
        Path temporary = directory.resolve(checkpointName(number, "tmp"));
        Path file = directory.resolve(checkpointName(number, "bin"));
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                RecordCodec.writeCheckpoint(out, number, state);
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new JournalException(this + ": could not write checkpoint " + file + "; recovery still uses the "
                    + "previous checkpoint and every record after it", e);
        }
        forceDirectory(directory);
    }

    /** Deletes the segments and checkpoints older than checkpoint {@code number}; recovery retries any left. */
    private void deleteCoveredFiles(long number) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher segment = SEGMENT.matcher(name);
                Matcher checkpoint = CHECKPOINT.matcher(name);
                if (segment.matches() && Long.parseLong(segment.group(1)) < number
                        || checkpoint.matches() && Long.parseLong(checkpoint.group(1)) < number) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, this + ": could not delete the files checkpoint " + number
                    + " makes obsolete; the next open retries", e);
        }
    }

    /** Forces a directory's entries to disk. Some platforms cannot open a directory; there a rename is as it is. */
    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot force the directory " + directory, e);
        }
    }

    @Override
    public long bytesSinceCheckpoint() {
        return appendedBytes - checkpointStart;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Idempotent. Releases the directory's lock even if the final sync fails, and then throws its error.
     */
    @Override
    public void close() {
        checkpointLock.lock();
        flushLock.lock();
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
            unforcedSegments.values().forEach(FileJournal::closeQuietly);
            unforcedSegments.clear();
            closeQuietly(current);
            closeQuietly(lockChannel); // releases the directory's lock
            OPEN_DIRECTORIES.remove(directory);
            flusher.signal(); // it sees closed and ends
            if (syncError != null) {
                throw syncError;
            }
        } finally {
            unlockFlushAndRunActions();
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

    private void ensureUsable() {
        JournalException failed = failure;
        if (failed != null) {
            throw failedEarlier(failed);
        }
        if (closed) {
            throw new JournalException(this + " is closed", null);
        }
    }

    private JournalException failedEarlier(JournalException failed) {
        return new JournalException(this + " failed earlier and accepts no more records; restart to recover what "
                + "is durable", failed);
    }

    /** Fails the journal for good: records may have been lost between memory and disk. */
    private JournalException fail(String what, IOException cause) {
        assert flushLock.isHeldByCurrentThread();
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

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not close a journal file", e);
        }
    }

    @Override
    public String toString() {
        return "file:" + directory + " (" + mode.name().toLowerCase(Locale.ROOT) + ")";
    }
}

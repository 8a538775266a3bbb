package dev.ledger.journal.internal;

import dev.ledger.journal.JournalException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A journal's directory: its files, the lock that keeps a second journal out, and the repairs a crash makes
 * necessary.
 *
 * <p>Files: records are appended to segments {@code journal-<n>.log}, n zero-padded to 16 digits and counted from 1;
 * a checkpoint {@code checkpoint-<n>.bin} holds the state as of the start of segment n, which makes every segment
 * before n obsolete. Recovery reads the newest checkpoint whose checksum holds, then every segment from n on, in
 * order. The format is {@code RecordCodec}'s. A torn or corrupt tail of the last segment that holds any bytes (a
 * crash in mid-write) is cut off and logged; the same damage earlier is corruption and fails recovery. A file
 * {@code lock}, locked while the journal is open, keeps a second process out.
 *
 * <p>Concurrency: {@code OPEN_DIRECTORIES} is a concurrent set. An instance is immutable; its file operations are
 * called by one thread at a time, as the journal's locks arrange.
 */
final class JournalDirectory {
    private static final System.Logger LOG = System.getLogger(JournalDirectory.class.getName());
    private static final Pattern SEGMENT = Pattern.compile("journal-(\\d{16})\\.log");
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{16})\\.(bin|tmp)");
    private static final String LOCK_FILE = "lock";
    static final int READ_BUFFER_BYTES = 64 * 1024;
    /**
     * The directories a journal of this JVM holds open. Checked before the lock file is touched: closing a second
     * channel on the lock file would release the OS lock the first one holds, on POSIX systems.
     */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private final Path path;
    /** Holds the lock on the directory's lock file; closing it releases the lock. */
    private final FileChannel lockChannel;
    private final Layout layout;

    private JournalDirectory(Path path, FileChannel lockChannel, Layout layout) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.layout = layout;
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
    record Layout(Checkpoint checkpoint, long checkpointNumber, long firstSegment, long lastSegment,
                  long bytes, boolean createdSegment) {
    }

    /**
     * Opens {@code directory}, creating it if absent, locks it, and repairs what a crash left.
     *
     * @throws JournalException if the directory is in use by another process, or cannot be read or written, or
     *     its files are inconsistent (a segment missing)
     */
    static JournalDirectory open(Path directory) {
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
            return new JournalDirectory(realDirectory, lockChannel, load(realDirectory));
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

    /** {@return the directory's real path} */
    Path path() {
        return path;
    }

    /** {@return what the directory held when it was opened} */
    Layout layout() {
        return layout;
    }

    /** Releases the directory's lock. */
    void release() {
        closeQuietly(lockChannel);
        OPEN_DIRECTORIES.remove(path);
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

    /** Reads a segment's records into {@code sink}, up to the end or the first that does not decode. */
    static RecordCodec.ReadResult readSegment(Path segment, Consumer<? super JournalRecord> sink)
            throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(segment), READ_BUFFER_BYTES)) {
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

    /** {@return the path of segment {@code number}} */
    Path segment(long number) {
        return path.resolve(segmentName(number));
    }

    /**
     * Writes and forces {@code checkpoint-<number>.tmp}, renames it atomically to {@code checkpoint-<number>.bin}
     * and forces the directory.
     *
     * @throws JournalException if it could not; recovery then still uses the previous checkpoint
     */
    void writeCheckpoint(long number, Checkpoint state) {
        Path temporary = path.resolve(checkpointName(number, "tmp"));
        Path file = path.resolve(checkpointName(number, "bin"));
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
            throw new JournalException(path + ": could not write checkpoint " + file + "; recovery still uses the "
                    + "previous checkpoint and every record after it", e);
        }
        force();
    }

    /** Deletes the segments and checkpoints older than checkpoint {@code number}; recovery retries any left. */
    void deleteCoveredFiles(long number) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path)) {
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
            LOG.log(System.Logger.Level.WARNING, path + ": could not delete the files checkpoint " + number
                    + " makes obsolete; the next open retries", e);
        }
    }

    /** Forces the directory's entries to disk. Some platforms cannot open a directory; there a rename is as it is. */
    void force() {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot force the directory " + path, e);
        }
    }

    static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not close a journal file", e);
        }
    }
}

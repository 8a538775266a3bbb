package dev.ledger.examples.consortium;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A bank's customer book on disk: who registered (tax id and password hash) and which accounts they opened (type
 * and owners), one line per event, appended and forced to disk before the registration or opening becomes
 * visible. The money is not here but in the bank's journal; the file only says who owns it.
 *
 * <pre>
 * REGISTERED 52998224725 pbkdf2-sha256$600000$&lt;salt&gt;$&lt;hash&gt;
 * OPENED ana-bo joint 52998224725 39053344705
 * </pre>
 *
 * <p>No field can hold a space or a line break (tax ids are digits, account ids {@code [A-Za-z0-9_.-]}, hashes
 * Base64 and {@code $}), so a line splits on spaces. A last line without its line break was torn by a crash: its
 * append never returned, so nothing was acknowledged, and {@link #open} cuts it off. Any other line that does not
 * parse fails the open rather than lose a customer silently.
 *
 * <p>A file made by {@link #inMemory()} keeps nothing: it is the customer book of a bank without a data directory.
 *
 * <p>Concurrency: {@code append} and {@code close} are synchronized, which guards the channel's position and
 * {@code broken}; callers serialize their own check-then-append (see {@link Owners}, {@link AccountBook}). Each
 * append is forced on its own: registrations and openings are rare, so no batching is needed.
 */
final class CustomerFile implements AutoCloseable {
    /** One line of the file. */
    sealed interface Entry permits Registration, Opening {
    }

    /**
     * An owner registered.
     *
     * @param taxId the owner's tax id
     * @param passwordHash the stored form of the password, as {@link PasswordHasher} made it
     */
    record Registration(String taxId, String passwordHash) implements Entry {
    }

    /**
     * An account opened.
     *
     * @param account the account's id
     * @param type its type
     * @param owners its owners, the opener first
     */
    record Opening(String account, AccountType type, List<String> owners) implements Entry {
        Opening {
            owners = List.copyOf(owners);
        }
    }

    private static final String REGISTERED = "REGISTERED";
    private static final String OPENED = "OPENED";

    /** The file, or null in memory. */
    private final Path file;
    /** Positioned at the file's end; null in memory. Guarded by this. */
    private final FileChannel channel;
    private final List<Entry> recovered;
    /** Set when a failed append could not be undone: the file's end is unknown. Guarded by this. */
    private boolean broken;

    private CustomerFile(Path file, FileChannel channel, List<Entry> recovered) {
        this.file = file;
        this.channel = channel;
        this.recovered = List.copyOf(recovered);
    }

    /** {@return a customer book that keeps nothing: appends are dropped, and nothing is ever recovered} */
    static CustomerFile inMemory() {
        return new CustomerFile(null, null, List.of());
    }

    /**
     * Opens the file, creating it if needed, and reads what it holds. A last line torn by a crash is cut off.
     *
     * @param file the file
     * @return the customer file, appending after the entries it read
     * @throws IOException if the file cannot be read or written, or a complete line is not an entry
     */
    static CustomerFile open(Path file) throws IOException {
        boolean created = Files.notExists(file);
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), OwnerOnly.fileAttributes()); // it holds password hashes
        try {
            OwnerOnly.file(file);
            if (created) {
                forceDirectory(file.toAbsolutePath().getParent());
            }
            byte[] bytes = Files.readAllBytes(file);
            int complete = bytes.length;
            while (complete > 0 && bytes[complete - 1] != '\n') {
                complete--;
            }
            List<Entry> entries = new ArrayList<>();
            String[] lines = new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isEmpty()) {
                    entries.add(parse(lines[i], file, i + 1));
                }
            }
            if (complete < bytes.length) {
                channel.truncate(complete);
                channel.force(false);
            }
            channel.position(complete);
            return new CustomerFile(file, channel, entries);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Entry parse(String line, Path file, int number) throws IOException {
        String[] fields = line.split(" ");
        try {
            if (fields[0].equals(REGISTERED) && fields.length == 3) {
                return new Registration(wellFormedTaxId(fields[1]), fields[2]);
            }
            if (fields[0].equals(OPENED) && fields.length >= 4) {
                List<String> owners = Arrays.asList(fields).subList(3, fields.length);
                owners.forEach(CustomerFile::wellFormedTaxId);
                return new Opening(AccountIds.require(fields[1]), AccountType.parse(fields[2]), owners);
            }
        } catch (RuntimeException malformed) {
            // reported below, as any other line that is not an entry
        }
        // The line itself is not shown: it may hold a password hash.
        throw new IOException(file + ": line " + number + " is not a registration or an opening");
    }

    private static String wellFormedTaxId(String taxId) {
        if (!TaxId.isWellFormed(taxId)) {
            throw new IllegalArgumentException("not a tax id");
        }
        return taxId;
    }

    private static String format(Entry entry) {
        if (entry instanceof Registration registration) {
            return REGISTERED + " " + registration.taxId() + " " + registration.passwordHash() + "\n";
        }
        Opening opening = (Opening) entry;
        return OPENED + " " + opening.account() + " " + opening.type().label() + " "
                + String.join(" ", opening.owners()) + "\n";
    }

    /** {@return what the file held when it was opened, in order} */
    List<Entry> recovered() {
        return recovered;
    }

    /** {@return the file, or null for a customer book in memory} */
    Path file() {
        return file;
    }

    /**
     * Appends an entry and forces it to disk; in memory, does nothing. On failure the file is cut back, so no torn
     * line stays before the next one.
     *
     * @param entry the entry
     * @throws UncheckedIOException if it could not be written or forced; then it is not recorded
     * @throws IllegalStateException if an earlier failure left the file's end unknown
     */
    synchronized void append(Entry entry) {
        Objects.requireNonNull(entry, "entry");
        if (channel == null) {
            return;
        }
        if (broken) {
            throw new IllegalStateException("the customer file " + file + " failed earlier and takes nothing more");
        }
        ByteBuffer bytes = ByteBuffer.wrap(format(entry).getBytes(StandardCharsets.UTF_8));
        long end = -1;
        try {
            end = channel.position();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        } catch (IOException e) {
            undo(end);
            throw new UncheckedIOException("cannot record the customer in " + file + ": " + e.getMessage(), e);
        }
    }

    private void undo(long end) {
        try {
            if (end < 0) {
                throw new IOException("the end of the file is unknown");
            }
            channel.truncate(end);
            channel.position(end);
        } catch (IOException e) {
            broken = true;
        }
    }

    /** Forces a new file's directory entry to disk. Some platforms cannot open a directory; there it is as it is. */
    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException unsupported) {
            // best effort, as in ledger-core's FileJournal
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}

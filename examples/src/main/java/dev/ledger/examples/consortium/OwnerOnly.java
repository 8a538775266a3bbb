package dev.ledger.examples.consortium;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Owner-only file modes for what a bank keeps: its data directory {@code 0700}, and files holding password hashes
 * or secrets {@code 0600}. On a file system without POSIX permissions (Windows) nothing is changed.
 *
 * <p>Stateless.
 */
final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /**
     * Creates a directory and its missing parents, or tightens an existing one, to {@code 0700}.
     *
     * @param directory the directory
     * @throws IOException if it cannot be created or changed
     */
    static void directory(Path directory) throws IOException {
        if (!POSIX) {
            Files.createDirectories(directory);
            return;
        }
        if (Files.notExists(directory)) {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        Files.setPosixFilePermissions(directory, DIRECTORY); // also past the umask, and for an older directory
    }

    /** {@return the attributes that create a file {@code 0600}; none without POSIX permissions} */
    static FileAttribute<?>[] fileAttributes() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /**
     * Tightens an existing file to {@code 0600}, as one created by an older version may be wider.
     *
     * @param file the file
     * @throws IOException if it cannot be changed
     */
    static void file(Path file) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }
}

package dev.ledger.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How the examples start copies of this program as separate processes, and clean up after them. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * Returns the command that runs this program again in a new JVM: the same java binary and class path.
     *
     * @param arguments the {@code ledger} subcommand and its options
     * @return the command, for a {@link ProcessBuilder}
     */
    public static List<String> javaCommand(List<String> arguments) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LedgerCli.class.getName()));
        command.addAll(arguments);
        return command;
    }

    /**
     * Deletes a temporary directory and everything in it, as far as it can.
     *
     * @param dir the directory
     */
    public static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory: the system cleans it up eventually
        }
    }
}

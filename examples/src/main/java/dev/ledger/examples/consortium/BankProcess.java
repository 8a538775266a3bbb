package dev.ledger.examples.consortium;

import dev.ledger.examples.ChildProcesses;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A bank of a consortium running as a process of its own ({@code ledger bank}), started by the demo and the
 * tests: its output is copied to a log file as it comes, and callers wait for lines of it (never for time).
 *
 * <p>Concurrency: one reader thread copies the output; {@code lines} and {@code watchers} are guarded by
 * {@code this}, so a watcher added while a line arrives sees it either in the past lines or as it comes.
 */
final class BankProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    /** Every line so far. Guarded by this. */
    private final List<String> lines = new ArrayList<>();
    /** Lines waited for. Guarded by this. */
    private final List<Watcher> watchers = new ArrayList<>();
    /** Whether the reader thread still copies the output. Guarded by this. */
    private boolean readerRunning = true;

    private record Watcher(Predicate<String> matches, CompletableFuture<String> found) {
    }

    private BankProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /**
     * Starts {@code ledger bank --name <name> --consortium <file> [more]} with the secret in its environment.
     *
     * @param name the bank's name
     * @param consortiumFile the consortium file
     * @param secret the consortium's secret
     * @param log where to append the bank's output
     * @param more further options of the bank command
     * @return the running process; {@link #awaitListening} waits until it serves
     * @throws IOException if the process cannot be started
     */
    static BankProcess start(String name, Path consortiumFile, String secret, Path log, List<String> more)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of("bank", "--name", name, "--consortium",
                consortiumFile.toString()));
        arguments.addAll(more);
        ProcessBuilder builder = new ProcessBuilder(ChildProcesses.javaCommand(arguments)).redirectErrorStream(true);
        builder.environment().put(BankCommand.SECRET_VARIABLE, secret);
        BankProcess bank = new BankProcess(name, builder.start());
        Thread reader = new Thread(() -> bank.copyOutput(log), name + "-output");
        reader.setDaemon(true);
        reader.start();
        return bank;
    }

    /** {@return the bank's name} */
    String name() {
        return name;
    }

    /** {@return the process} */
    Process process() {
        return process;
    }

    /**
     * Waits until the bank says it is listening.
     *
     * @param timeout how long to wait
     * @throws IllegalStateException with the bank's output if it did not start in time
     */
    void awaitListening(Duration timeout) throws InterruptedException {
        await(line -> line.startsWith("bank " + name + " listening on "), timeout);
    }

    /**
     * Waits for a line of output that matches, or finds one already printed.
     *
     * @param matches what the line must match
     * @param timeout how long to wait
     * @return the line
     * @throws IllegalStateException with the bank's output if no such line came in time
     */
    String await(Predicate<String> matches, Duration timeout) throws InterruptedException {
        try {
            return lineMatching(matches).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("bank " + name + " did not print the expected line within "
                    + timeout.toSeconds() + " s; its output:\n" + output(), e);
        }
    }

    /** {@return a future of the first line, past or future, that matches; failed if the output ends first} */
    synchronized CompletableFuture<String> lineMatching(Predicate<String> matches) {
        for (String line : lines) {
            if (matches.test(line)) {
                return CompletableFuture.completedFuture(line);
            }
        }
        CompletableFuture<String> found = new CompletableFuture<>();
        if (!readerRunning) {
            found.completeExceptionally(new IllegalStateException("bank " + name + " ended its output"));
        } else {
            watchers.add(new Watcher(matches, found));
        }
        return found;
    }

    /** {@return every line of output so far} */
    synchronized String output() {
        return String.join("\n", lines);
    }

    /** Kills the process at once (SIGKILL) and waits for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the process as Ctrl-C would (SIGTERM), and kills it if it has not ended within 10 seconds. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
                BufferedWriter file = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                file.write(line);
                file.newLine();
                file.flush();
                arrived(line);
            }
        } catch (IOException ended) {
            // the process is gone; its exit tells the rest
        } finally {
            ended();
        }
    }

    private synchronized void arrived(String line) {
        lines.add(line);
        watchers.removeIf(watcher -> watcher.matches().test(line) && watcher.found().complete(line));
    }

    private synchronized void ended() {
        readerRunning = false;
        watchers.forEach(watcher -> watcher.found().completeExceptionally(
                new IllegalStateException("bank " + name + " ended its output")));
        watchers.clear();
    }
}

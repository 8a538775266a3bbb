package dev.ledger.examples;

import dev.ledger.Bank;
import dev.ledger.BankBuilder;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.journal.SyncMode;
import dev.ledger.lock.LockStrategies;
import dev.ledger.net.BankClient;
import dev.ledger.net.BankServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bank server of a simulation: in this JVM, or a process of its own, holding accounts {@code 1}..{@code N}.
 *
 * <p>Concurrency: used by the simulation's thread; a server process's output is copied by a reader thread of its
 * own, which completes the port it announces once.
 */
abstract class SimulationServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on \\S+:(\\d+)");

    abstract int port();

    Map<String, Long> snapshot() {
        try (BankClient client = BankClient.connect("127.0.0.1", port())) {
            return client.snapshot();
        }
    }

    static SimulationServer inProcess(int accounts, long initial, LockStrategies strategy, Path dataDir)
            throws IOException {
        Journal journal = dataDir == null ? Journal.inMemory() : FileJournal.open(dataDir, SyncMode.BATCH);
        BankBuilder builder = Bank.builder().strategy(strategy).journal(journal);
        for (int i = 1; i <= accounts; i++) {
            builder.account(String.valueOf(i), initial); // unless the journal already has the account
        }
        BankServer server;
        try {
            server = BankServer.builder(builder.build()).host("127.0.0.1").port(0).build().start();
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
        return new SimulationServer() {
            @Override
            int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.stop();
                journal.close();
            }
        };
    }

    static SimulationServer process(int accounts, long initial, LockStrategies strategy, Path dataDir, Path work)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of("server", "--port", "0", "--accounts",
                String.valueOf(accounts), "--initial", String.valueOf(initial), "--strategy", strategy.alias()));
        if (dataDir != null) {
            arguments.addAll(List.of("--data-dir", dataDir.toString()));
        }
        Process process = new ProcessBuilder(ChildProcesses.javaCommand(arguments)).redirectErrorStream(true)
                .start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Path output = work.resolve("server.out");
        Thread reader = new Thread(() -> copyUntilEnd(process, output, listening), "server-output");
        reader.setDaemon(true);
        reader.start();
        int port;
        try {
            port = listening.get(60, TimeUnit.SECONDS);
        } catch (Exception notStarted) {
            process.destroyForcibly();
            throw new IllegalStateException("the server process did not start listening:\n"
                    + Files.readString(output, StandardCharsets.UTF_8), notStarted);
        }
        return new SimulationServer() {
            @Override
            int port() {
                return port;
            }

            @Override
            public void close() throws InterruptedException {
                process.destroy(); // SIGTERM: the server stops gracefully and prints its final balances
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        };
    }

    /** Copies the server's output to a file, completing {@code listening} with the port once it is announced. */
    private static void copyUntilEnd(Process process, Path output, CompletableFuture<Integer> listening) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                var file = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                file.write(line);
                file.newLine();
                file.flush();
                Matcher announced = LISTENING.matcher(line);
                if (announced.find()) {
                    listening.complete(Integer.parseInt(announced.group(1)));
                }
            }
        } catch (IOException ended) {
            // the process is gone
        } finally {
            listening.completeExceptionally(new IllegalStateException("the server's output ended"));
        }
    }
}

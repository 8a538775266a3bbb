package dev.ledger.examples;

import dev.ledger.lock.LockStrategies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger simulate}: the console bank simulation in one command. It starts a server, launches client
 * processes (separate JVMs, no shared memory) at once, shows their progress, prints a table per client and the
 * final balances, and verifies the books. The exit code is 0 only if every check passed.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run the console bank simulation: a server, several client processes at once, and a check "
                + "of the books at the end.", "Exits with 0 only if every check passed."})
final class SimulateCommand implements Callable<Integer> {
    /** Orders ids 1, 2, ..., 10 as numbers would go, and any ids consistently. */
    private static final java.util.Comparator<String> BY_LENGTH_THEN_TEXT =
            java.util.Comparator.comparingInt(String::length).thenComparing(java.util.Comparator.naturalOrder());
    private static final Pattern LATENCY = Pattern.compile("latency p50 (\\d+) us, p99 (\\d+) us");

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--clients"}, defaultValue = "4",
            description = "Client processes to run at once (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = {"-n", "--transfers"}, defaultValue = "200",
            description = "Transfers per client (default: ${DEFAULT-VALUE}).")
    long transfers;

    @Option(names = "--accounts", defaultValue = "10", description = "Accounts, with ids 1..N (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--initial", defaultValue = "1000",
            description = "Each account's opening balance (default: ${DEFAULT-VALUE}).")
    long initial;

    @Option(names = "--max-amount", defaultValue = "300",
            description = "Each transfer's amount is drawn from 1 to this (default: ${DEFAULT-VALUE}).")
    long maxAmount;

    @Option(names = "--strategy", defaultValue = "ordered",
            description = "Lock strategy: ordered, trylock, stamped, synchronized, global or combining (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--seed", defaultValue = "1", description = "Base seed; client i uses seed + i (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the bank in a journal in this directory, so that a later run continues from its "
                    + "balances (default: in memory only).")
    Path dataDir;

    @Option(names = "--server-process",
            description = "Run the server as a process of its own too, instead of in this JVM.")
    boolean serverProcess;

    @Option(names = "--cut-connections", defaultValue = "0", paramLabel = "MEAN",
            description = "A fault: put a proxy between the clients and the server that cuts each client's "
                    + "connection after 1 to 2 x MEAN replies, dropping the reply in flight; the clients reconnect "
                    + "and send the transfer again under its id, and the books show none applied twice. "
                    + "0 for none (default: ${DEFAULT-VALUE}).")
    int cutConnections;

    @Option(names = "--timeout", defaultValue = "300",
            description = "Seconds to wait for the clients before failing (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (clients < 1 || accounts < 2 || transfers < 0 || initial < 0 || maxAmount < 1 || timeoutSeconds < 1
                || cutConnections < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "need --clients >= 1, "
                    + "--accounts >= 2, --transfers >= 0, --initial >= 0, --max-amount >= 1, --timeout >= 1 and "
                    + "--cut-connections >= 0");
        }
        LockStrategies lockStrategy = LockStrategies.fromAlias(strategy);
        Path work = Files.createTempDirectory("ledger-simulate-");
        try (SimulationServer server = serverProcess
                ? SimulationServer.process(accounts, initial, lockStrategy, dataDir, work)
                : SimulationServer.inProcess(accounts, initial, lockStrategy, dataDir);
                ConnectionCutter cutter = cutConnections == 0 ? null
                        : ConnectionCutter.start(server.port(), cutConnections, seed)) {
            Map<String, Long> before = server.snapshot();
            out.printf(Locale.ROOT, "server on 127.0.0.1:%d (%s, %s): %d accounts of %d, total %d%n", server.port(),
                    serverProcess ? "own process" : "in this process", lockStrategy.alias(), accounts, initial,
                    before.values().stream().mapToLong(Long::longValue).sum());
            if (cutter != null) {
                out.printf(Locale.ROOT, "fault: the clients connect through a proxy on port %d that cuts each "
                        + "connection after 1 to %d replies%n", cutter.port(), 2 * cutConnections);
            }
            out.printf(Locale.ROOT, "launching %d client processes, %d transfers each%n", clients, transfers);
            out.flush();

            int clientPort = cutter != null ? cutter.port() : server.port();
            List<Client> running = new ArrayList<>();
            for (int i = 1; i <= clients; i++) {
                running.add(Client.launch(i, clientPort, transfers, maxAmount, seed + i, work));
            }
            boolean finished = awaitWithProgress(running, out);
            out.println();

            List<TransferLog.Entry> all = new ArrayList<>();
            out.println("client     exit      sent        OK    FAILED     moved   p50 us   p99 us");
            for (Client client : running) {
                List<TransferLog.Entry> entries = TransferLog.read(client.log);
                all.addAll(entries);
                long ok = entries.stream().filter(TransferLog.Entry::ok).count();
                long moved = entries.stream().filter(TransferLog.Entry::ok).mapToLong(TransferLog.Entry::amount).sum();
                out.printf(Locale.ROOT, "%-9s %5s %9d %9d %9d %9d %8s %8s%n", client.name,
                        client.process.isAlive() ? "-" : String.valueOf(client.process.exitValue()), entries.size(),
                        ok, entries.size() - ok, moved, client.p50, client.p99);
            }

            Map<String, Long> after = server.snapshot();
            out.println();
            out.println("account     initial       final         net");
            after.keySet().stream().sorted(BY_LENGTH_THEN_TEXT).forEach(id -> out.printf(Locale.ROOT,
                    "%-8s %10d %11d %+11d%n", id, before.getOrDefault(id, 0L), after.get(id),
                    after.get(id) - before.getOrDefault(id, 0L)));

            boolean clientsOk = finished && running.stream().allMatch(c -> c.process.exitValue() == 0);
            out.println();
            CheckReport report = new CheckReport().add(clientsOk, "every client finished and exited with 0");
            if (cutter != null) {
                report.add(cutter.cuts() > 0, "the proxy cut " + cutter.cuts() + " connections in mid-reply");
            }
            report.add(BookCheck.of(before, after, all));
            return report.print(out) ? 0 : 1;
        } finally {
            ChildProcesses.deleteQuietly(work);
        }
    }

    /** Waits for every client, redrawing one progress line; false if the timeout passed first. */
    private boolean awaitWithProgress(List<Client> running, PrintWriter out) throws InterruptedException {
        CompletableFuture<?> all = CompletableFuture.allOf(running.stream().map(c -> c.process.onExit())
                .toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        boolean interactive = System.console() != null;
        String last = "";
        while (true) {
            StringBuilder line = new StringBuilder("progress:");
            for (Client client : running) {
                line.append(String.format(Locale.ROOT, "  %s %d/%d", client.name, client.done.get(), transfers));
            }
            if (interactive) {
                out.print("\r" + line);
                out.flush();
            } else if (!line.toString().equals(last)) {
                out.println(line);
                out.flush();
            }
            last = line.toString();
            try {
                all.get(interactive ? 100 : 1_000, TimeUnit.MILLISECONDS); // the refresh rate of the display
                return true;
            } catch (TimeoutException stillRunning) {
                if (System.nanoTime() > deadline) {
                    out.println();
                    out.println("timed out after " + timeoutSeconds + " s; stopping the clients");
                    running.forEach(c -> c.process.destroyForcibly());
                    return false;
                }
            } catch (java.util.concurrent.ExecutionException impossible) {
                return true;
            }
        }
    }

    /**
     * One client process, and what its output has told so far.
     *
     * <p>Concurrency: the client's reader thread writes {@code done}, {@code p50} and {@code p99}; the display
     * thread reads them. {@code done} is atomic, the percentiles are volatile, and nothing else changes.
     */
    private static final class Client {
        final String name;
        final Process process;
        final Path log;
        /** Transfers the client has printed; written by the reader thread, read by the display. */
        final AtomicLong done = new AtomicLong();
        volatile String p50 = "-";
        volatile String p99 = "-";

        private Client(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
        }

        static Client launch(int index, int port, long transfers, long maxAmount, long seed, Path work)
                throws IOException {
            String name = "client-" + index;
            Path log = work.resolve(name + ".log");
            List<String> arguments = List.of("client", "--port", String.valueOf(port), "--transfers",
                    String.valueOf(transfers), "--max-amount", String.valueOf(maxAmount), "--seed",
                    String.valueOf(seed), "--name", name, "--log", log.toString());
            Process process = new ProcessBuilder(ChildProcesses.javaCommand(arguments)).redirectErrorStream(true)
                    .start();
            Client client = new Client(name, process, log);
            Thread reader = new Thread(client::readOutput, name + "-output");
            reader.setDaemon(true);
            reader.start();
            return client;
        }

        private void readOutput() {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("#")) {
                        done.incrementAndGet();
                    }
                    Matcher latency = LATENCY.matcher(line);
                    if (latency.find()) {
                        p50 = latency.group(1);
                        p99 = latency.group(2);
                    }
                }
            } catch (IOException ended) {
                // the process is gone; its exit code tells the rest
            }
        }
    }
}

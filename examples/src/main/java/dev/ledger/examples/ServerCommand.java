package dev.ledger.examples;

import dev.ledger.Bank;
import dev.ledger.BankBuilder;
import dev.ledger.Snapshot;
import dev.ledger.internal.ThreadPerTask;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.SyncMode;
import dev.ledger.lock.LockStrategies;
import dev.ledger.net.BankServer;
import dev.ledger.net.ConnectionListener;
import dev.ledger.net.Session;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger server}: serves a bank over TCP until stopped (Ctrl-C or SIGTERM), then prints the final
 * balances. Logs each client that connects or leaves. With {@code --data-dir} the bank is durable: it recovers
 * what an earlier run left there, and acknowledges each operation only once it is journaled.
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        description = {"Serves a bank over TCP in RESP2, the Redis protocol: redis-cli, redis-benchmark and Redis "
                + "client libraries are clients, and so is nc (TRANSFER 1 2 10).",
            "Runs until stopped with Ctrl-C or SIGTERM, then prints the final balances.",
            "With --data-dir the bank survives restarts and crashes: every acknowledged operation is in its journal."})
final class ServerCommand implements Callable<Integer> {
    /** Banks with more accounts than this are printed abbreviated. */
    private static final int PRINT_ALL_UP_TO = 10;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "5000",
            description = "Port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--accounts", defaultValue = "10", paramLabel = "N",
            description = "Open accounts 1 to N (default: ${DEFAULT-VALUE}).")
    private int accounts;

    @Option(names = "--initial", defaultValue = "1000", paramLabel = "AMOUNT",
            description = "Each account's opening balance, in minor units (default: ${DEFAULT-VALUE}).")
    private long initial;

    @Option(names = "--strategy", defaultValue = "ordered", converter = StrategyConverter.class,
            completionCandidates = StrategyConverter.Aliases.class,
            description = "Lock strategy: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private LockStrategies strategy;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the bank in a journal in this directory: recover it on start, and acknowledge each "
                    + "operation only once it is written (default: in memory only). Accounts 1 to N that the "
                    + "journal already has keep their balances.")
    private Path dataDir;

    @Option(names = "--sync", defaultValue = "batch", converter = SyncModeConverter.class, paramLabel = "MODE",
            description = "With --data-dir, when to fsync: batch (group commit), always (one fsync per "
                    + "operation) or none (leave it to the OS) (default: ${DEFAULT-VALUE}).")
    private SyncMode sync;

    @Option(names = "--checkpoint-every", defaultValue = "67108864", paramLabel = "BYTES",
            description = "With --data-dir, take a checkpoint once the journal has grown by this many bytes, "
                    + "which bounds recovery time (default: ${DEFAULT-VALUE}, 64 MiB).")
    private long checkpointBytes;

    @Option(names = "--name", defaultValue = "bank",
            description = "The bank's name in two-phase commit (default: ${DEFAULT-VALUE}).")
    private String name;

    @Option(names = "--password", description = "Require AUTH <password> before other commands.")
    private String password;

    @Option(names = "--max-connections", defaultValue = "1000", paramLabel = "N",
            description = "Clients served at once; more are refused (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (accounts < 0 || initial < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--accounts and --initial cannot be negative");
        }
        if (checkpointBytes < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--checkpoint-every must be at least 1");
        }
        Journal journal;
        Bank bank;
        try {
            journal = dataDir == null ? Journal.inMemory() : FileJournal.open(dataDir, sync);
            BankBuilder builder = Bank.builder().name(name).strategy(strategy).journal(journal)
                    .checkpointEvery(checkpointBytes);
            for (int i = 1; i <= accounts; i++) {
                builder.account(Integer.toString(i), initial);
            }
            bank = builder.build();
        } catch (JournalException e) {
            spec.commandLine().getErr().println("cannot use the data directory " + dataDir + ": " + e.getMessage());
            return 1;
        }
        out.printf("bank '%s' with %,d accounts, lock strategy %s%s%n", name, bank.size(), strategy,
                dataDir == null ? "" : ", journal " + journal);
        print(out, bank.snapshot());

        BankServer server = BankServer.builder(bank).host(host).port(port).password(password)
                .maxConnections(maxConnections).listener(new ClientLog(out)).build();
        try {
            server.start();
        } catch (IOException e) {
            spec.commandLine().getErr().println(e.getMessage());
            journal.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping: finishing requests in flight");
            server.stop();
            out.println("final balances:");
            print(out, bank.snapshot());
            journal.close();
            out.flush();
            stopped.countDown();
        }, "ledger-server-stop"));
        out.printf("listening on %s:%d (%s threads); stop with Ctrl-C%n", host, server.port(),
                ThreadPerTask.virtualThreadsAvailable() ? "virtual" : "platform");
        out.flush();
        stopped.await(); // the shutdown hook ends the process
        return 0;
    }

    /** Prints every balance, or the first and last few of a large bank, and the total. */
    private static void print(PrintWriter out, Snapshot snapshot) {
        int n = snapshot.size();
        int head = n <= PRINT_ALL_UP_TO ? n : PRINT_ALL_UP_TO / 2;
        int tail = n <= PRINT_ALL_UP_TO ? 0 : 2;
        for (int i = 0; i < head; i++) {
            out.printf("  %-12s %,d%n", snapshot.id(i), snapshot.balance(i));
        }
        if (tail > 0) {
            out.printf("  ... %,d more ...%n", n - head - tail);
            for (int i = n - tail; i < n; i++) {
                out.printf("  %-12s %,d%n", snapshot.id(i), snapshot.balance(i));
            }
        }
        out.printf("total %,d in %,d accounts%n", snapshot.totalExact(), n);
    }

    /** Logs clients as they come and go. Called on connection threads; PrintWriter serializes the lines. */
    private static final class ClientLog implements ConnectionListener {
        private final PrintWriter out;

        ClientLog(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void opened(Session session) {
            out.printf("client %d connected from %s%n", session.id(), address(session.remoteAddress()));
            out.flush();
        }

        @Override
        public void closed(Session session) {
            out.printf("client %d left%n", session.id());
            out.flush();
        }

        @Override
        public void refused(InetSocketAddress remote) {
            out.printf("refused %s: too many clients%n", address(remote));
            out.flush();
        }

        private static String address(InetSocketAddress address) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
    }

    /** Reads a sync mode in lower case, as the help lists them. */
    static final class SyncModeConverter implements CommandLine.ITypeConverter<SyncMode> {
        @Override
        public SyncMode convert(String value) {
            try {
                return SyncMode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown sync mode '" + value
                        + "'; expected none, batch or always");
            }
        }
    }

    /** Reads a lock strategy by its alias. */
    static final class StrategyConverter implements CommandLine.ITypeConverter<LockStrategies> {
        @Override
        public LockStrategies convert(String value) {
            try {
                return LockStrategies.fromAlias(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }

        /** The aliases, for help and completion. */
        static final class Aliases implements Iterable<String> {
            @Override
            public Iterator<String> iterator() {
                return Arrays.stream(LockStrategies.values()).map(LockStrategies::alias).iterator();
            }
        }
    }
}

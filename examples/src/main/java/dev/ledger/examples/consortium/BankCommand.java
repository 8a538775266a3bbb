package dev.ledger.examples.consortium;

import dev.ledger.journal.JournalException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger bank --name alpha --consortium consortium.txt}: runs one bank of a consortium on the address its
 * line of the consortium file gives, until stopped (Ctrl-C or SIGTERM). The secret the banks share comes from the
 * environment variable {@value #SECRET_VARIABLE} or a file, never from the command line, where other users of the
 * machine could read it. With {@code --data-dir} the bank is durable: it recovers its accounts, owners, holds and
 * decisions from the directory on start, and acknowledges nothing before it is written there.
 *
 * <p>Concurrency: the options are set once by picocli; lines are printed under the writer's monitor, so lines
 * from the server's threads never interleave.
 */
@Command(name = "bank", mixinStandardHelpOptions = true,
        description = {"Run one bank of a consortium: customers register, log in and move money across banks; "
                + "cross-bank transfers are atomic by two-phase commit.",
            "The consortium's shared secret is read from $" + BankCommand.SECRET_VARIABLE + " or --secret-file.",
            "With --data-dir the bank survives restarts and crashes: its money, its decisions as a coordinator and "
                    + "its customers are kept in that directory."})
public final class BankCommand implements Callable<Integer> {
    /** The environment variable holding the consortium's secret. */
    public static final String SECRET_VARIABLE = "LEDGER_CONSORTIUM_SECRET";

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", required = true, description = "This bank's name, as in the consortium file.")
    private String name;

    @Option(names = "--consortium", defaultValue = "consortium.txt", paramLabel = "FILE",
            description = "The consortium file: one 'name host:port' line per bank (default: ${DEFAULT-VALUE}).")
    private Path consortiumFile;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "Read the shared secret from this file's first line instead of $" + SECRET_VARIABLE + ".")
    private Path secretFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep this bank in this directory: its accounts and money (DIR/bank), its decisions as a "
                    + "coordinator (DIR/decisions) and its customers (DIR/customers.log); recover them on start "
                    + "(default: in memory only).")
    private Path dataDir;

    @Option(names = "--peer-timeout-ms", defaultValue = "2000", paramLabel = "MS",
            description = "Timeout of every call to another bank (default: ${DEFAULT-VALUE}).")
    private long peerTimeoutMillis;

    @Option(names = "--hold-timeout-ms", defaultValue = "10000", paramLabel = "MS",
            description = "How long participants hold a transfer this bank coordinates before they ask for the "
                    + "decision (default: ${DEFAULT-VALUE}).")
    private long holdTimeoutMillis;

    @Option(names = "--resolve-every-ms", defaultValue = "1000", paramLabel = "MS",
            description = "How often to resolve transactions held in doubt (default: ${DEFAULT-VALUE}).")
    private long resolveEveryMillis;

    @Option(names = "--pbkdf2-iterations", defaultValue = "600000", paramLabel = "N",
            description = "PBKDF2 iterations of new password hashes (default: ${DEFAULT-VALUE}, OWASP 2023).")
    private int passwordIterations;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the web panel and the REST API on this port (0: any free port; default: none).")
    private Integer httpPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "The address the web panel and REST API listen on (default: ${DEFAULT-VALUE}, this "
                    + "machine only).")
    private String httpHost;

    @Option(names = "--max-amount", defaultValue = "" + ConsortiumBank.DEFAULT_MAX_AMOUNT, paramLabel = "CENTS",
            description = "The largest amount of one deposit, withdrawal or transfer source, in minor units "
                    + "(default: ${DEFAULT-VALUE}).")
    private long maxAmount;

    @Option(names = "--crash-at", hidden = true, description = "For tests: halt at this point of the first "
            + "transfer this bank coordinates that reaches it (BEFORE_COMMIT_DECISION, AFTER_COMMIT_DECISION).")
    private CrashPoint crashAt;

    /** Creates the command; picocli fills in the options. */
    public BankCommand() {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Consortium consortium = readConsortium();
        String secret = readSecret();
        ConsortiumBank.Builder builder = ConsortiumBank.builder(name, consortium, secret)
                .peerTimeout(millis(peerTimeoutMillis, "--peer-timeout-ms"))
                .holdTimeout(millis(holdTimeoutMillis, "--hold-timeout-ms"))
                .resolveEvery(millis(resolveEveryMillis, "--resolve-every-ms"))
                .passwordIterations(passwordIterations)
                .httpHost(httpHost)
                .events(event -> print(out, name + ": " + event));
        if (dataDir != null) {
            builder.dataDir(dataDir);
        }
        if (httpPort != null) {
            builder.httpPort(httpPort);
        }
        if (crashAt != null) {
            builder.decisionLogWrapper(log -> crashAt.wrap(log, out));
        }
        ConsortiumBank bank;
        try {
            bank = builder.maxAmount(maxAmount).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException | JournalException e) {
            spec.commandLine().getErr().println("cannot use the data directory " + dataDir + ": " + e.getMessage());
            return 1;
        }
        print(out, "bank " + name + " of consortium " + consortium + "; "
                + (dataDir == null ? "in memory only" : "data in " + dataDir + ": " + bank.recovery().summary()));
        try {
            bank.start();
        } catch (IOException e) {
            spec.commandLine().getErr().println(e.getMessage());
            bank.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            print(out, "bank " + name + " stopping");
            bank.close(); // stops the server first, then closes the data directory
            stopped.countDown();
        }, "consortium-bank-stop"));
        print(out, "bank " + name + " listening on " + consortium.find(name).orElseThrow().host() + ":"
                + bank.port());
        if (bank.httpPort() >= 0) {
            print(out, "bank " + name + " web panel and REST API on http://" + httpHost + ":" + bank.httpPort() + "/");
        }
        stopped.await(); // the shutdown hook ends the process
        return 0;
    }

    private Consortium readConsortium() {
        try {
            return Consortium.read(consortiumFile);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the consortium file "
                    + consortiumFile + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private String readSecret() {
        String secret;
        if (secretFile != null) {
            try {
                secret = Files.readAllLines(secretFile, StandardCharsets.UTF_8).stream().findFirst().orElse("")
                        .strip();
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read the secret file "
                        + secretFile + ": " + e.getMessage());
            }
        } else {
            secret = System.getenv(SECRET_VARIABLE);
        }
        if (!Consortium.isValidSecret(secret)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the consortium secret must be set, at "
                    + "least " + Consortium.MIN_SECRET_LENGTH + " characters: export " + SECRET_VARIABLE + "=... (the same at every bank) or use "
                    + "--secret-file");
        }
        return secret;
    }

    private Duration millis(long value, String option) {
        if (value <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be positive, got " + value);
        }
        return Duration.ofMillis(value);
    }

    /** Prints a line at once: the demo and the tests wait for this process's lines as they come. */
    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}

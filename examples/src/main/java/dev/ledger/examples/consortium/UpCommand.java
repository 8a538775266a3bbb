package dev.ledger.examples.consortium;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger consortium up}: a local consortium to try with a browser. Starts three bank processes (alpha, beta,
 * gamma) with their web panels, sets up the demo's owners and accounts through the banks' own commands, prints
 * the panels' addresses and a demo login, and runs until Ctrl-C, when it stops the banks.
 *
 * <p>Concurrency: the command's thread starts the banks and then waits; the shutdown hook stops them (see
 * {@link BankFleet}).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a local consortium of three banks with their web panels and demo accounts, and keep "
                + "it running until Ctrl-C.",
            "Open a printed address in a browser and log in with a demo tax id and password."})
public final class UpCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Low, so the demo owners are set up fast; a production bank keeps the 600,000 default. */
    private static final int DEMO_PBKDF2_ITERATIONS = 20_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8081", paramLabel = "PORT",
            description = "The first bank's web panel port; the others take the next ones (0: any free ports; "
                    + "default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the banks in DIR/alpha, DIR/beta and DIR/gamma, and set up the demo accounts only "
                    + "the first time (default: a new temporary directory, in memory).")
    private Path dataDir;

    /** Creates the command; picocli fills in the options. */
    public UpCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (httpPort < 0 || httpPort > 65_535 - DemoScript.BANKS.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--http-port must be 0 to "
                    + (65_535 - DemoScript.BANKS.size()) + ", got " + httpPort);
        }
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("ledger-consortium-");
        boolean setUp = dataDir == null || Files.notExists(dataDir.resolve(DemoScript.BANKS.get(0)));
        BankFleet fleet = new BankFleet(work, DemoScript.BANKS);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                fleet.stopAll();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }, "consortium-up-stop"));
        Map<String, String> panels = new LinkedHashMap<>();
        for (int i = 0; i < DemoScript.BANKS.size(); i++) {
            String name = DemoScript.BANKS.get(i);
            List<String> options = new ArrayList<>(List.of("--http-port", String.valueOf(httpPort == 0 ? 0
                    : httpPort + i), "--pbkdf2-iterations", String.valueOf(DEMO_PBKDF2_ITERATIONS)));
            if (dataDir != null) {
                options.addAll(List.of("--data-dir", dataDir.resolve(name).toString()));
            }
            BankProcess bank = fleet.start(name, options);
            String line = bank.await(text -> text.startsWith("bank " + name + " web panel and REST API on ")
                    || text.startsWith("Error") || text.contains("cannot"), START_TIMEOUT);
            if (!line.contains("http://")) {
                spec.commandLine().getErr().println("bank " + name + " did not start: " + line + "\n"
                        + bank.output());
                return 1;
            }
            panels.put(name, line.substring(line.indexOf("http://")));
        }
        if (setUp) {
            for (String name : DemoScript.BANKS) {
                out.println(DemoScript.setUp(fleet.member(name), CALL_TIMEOUT));
            }
        }
        out.println();
        out.println("The consortium is up: three banks, each its own process, with its web panel:");
        panels.forEach((name, url) -> out.printf("  %-6s %s%n", name, url));
        out.println();
        out.println("Log in at any bank with a demo owner (tax id / password):");
        for (DemoScript.Owner owner : DemoScript.OWNERS) {
            out.printf("  %-4s %s / %s%n", owner.name(), TaxId.format(owner.taxId()), owner.password());
        }
        out.println();
        out.println("Bank logs and the consortium file are in " + work + ". Stop a bank to see the others carry on "
                + "(kill its process). Ctrl-C stops them all.");
        out.flush();
        stopped.await();
        return 0;
    }
}

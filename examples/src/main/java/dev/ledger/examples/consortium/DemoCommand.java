package dev.ledger.examples.consortium;

import dev.ledger.examples.CheckReport;
import dev.ledger.examples.ChildProcesses;
import dev.ledger.examples.consortium.ConsortiumClient.BankHoldings;
import dev.ledger.examples.consortium.DemoRun.Attempt;
import dev.ledger.examples.consortium.DemoRun.Phase;
import dev.ledger.examples.consortium.DemoRun.Status;
import dev.ledger.examples.consortium.DemoScript.Owner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger consortium demo}: three banks as processes, owners and accounts (a joint one too), concurrent
 * cross-bank transfers from several sources, one bank stopped mid-run and restarted, every owner's accounts across
 * the banks, and a check that no money was created or lost. Exits with 0 only if every check passed.
 *
 * <p><b>The restart.</b> Each bank keeps its books in a data directory of its own ({@code --data-dir}), so the
 * killed bank comes back with its accounts, owners and money, and the demo checks that it recovered exactly what it
 * had (its AUDIT before the kill and after the restart). For that comparison the bank must be quiet when it is
 * killed, so the transfers of the first batch leave it out. Transfers involving it during the outage must abort;
 * after the restart it takes part again, and everything it does then is checked like the rest. A bank killed in
 * the middle of two-phase commit is what {@code CoordinatorCrashTest} shows.
 *
 * <p>Concurrency: the command's fields are used by its own thread; the transfers run on {@link DemoRun}'s workers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the consortium demo: three bank processes, concurrent cross-bank transfers, one bank "
                + "stopped and restarted mid-run, and a check that no money was created or lost.",
            "Exits with 0 only if every check passed."})
final class DemoCommand implements Callable<Integer> {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    /** Low, so the demo starts fast; a production bank keeps the 600,000 default. */
    private static final int DEMO_PBKDF2_ITERATIONS = 20_000;
    /**
     * The banks' timeout of calls between them: generous, so a busy machine does not fail the checks. A stopped
     * bank costs no waiting: its port refuses connections at once.
     */
    private static final List<String> BANK_TIMEOUTS = List.of("--peer-timeout-ms", "5000", "--hold-timeout-ms",
            "15000");

    @Spec
    private CommandSpec spec;

    @Option(names = "--transfers", defaultValue = "40",
            description = "Transfers in each of the four phases of the run (default: ${DEFAULT-VALUE}).")
    private int transfers;

    @Option(names = "--seed", defaultValue = "7",
            description = "Seed of the random transfers (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--timeout", defaultValue = "120",
            description = "Seconds each phase may take before the demo fails (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    private PrintWriter out;
    private final CheckReport checks = new CheckReport();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        if (transfers < 2 || timeoutSeconds < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "need --transfers >= 2 and --timeout >= 1");
        }
        Path work = Files.createTempDirectory("ledger-consortium-");
        BankFleet fleet = new BankFleet(work, DemoScript.BANKS);
        Thread cleanup = new Thread(fleet::killAll, "consortium-demo-cleanup"); // Ctrl-C: take the banks along
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            run(fleet);
        } catch (IllegalStateException failed) {
            checks.add(false, "the demo ran to the end", List.of(failed.getMessage()));
        } finally {
            fleet.stopAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            ChildProcesses.deleteQuietly(work);
        }
        return checks.print(out) ? 0 : 1;
    }

    private void run(BankFleet fleet) throws Exception {
        Duration phaseTimeout = Duration.ofSeconds(timeoutSeconds);
        String stopped = DemoScript.BANKS.get(DemoScript.BANKS.size() - 1);
        say("consortium demo: %d banks as processes, consortium file %s", DemoScript.BANKS.size(),
                fleet.consortiumFile.getFileName());
        say("1. start the banks");
        for (String bank : DemoScript.BANKS) {
            fleet.start(bank, bankOptions(fleet, bank));
        }
        for (String bank : DemoScript.BANKS) {
            fleet.banks.get(bank).awaitListening(START_TIMEOUT);
            say("   %-6s listening on %s", bank, fleet.member(bank).address());
        }

        say("2. register owners and open accounts, through each bank's server");
        for (String bank : DemoScript.BANKS) {
            say("   %s", DemoScript.setUp(fleet.member(bank), CALL_TIMEOUT));
        }
        long totalBefore = fleet.consortiumTotal();
        Map<String, Long> balancesBefore = balances(allViews(fleet));
        say("   consortium total %d", totalBefore);

        say("3. concurrent cross-bank transfers: %d owners, each logged in at its home bank", DemoScript.OWNERS.size());
        DemoRun run = new DemoRun(fleet.consortium, stopped, seed);
        run.startWorkers(CALL_TIMEOUT);
        List<Attempt> attempts = new ArrayList<>();
        run.start(Phase.BEFORE_OUTAGE, transfers);
        run.awaitHalf(phaseTimeout);

        long[] auditAtKill = fleet.audit(stopped);
        fleet.banks.get(stopped).kill();
        say("4. %s killed (SIGKILL) mid-run; the transfers under way between the other banks go on", stopped);
        attempts.addAll(run.await(phaseTimeout));
        summarize("not involving " + stopped, attempts);

        run.start(Phase.OUTAGE, transfers);
        List<Attempt> outage = run.await(phaseTimeout);
        attempts.addAll(outage);
        summarize("while " + stopped + " is down", outage);

        say("5. restart %s on its data directory", stopped);
        run.start(Phase.RESTART, transfers);
        fleet.start(stopped, bankOptions(fleet, stopped));
        BankProcess restarted = fleet.banks.get(stopped);
        restarted.awaitListening(START_TIMEOUT);
        String recovered = restarted.await(line -> line.contains(": recovered "), START_TIMEOUT);
        say("   %s: %s", stopped, recovered.substring(recovered.indexOf("recovered ")));
        long[] auditAfterRestart = fleet.audit(stopped);
        checks.add(Arrays.equals(auditAtKill, auditAfterRestart), String.format(Locale.ROOT, "%s came back with "
                + "what it had when it was killed: [total, held, incoming, in doubt] %s before, %s after", stopped,
                Arrays.toString(auditAtKill), Arrays.toString(auditAfterRestart)));
        List<Attempt> restart = run.await(phaseTimeout);
        attempts.addAll(restart);
        summarize("while " + stopped + " restarts", restart);
        run.start(Phase.AFTER_RESTART, transfers);
        List<Attempt> after = run.await(phaseTimeout);
        attempts.addAll(after);
        summarize("after the restart", after);
        run.finish();
        examples(attempts);

        boolean settled = fleet.awaitSettled(phaseTimeout);
        say("6. every owner's accounts across the banks (ALLACCOUNTS)");
        Map<Owner, List<BankHoldings>> views = allViews(fleet);
        views.forEach((owner, banks) -> {
            say("   %s (%s), logged in at %s:", owner.name(), owner.taxId(), owner.home());
            AccountTable.print(out, banks, "     ");
        });

        say("7. checks");
        long totalAfter = fleet.consortiumTotal();
        checks.add(totalAfter == totalBefore, String.format(Locale.ROOT,
                "every bank's AUDIT total unchanged: %d before the transfers, %d after", totalBefore, totalAfter));
        checks.add(DemoChecks.books(balancesBefore, balances(views), attempts));
        DemoChecks.outcomes(checks, stopped, attempts);
        checks.add(settled, "no money held and no transaction in doubt at any bank");
        checks.add(views.values().stream().flatMap(List::stream).allMatch(BankHoldings::reachable),
                "every bank answered every owner at the end");
    }

    private void summarize(String when, List<Attempt> attempts) {
        Map<String, Long> byOutcome = new LinkedHashMap<>();
        for (Attempt attempt : attempts) {
            String outcome = switch (attempt.status()) {
                case COMMITTED -> "committed";
                case INSUFFICIENT_FUNDS -> "insufficient funds";
                case UNREACHABLE -> "aborted: " + attempt.detail();
                case REFUSED -> "refused";
                case UNKNOWN -> "no answer";
            };
            byOutcome.merge(outcome, 1L, Long::sum);
        }
        say("   %-22s %3d transfers: %s", when, attempts.size(), byOutcome.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
    }

    /** Shows one transfer of each kind. */
    private void examples(List<Attempt> attempts) {
        say("   for example:");
        for (Status status : List.of(Status.COMMITTED, Status.INSUFFICIENT_FUNDS, Status.UNREACHABLE)) {
            attempts.stream().filter(a -> a.status() == status && a.sources().size() > 1).findFirst()
                    .or(() -> attempts.stream().filter(a -> a.status() == status).findFirst())
                    .ifPresent(a -> say("     %s", a.describe()));
        }
    }

    /** Each bank keeps its data in the work directory, so the one killed comes back with it. */
    private static List<String> bankOptions(BankFleet fleet, String bank) {
        List<String> options = new ArrayList<>(List.of("--data-dir", fleet.work.resolve(bank).toString(),
                "--pbkdf2-iterations", String.valueOf(DEMO_PBKDF2_ITERATIONS)));
        options.addAll(BANK_TIMEOUTS);
        return options;
    }

    /** Logs in as every owner at their home bank and asks for their accounts at every bank. */
    private static Map<Owner, List<BankHoldings>> allViews(BankFleet fleet) {
        Map<Owner, List<BankHoldings>> views = new LinkedHashMap<>();
        for (Owner owner : DemoScript.OWNERS) {
            try (ConsortiumClient client = ConsortiumClient.connect(fleet.member(owner.home()), CALL_TIMEOUT)) {
                client.login(owner.taxId(), owner.password());
                views.put(owner, client.allAccounts());
            }
        }
        return views;
    }

    private static Map<String, Long> balances(Map<Owner, List<BankHoldings>> views) {
        Map<String, Long> balances = new TreeMap<>();
        views.values().stream().flatMap(List::stream).forEach(bank -> bank.accounts()
                .forEach(account -> balances.put(bank.bank() + "/" + account.account(), account.balance())));
        return balances;
    }

    private void say(String format, Object... args) {
        out.println(String.format(Locale.ROOT, format, args));
        out.flush();
    }
}

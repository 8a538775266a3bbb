package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Outcome;
import dev.ledger.net.BankClient;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ledger server} as a user runs it: a separate process, stopped with SIGTERM as Ctrl-C would, which must
 * print the final balances on the way out.
 */
class ServerCommandTest {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*");
    private static final long WAIT_SECONDS = 20;

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Every line taken so far, to show in a failure. */
    private final List<String> transcript = new ArrayList<>();
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void servesUntilTerminatedThenPrintsTheFinalBalances() throws Exception {
        start("server", "--port", "0", "--accounts", "3", "--initial", "100", "--strategy", "stamped",
                "--name", "alpha");
        assertThat(next()).isEqualTo("bank 'alpha' with 3 accounts, lock strategy stamped");
        assertThat(List.of(next(), next(), next())).allSatisfy(line -> assertThat(line).matches("  \\d +100"));
        assertThat(next()).isEqualTo("total 300 in 3 accounts");
        Matcher listening = LISTENING.matcher(next());
        assertThat(listening.matches()).isTrue();
        int port = Integer.parseInt(listening.group(1));

        try (BankClient client = BankClient.connect("127.0.0.1", port)) {
            assertThat(next()).matches("client 1 connected from 127\\.0\\.0\\.1:\\d+");
            assertThat(client.transfer("1", "3", 40)).isEqualTo(Outcome.OK);
        }
        assertThat(next()).isEqualTo("client 1 left");

        terminate();
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(next()).startsWith("stopping");
        assertThat(next()).isEqualTo("final balances:");
        assertThat(List.of(next(), next(), next())).containsExactly("  1            60", "  2            100",
                "  3            140");
        assertThat(next()).isEqualTo("total 300 in 3 accounts");
    }

    @Test
    void aLargeBankIsPrintedAbbreviated() throws Exception {
        start("server", "--port", "0", "--accounts", "100000", "--initial", "5");
        assertThat(next()).isEqualTo("bank 'bank' with 100,000 accounts, lock strategy ordered");
        List<String> listing = new ArrayList<>();
        for (String line = next(); !line.startsWith("total"); line = next()) {
            listing.add(line.trim());
        }
        assertThat(listing).containsExactly("1            5", "2            5", "3            5", "4            5",
                "5            5", "... 99,993 more ...", "99999        5", "100000       5");
        terminate();
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBusyPortIsReportedAndExitsWithAnError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            start("server", "--port", Integer.toString(taken.getLocalPort()), "--accounts", "1");
            assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(lines).anySatisfy(line -> assertThat(line)
                    .startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort()));
        }
    }

    @Test
    void anUnknownStrategyIsAUsageErrorNamingTheChoices() {
        StringWriter err = new StringWriter();
        int status = new CommandLine(new LedgerCli()).setErr(new PrintWriter(err))
                .execute("server", "--strategy", "optimistic");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("unknown lock strategy 'optimistic'; choose one of ordered, trylock");
    }

    /** Sends SIGTERM, as Ctrl-C or a service manager would. (Process.destroy() would also close its output.) */
    private void terminate() {
        assertThat(process.toHandle().destroy()).isTrue();
    }

    /** Starts the command line in a new JVM with this test's class path; its output lines go to {@code lines}. */
    private void start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(LedgerCli.class.getName());
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).directory(new File(".")).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ended) {
                // the process is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private String next() throws InterruptedException {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(line).as("a line of output within %d s after:%n%s", WAIT_SECONDS, String.join("\n", transcript))
                .isNotNull();
        transcript.add(line);
        return line;
    }
}

package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.net.BankClient;
import dev.ledger.net.BankServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console simulation with real processes: {@code simulate} verifies its books, and a client killed with
 * SIGKILL in the middle of its run leaves the server serving with the money conserved.
 */
@Timeout(180)
class ConsoleSimulationTest {

    @Test
    void simulateRunsClientProcessesAndVerifiesTheBooks() throws Exception {
        Run run = run("simulate", "--clients", "3", "--transfers", "40", "--accounts", "5", "--initial", "100",
                "--max-amount", "80");
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("PASS  total money unchanged (500)", "PASS  no balance negative",
                "PASS  final = initial + net of every OK transfer (120 transfers)", "all checks passed");
        assertThat(run.output).containsPattern("client-3\\s+0\\s+40");
    }

    @Test
    void connectionsCutInMidReplyAreRetriedAndNoTransferIsAppliedTwice() throws Exception {
        Run run = run("simulate", "--clients", "2", "--transfers", "60", "--accounts", "4", "--initial", "100",
                "--max-amount", "50", "--cut-connections", "3");
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).containsPattern("PASS  the proxy cut [1-9][0-9]* connections in mid-reply")
                .contains("PASS  final = initial + net of every OK transfer (120 transfers)", "all checks passed");
    }

    @Test
    void simulateWithTheServerInItsOwnProcessVerifiesTheBooks() throws Exception {
        Run run = run("simulate", "--server-process", "--clients", "2", "--transfers", "25", "--accounts", "4",
                "--strategy", "stamped");
        assertThat(run.exitCode).as(run.output).isZero();
        assertThat(run.output).contains("own process", "all checks passed");
    }

    @Test
    void aClientKilledMidRunLeavesTheServerServingAndTheMoneyConserved() throws Exception {
        Bank bank = Bank.builder().build();
        for (int i = 1; i <= 5; i++) {
            bank.open(String.valueOf(i), 1_000);
        }
        try (BankServer server = BankServer.builder(bank).port(0).build().start()) {
            Process client = new ProcessBuilder(ChildProcesses.javaCommand(List.of("client", "--port",
                    String.valueOf(server.port()), "--transfers", "1000000", "--seed", "7")))
                    .redirectErrorStream(true).start();
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8))) {
                int transfersSeen = 0;
                for (String line = lines.readLine(); line != null && transfersSeen < 50; line = lines.readLine()) {
                    if (line.startsWith("#")) {
                        transfersSeen++;
                    }
                }
                assertThat(transfersSeen).as("transfers printed before the kill").isEqualTo(50);
                client.destroyForcibly(); // SIGKILL, in the middle of its run
                assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            try (BankClient probe = BankClient.connect("127.0.0.1", server.port())) {
                probe.ping();
                Map<String, Long> balances = probe.snapshot();
                assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5_000);
                assertThat(balances.values()).allMatch(balance -> balance >= 0);
            }
            Run next = run("client", "--port", String.valueOf(server.port()), "--transfers", "20", "--quiet");
            assertThat(next.exitCode).as(next.output).isZero();
            assertThat(next.output).contains("sent 20");
            assertThat(bank.total()).isEqualTo(5_000);
        }
    }

    private record Run(int exitCode, String output) {
    }

    @Test
    void aSimulationWithADataDirectoryContinuesFromTheLastOnesBalances(@TempDir Path data) throws Exception {
        Run first = run("simulate", "--server-process", "--clients", "2", "--transfers", "30", "--accounts", "4",
                "--data-dir", data.toString());
        assertThat(first.exitCode).as(first.output).isZero();
        Run second = run("simulate", "--clients", "2", "--transfers", "30", "--accounts", "4",
                "--data-dir", data.toString());
        assertThat(second.exitCode).as(second.output).isZero();
        assertThat(initialColumn(second.output)).as("the second run starts where the first ended")
                .isEqualTo(finalColumn(first.output)).isNotEqualTo(List.of(1000L, 1000L, 1000L, 1000L));
    }

    /** The "initial" or "final" column of the account table, by account. */
    private static List<Long> column(String output, int index) {
        List<Long> values = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+[+-]\\d+$").matcher(output);
        while (row.find()) {
            values.add(Long.parseLong(row.group(index)));
        }
        return values;
    }

    private static List<Long> initialColumn(String output) {
        return column(output, 2);
    }

    private static List<Long> finalColumn(String output) {
        return column(output, 3);
    }

    private static Run run(String... arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ChildProcesses.javaCommand(List.of(arguments))).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("process finished").isTrue();
        return new Run(process.exitValue(), output);
    }
}

package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The PASS/FAIL verdict that {@code simulate} and {@code consortium demo} print. */
class CheckReportTest {
    /** Sorted, so the problems come in the accounts' order. */
    private static final Map<String, Long> BEFORE = new TreeMap<>(Map.of("1", 100L, "2", 100L, "3", 100L));
    private static final List<TransferLog.Entry> TRANSFERS = List.of(
            new TransferLog.Entry(1, "1", "2", 60, true),
            new TransferLog.Entry(2, "3", "1", 10, true));

    @Test
    void passedChecksPrintAsTheSimulationAlwaysHas() {
        CheckReport report = new CheckReport().add(true, "every client finished and exited with 0")
                .add(BookCheck.of(BEFORE, Map.of("1", 50L, "2", 160L, "3", 90L), TRANSFERS));

        assertThat(report.passed()).isTrue();
        assertThat(printed(report)).containsExactly(
                "PASS  every client finished and exited with 0",
                "PASS  total money unchanged (300)",
                "PASS  no balance negative",
                "PASS  final = initial + net of every OK transfer (2 transfers)",
                "all checks passed");
    }

    @Test
    void wrongBooksFailTheReportAndTheirProblemsFollowTheChecks() {
        // The server moved 1 from account 1 to 2 that no client was told about.
        CheckReport report = new CheckReport().add(true, "every client finished and exited with 0")
                .add(BookCheck.of(BEFORE, Map.of("1", 49L, "2", 161L, "3", 90L), TRANSFERS));

        assertThat(report.passed()).isFalse();
        assertThat(printed(report)).containsExactly(
                "PASS  every client finished and exited with 0",
                "PASS  total money unchanged (300)",
                "PASS  no balance negative",
                "FAIL  final = initial + net of every OK transfer (2 transfers)",
                "      account 1: initial 100 + net of OK transfers = 50, but the server has 49",
                "      account 2: initial 100 + net of OK transfers = 160, but the server has 161",
                "CHECKS FAILED");
    }

    @Test
    void oneFailedCheckAmongPassedOnesFailsTheReport() {
        CheckReport report = new CheckReport().add(false, "the demo ran to the end", List.of("a bank did not start"))
                .add(true, "every bank answered");

        assertThat(report.passed()).isFalse();
        assertThat(printed(report)).containsExactly(
                "FAIL  the demo ran to the end",
                "PASS  every bank answered",
                "      a bank did not start",
                "CHECKS FAILED");
    }

    private static List<String> printed(CheckReport report) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        boolean passed = report.print(out);
        assertThat(passed).as("what print returns").isEqualTo(report.passed());
        return text.toString().lines().toList();
    }
}

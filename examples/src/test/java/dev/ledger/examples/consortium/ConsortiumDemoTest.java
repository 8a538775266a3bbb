package dev.ledger.examples.consortium;

import dev.ledger.examples.ChildProcesses;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ledger consortium demo} as a person runs it: a process that starts three bank processes and checks. */
class ConsortiumDemoTest {

    @Test
    @Timeout(170)
    void theDemoRunsEndToEndAndEveryCheckPasses() throws Exception {
        Process demo = new ProcessBuilder(ChildProcesses.javaCommand(List.of("consortium", "demo", "--transfers", "24")))
                .redirectErrorStream(true).start();
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(150, TimeUnit.SECONDS)).as("the demo finished").isTrue();

        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output).contains(
                "alpha: registered ana, bo, dee; opened alpha/ana 5000; opened alpha/ana-bo (joint: ana, bo) 4000",
                "opened beta/cy-shop (business: cy) 6000",
                "gamma: recovered 3 accounts, 3 owners, 0 decisions; 0 transactions in doubt",
                "PASS  gamma came back with what it had when it was killed",
                "PASS  every bank's AUDIT total unchanged: 28000 before the transfers, 28000 after",
                "PASS  total money unchanged (28000)",
                "PASS  no balance negative",
                "PASS  final = initial + net of every committed transfer (",
                "PASS  some transfers failed for insufficient funds",
                "PASS  while gamma was down, none of the",
                "PASS  every other transfer committed or failed for insufficient funds, with an answer",
                "PASS  after its restart, gamma took part in committed transfers",
                "PASS  no money held and no transaction in doubt at any bank",
                "PASS  every bank answered every owner at the end",
                "all checks passed");
        assertThat(output).containsPattern("while gamma is down +24 transfers: .*aborted: bank gamma unreachable")
                .containsPattern("alpha/ana-bo +joint +\\d+ +\\d+  52998224725,39053344705");
    }
}

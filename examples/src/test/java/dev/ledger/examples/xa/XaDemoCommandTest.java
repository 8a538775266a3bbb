package dev.ledger.examples.xa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.examples.ChildProcesses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code ledger xa-demo}, small, as a user runs it (its own JVM), on H2 and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(XaDatabase.class)
@Timeout(180)
class XaDemoCommandTest {
    @Parameter
    XaDatabase database;

    @TempDir
    Path dir;

    @Test
    void aSmallRunSellsInjectsFailuresMeasuresAndPassesItsChecks() throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("xa-demo", "--threads", "3", "--sales", "90", "--warmup", "15",
                "--fail-every", "5", "--customers", "3"));
        if (database == XaDatabase.POSTGRESQL) {
            arguments.addAll(List.of("--jdbc-url", database.url(dir), "--user", database.user(), "--password",
                    database.password()));
        }
        Path log = dir.resolve("xa-demo.log");
        Process process = new ProcessBuilder(ChildProcesses.javaCommand(arguments)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(150, TimeUnit.SECONDS)).as("finished in 150 s").isTrue();
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("every committed sale has its order row, and every row its sale (84)")
                .contains("every injected failure rolled back {DUPLICATE_ORDER=7, INSUFFICIENT_FUNDS=7, "
                        + "APPLICATION_ERROR=7}")
                .containsPattern("bank \\+ database \\(XA, Narayana\\): +90 sales in +[0-9.]+ s = +[0-9]+ tx/s")
                .containsPattern("database alone \\(local tx\\): +90 sales in +[0-9.]+ s = +[0-9]+ tx/s")
                .contains("ratio: the database alone is ")
                .contains("all checks passed")
                .doesNotContain("FAIL");
    }
}

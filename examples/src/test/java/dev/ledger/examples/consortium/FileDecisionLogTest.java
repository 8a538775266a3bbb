package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.tx.TxState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A coordinator's COMMIT decisions survive a restart; presumed abort covers the rest. */
class FileDecisionLogTest {
    @TempDir
    Path dir;

    @Test
    void commitsSurviveReopeningAndTheFirstDecisionWins() throws Exception {
        Path file = dir.resolve("alpha.decisions");
        try (FileDecisionLog log = FileDecisionLog.open(file)) {
            assertThat(log.decide("alpha-1", TxState.COMMITTED)).isEqualTo(TxState.COMMITTED);
            assertThat(log.decide("alpha-1", TxState.ABORTED)).isEqualTo(TxState.COMMITTED);
            assertThat(log.decide("alpha-2", TxState.ABORTED)).isEqualTo(TxState.ABORTED);
            assertThat(log.decide("alpha-2", TxState.COMMITTED)).isEqualTo(TxState.ABORTED);
        }
        try (FileDecisionLog log = FileDecisionLog.open(file)) {
            assertThat(log.recovered()).isEqualTo(1);
            assertThat(log.decision("alpha-1")).contains(TxState.COMMITTED);
            assertThat(log.decision("alpha-2")).as("aborts need no record: presumed abort").isEmpty();
            log.decide("alpha-3", TxState.COMMITTED);
        }
        assertThat(Files.readAllLines(file)).containsExactly("COMMITTED alpha-1", "COMMITTED alpha-3");
    }

    @Test
    void aLineTornByACrashIsCutOffBeforeTheNextCommit() throws Exception {
        Path file = dir.resolve("beta.decisions");
        Files.writeString(file, "COMMITTED beta-1\nCOMMITTED be", StandardCharsets.UTF_8);

        try (FileDecisionLog log = FileDecisionLog.open(file)) {
            assertThat(log.recovered()).isEqualTo(1);
            assertThat(log.decision("be")).isEmpty();
            log.decide("beta-2", TxState.COMMITTED);
        }
        assertThat(Files.readAllLines(file)).containsExactly("COMMITTED beta-1", "COMMITTED beta-2");
    }
}

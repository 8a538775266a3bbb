package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The consortium file: its format, and a clear error naming the line for each mistake. */
class ConsortiumTest {

    @Test
    void readsBanksInOrderSkippingCommentsAndBlankLines() {
        Consortium consortium = Consortium.parse(List.of("# three banks", "", "alpha 127.0.0.1:7101",
                "  beta\tlocalhost:7102  ", "gamma [::1]:7103"), "consortium.txt");

        assertThat(consortium.names()).containsExactly("alpha", "beta", "gamma");
        assertThat(consortium.find("beta").orElseThrow().host()).isEqualTo("localhost");
        assertThat(consortium.find("gamma").orElseThrow().host()).isEqualTo("::1");
        assertThat(consortium.find("gamma").orElseThrow().port()).isEqualTo(7103);
        assertThat(consortium.find("delta")).isEmpty();
        assertThat(Consortium.parse(consortium.lines(), "again").names()).isEqualTo(consortium.names());
    }

    @Test
    void namesTheLineOfEachMistake() {
        assertThatThrownBy(() -> Consortium.parse(List.of("alpha 127.0.0.1:7101", "beta"), "c.txt"))
                .hasMessage("c.txt:2: expected 'name host:port', got 'beta'");
        assertThatThrownBy(() -> Consortium.parse(List.of("al-pha 127.0.0.1:7101"), "c.txt"))
                .hasMessageContaining("c.txt:1: a bank name is 1 to 32 letters, digits or '_'");
        assertThatThrownBy(() -> Consortium.parse(List.of("alpha 127.0.0.1:70000"), "c.txt"))
                .hasMessage("c.txt:1: a port is 1 to 65535, got '70000'");
        assertThatThrownBy(() -> Consortium.parse(List.of("alpha 7101"), "c.txt"))
                .hasMessage("c.txt:1: expected host:port after the name, got '7101'");
        assertThatThrownBy(() -> Consortium.parse(List.of("alpha h:1", "alpha h:2"), "c.txt"))
                .hasMessage("c.txt:2: bank 'alpha' is listed twice");
        assertThatThrownBy(() -> Consortium.parse(List.of("alpha h:1", "beta h:1"), "c.txt"))
                .hasMessage("c.txt:2: h:1 is already bank 'alpha'");
        assertThatThrownBy(() -> Consortium.parse(List.of("# nothing"), "c.txt"))
                .hasMessageContaining("lists no bank");
    }
}

package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.examples.ChildProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code ledger consortium up}, run as a person would: three banks with their panels, a demo login, Ctrl-C. */
@Timeout(150)
class UpCommandTest {
    @Test
    void startsThreeBanksWithTheirPanelsAndDemoAccountsAndStopsThemOnCtrlC() throws Exception {
        Process up = new ProcessBuilder(ChildProcesses.javaCommand(List.of("consortium", "up", "--http-port", "0")))
                .redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        List<URI> panels = new ArrayList<>();
        try {
            CompletableFuture<Void> ready = CompletableFuture.runAsync(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(up.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        synchronized (lines) {
                            lines.add(line);
                        }
                        if (line.matches(" {2}\\w+ +http://127\\.0\\.0\\.1:\\d+/")) {
                            panels.add(URI.create(line.substring(line.indexOf("http://"))));
                        }
                        if (line.contains("Ctrl-C stops them all")) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            ready.get(120, TimeUnit.SECONDS);
            synchronized (lines) {
                assertThat(lines).as(String.join("\n", lines))
                        .contains("  ana  529.982.247-25 / ana-password");
            }
            assertThat(panels).hasSize(3);
            List<String> names = new ArrayList<>();
            for (URI panel : panels) {
                HttpSession browser = new HttpSession(panel.getPort());
                names.add(browser.get("/api/bank").json().get("name").asText());
                assertThat(browser.get("/").raw().body()).contains("<html");
            }
            assertThat(names).containsExactly("alpha", "beta", "gamma");

            HttpSession ana = new HttpSession(panels.get(1).getPort());
            assertThat(ana.post("/api/session", HttpSession.json(Map.of("taxId", "52998224725",
                    "password", "ana-password"))).status()).isEqualTo(200);
            JsonNode banks = ana.get("/api/accounts").json().get("banks");
            assertThat(banks).allSatisfy(bank -> assertThat(bank.get("status").asText()).isEqualTo("ok"));
            assertThat(banks).allSatisfy(bank -> assertThat(bank.get("accounts")).isNotEmpty());
        } finally {
            up.destroy(); // SIGTERM, as Ctrl-C
            assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up ends on Ctrl-C").isTrue();
        }
        for (URI panel : panels) {
            try (Socket stillThere = new Socket(panel.getHost(), panel.getPort())) {
                throw new AssertionError("a bank still serves " + panel + " after Ctrl-C");
            } catch (ConnectException stopped) {
                // the bank process stopped with the command
            }
        }
    }
}

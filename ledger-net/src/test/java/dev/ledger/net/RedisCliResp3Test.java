package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ledger.Bank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-cli -3} (HELLO 3, then RESP3 replies), {@code redis-cli --user default --pass} (AUTH with a user)
 * and {@code redis-benchmark}'s CONFIG GET at start. Skipped where redis-cli is not installed (Debian:
 * {@code redis-tools}).
 */
class RedisCliResp3Test {
    private static final String PASSWORD = "s3cret";
    private BankServer server;

    @BeforeAll
    static void requireRedisCli() {
        assumeTrue(RedisCliWireTest.onPath("redis-cli"), "redis-cli is not installed");
    }

    @BeforeEach
    void start() throws IOException {
        Bank bank = Bank.builder().account("alice", 100).account("bob", 50).build();
        server = BankServer.builder(bank).port(0).password(PASSWORD).build().start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String redisCli(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "--no-raw", "--no-auth-warning"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return output;
    }

    @Test
    void userAndPassword() throws IOException, InterruptedException {
        assertThat(redisCli("--user", "default", "--pass", PASSWORD, "BALANCE", "alice")).isEqualTo("(integer) 100\n");
        assertThat(redisCli("--user", "default", "--pass", "wrong", "BALANCE", "alice"))
                .contains("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(redisCli("-a", PASSWORD, "TRANSFER", "alice", "bob", "10")).isEqualTo("OK\n");
    }

    @Test
    void redisBenchmarkReadsTheConfiguration() throws IOException, InterruptedException {
        assumeTrue(RedisCliWireTest.onPath("redis-benchmark"), "redis-benchmark is not installed");
        Process process = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "-a", PASSWORD, "-n", "200", "-c", "2", "-t", "ping")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("redis-benchmark finished").isTrue();
        assertThat(output).doesNotContain("Could not fetch server CONFIG")
                .contains("host configuration \"appendonly\": no", "requests per second");
    }

    @Test
    void resp3() throws IOException, InterruptedException {
        assertThat(redisCli("-3", "--user", "default", "--pass", PASSWORD, "SNAPSHOT"))
                .isEqualTo("1# \"alice\" => (integer) 100\n2# \"bob\" => (integer) 50\n");
        assertThat(redisCli("-3", "-a", PASSWORD, "CLIENT", "GETNAME")).isEqualTo("(nil)\n");
        assertThat(redisCli("-3", "-a", PASSWORD, "HELLO", "3")).contains("1# \"server\" => \"ledger\"",
                "3# \"proto\" => (integer) 3", "7# \"modules\" => (empty array)");
        assertThat(redisCli("-3", "-a", PASSWORD, "INFO", "clients")).contains("connected_clients:1");
        assertThat(redisCli("-3", "-a", PASSWORD, "TRANSFER", "alice", "bob", "1000"))
                .isEqualTo("(error) FAILED insufficient funds\n");
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code redis-cli -3} (it opens with {@code HELLO 3}) and {@code redis-cli --user default --pass pw} (it sends
 * {@code AUTH default pw}), each reading the commands from standard input on one connection. Skipped where
 * redis-cli is not installed (Debian: {@code redis-tools}).
 */
class RedisCliResp3WireTest {
    private static final List<String> COMMANDS = List.of("PING", "TRANSFER 1 2 5", "BALANCE 2", "SNAPSHOT",
            "TOTAL", "TRANSFER 1 no-such-account 5", "TRANSFER 1 2");

    private BankServer server;

    @BeforeAll
    static void requireRedisCli() {
        assumeTrue(RedisCliWireTest.onPath("redis-cli"),
                "SKIPPED: redis-cli is not installed; install with apt-get install redis-tools");
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void resp3() throws Exception {
        start(null);
        String output = redisCli("-3");
        assertThat(output).startsWith("PONG\nOK\n(integer) 1005\n");
        // A RESP3 map prints as " 1# "1" => (integer) 995", an array as " 1) "1"" then " 2) (integer) 995".
        assertThat(output).contains(" 1# \"1\" => (integer) 995\n", " 2# \"10\" => (integer) 1000\n",
                " 3# \"2\" => (integer) 1005\n", "(integer) 10000\n", "(error) ERR unknown account",
                "(error) ERR wrong number of arguments for 'transfer' command");
    }

    @Test
    void userAndPassword() throws Exception {
        start(RealClientsWireTest.PASSWORD);
        String output = redisCli("--user", "default", "--pass", RealClientsWireTest.PASSWORD, "--no-auth-warning");
        assertThat(output).startsWith("PONG\nOK\n(integer) 1005\n 1) \"1\"\n 2) (integer) 995\n")
                .contains("(integer) 10000\n", "(error) ERR unknown account",
                        "(error) ERR wrong number of arguments for 'transfer' command");
    }

    @Test
    void resp3WithUserAndPassword() throws Exception {
        start(RealClientsWireTest.PASSWORD);
        String output = redisCli("-3", "--user", "default", "--pass", RealClientsWireTest.PASSWORD,
                "--no-auth-warning");
        assertThat(output).startsWith("PONG\nOK\n(integer) 1005\n").contains(" 1# \"1\" => (integer) 995\n",
                "(integer) 10000\n", "(error) ERR unknown account");
    }

    private void start(String password) throws IOException {
        server = ClientStepsServer.start(password);
    }

    private String redisCli(String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "--no-raw"));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write((String.join("\n", COMMANDS) + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        System.out.println("== redis-cli " + String.join(" ", options) + "\n" + output);
        return output;
    }
}

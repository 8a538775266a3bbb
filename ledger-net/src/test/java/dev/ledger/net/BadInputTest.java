package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input never kills the server or changes the bank. After every test, a new connection still gets
 * {@code +PONG} and the same snapshot as before.
 */
class BadInputTest {
    private static final int MAX_CONNECTIONS = 8;

    private final List<RawConnection> raw = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final Semaphore closed = new Semaphore(0);
    private Bank bank;
    private BankServer server;
    private Map<String, Long> before;

    @BeforeEach
    void start() throws IOException {
        bank = Bank.builder().account("alice", 100).account("bob", 50).build();
        server = BankServer.builder(bank).port(0)
                .maxConnections(MAX_CONNECTIONS)
                .requestTimeout(Duration.ofMillis(300))
                .listener(new ConnectionListener() {
                    @Override
                    public void opened(Session session) {
                        opened.incrementAndGet();
                    }

                    @Override
                    public void closed(Session session) {
                        closed.release();
                    }
                })
                .build().start();
        before = bank.snapshot().balances();
    }

    @AfterEach
    void serverStillServesAndNothingChanged() throws Exception {
        for (RawConnection connection : raw) {
            connection.close();
        }
        assertThat(closed.tryAcquire(opened.get(), 5, TimeUnit.SECONDS)).as("every connection closed").isTrue();
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            client.ping();
            assertThat(client.snapshot()).isEqualTo(before);
        }
        assertThat(bank.snapshot().balances()).isEqualTo(before);
        assertThat(server.stop()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "*abc\r\n",
        "*2\r\n+PING\r\n",
        "*1\r\n$4\r\nPINGXX\r\n",
        "*1\r\n$4x\r\n",
        "*1\r\n$4\rPING\r\n",
        "*1\r\n$123456789012345678901234567890\r\n",
        "*3\r\n$8\r\nTRANSFER\r\n$5\r\nalice\r\n:3\r\n",
        "*99999999999999999999\r\n",
    })
    void malformedRespIsAProtocolErrorThatClosesTheConnection(String request) throws IOException {
        assertProtocolError(request.getBytes(StandardCharsets.UTF_8), "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*-1\r\n", "*-5\r\n", "*1\r\n$-1\r\n", "*2\r\n$4\r\nPING\r\n$-7\r\n"})
    void negativeLengthsAreProtocolErrors(String request) throws IOException {
        assertProtocolError(request.getBytes(StandardCharsets.UTF_8), "lengths cannot be negative");
    }

    @Test
    void anArgumentOverTheLimitIsRefusedBeforeItArrives() throws IOException {
        assertProtocolError("*2\r\n$7\r\nBALANCE\r\n$65537\r\n".getBytes(StandardCharsets.US_ASCII),
                "argument of 65537 bytes is over the limit of 65536 bytes");
    }

    @Test
    void anArgumentAtTheLimitIsServed() throws IOException {
        RawConnection connection = open();
        connection.send(command("BALANCE", "x".repeat(64 * 1024)));
        assertThat(connection.readLine()).startsWith("-ERR unknown account 'xxxx");
        connection.send("PING\r\n");
        assertThat(connection.readLine()).isEqualTo("+PONG");
    }

    @Test
    void tooManyArgumentsIsAProtocolError() throws IOException {
        assertProtocolError("*1025\r\n".getBytes(StandardCharsets.US_ASCII),
                "too many arguments in a request (1025, the limit is 1024)");
    }

    @Test
    void theMostArgumentsAreServed() throws IOException {
        String[] parts = new String[1024];
        Arrays.fill(parts, "x");
        parts[0] = "PING";
        RawConnection connection = open();
        connection.send(command(parts));
        assertThat(connection.readLine()).isEqualTo("-ERR wrong number of arguments for 'ping' command");
    }

    @Test
    void aRequestOverTheTotalLimitIsAProtocolError() throws IOException {
        String[] parts = new String[20];
        Arrays.fill(parts, "y".repeat(60_000));
        parts[0] = "OPEN";
        assertProtocolError(command(parts), "request is over the limit of 1048576 bytes");
    }

    @Test
    void anInlineLineOverTheLimitIsAProtocolError() throws IOException {
        byte[] line = new byte[70_000];
        Arrays.fill(line, (byte) 'a');
        assertProtocolError(line, "inline request is over the limit of 65536 bytes");
    }

    @Test
    void nonNumericAmountsAreRefusedAndTheConnectionStaysOpen() throws IOException {
        RawConnection connection = open();
        connection.send("TRANSFER alice bob ten\r\nDEPOSIT alice 1e3\r\nWITHDRAW bob +5\r\nPING\r\n");
        assertThat(connection.readLine()).isEqualTo(
                "-ERR amount must be a whole number (digits, optionally after '-'), got 'ten'");
        assertThat(connection.readLine()).startsWith("-ERR amount must be a whole number").endsWith("got '1e3'");
        assertThat(connection.readLine()).startsWith("-ERR amount must be a whole number").endsWith("got '+5'");
        assertThat(connection.readLine()).isEqualTo("+PONG");
    }

    @Test
    void binaryGarbageGetsErrorsOnlyAndNothingRuns() throws IOException {
        byte[] garbage = new byte[100_000];
        new Random(42).nextBytes(garbage);
        RawConnection connection = open();
        connection.send(garbage);
        connection.shutdownOutput();
        int lines = 0;
        for (String line; (line = connection.readLine()) != null; lines++) {
            assertThat(line).startsWith("-ERR ");
        }
        assertThat(lines).isPositive();
    }

    @Test
    void controlBytesInACommandNameAreEscapedInTheReply() throws IOException {
        RawConnection connection = open();
        connection.send(new byte[] {'*', '1', '\r', '\n', '$', '3', '\r', '\n', 0, (byte) 0xff, '\n', '\r', '\n'});
        assertThat(connection.readLine()).isEqualTo("-ERR unknown command '\\x00\\xff\\x0a'");
    }

    @Test
    void anArgumentCannotSmuggleARepliesLineBreak() throws IOException {
        RawConnection connection = open();
        connection.send(command("OPEN", "x\r\n+OK"));
        connection.send("PING\r\n");
        assertThat(connection.readLine()).startsWith("-ERR account id must be").contains("x  +OK");
        assertThat(connection.readLine()).isEqualTo("+PONG");
    }

    @Test
    void halfARequestThenSilenceIsCutOffByTheRequestTimeout() throws IOException {
        RawConnection connection = open();
        connection.send("*3\r\n$8\r\nTRANSFER\r\n$5\r\nal");
        assertThat(connection.readLine()).isEqualTo(
                "-ERR Protocol error: incomplete request: the rest did not arrive within 300 ms");
        assertThat(connection.closedByServer()).isTrue();
    }

    @Test
    void aRequestArrivingSlowlyButInTimeIsServed() throws IOException {
        RawConnection connection = open();
        byte[] request = command("BALANCE", "alice");
        for (byte b : request) {
            connection.send(new byte[] {b});
        }
        assertThat(connection.readLine()).isEqualTo(":100");
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndTheOthersUnaffected() throws Exception {
        List<RawConnection> admitted = new ArrayList<>();
        for (int i = 0; i < MAX_CONNECTIONS; i++) {
            admitted.add(open().send("PING\r\n"));
        }
        for (RawConnection connection : admitted) {
            assertThat(connection.readLine()).isEqualTo("+PONG"); // each is being served
        }
        for (int i = 0; i < 3 * MAX_CONNECTIONS; i++) {
            try (RawConnection refused = new RawConnection(server.port())) {
                assertThat(refused.readLine()).isEqualTo("-ERR max number of clients reached");
                assertThat(refused.closedByServer()).isTrue();
            }
        }
        for (RawConnection connection : admitted) {
            connection.send("BALANCE bob\r\n");
            assertThat(connection.readLine()).isEqualTo(":50");
        }
        assertThat(server.connections()).isEqualTo(MAX_CONNECTIONS);

        int closedBefore = closed.availablePermits();
        admitted.get(0).close();
        assertThat(closed.tryAcquire(closedBefore + 1, 5, TimeUnit.SECONDS)).isTrue();
        closed.release(closedBefore + 1); // leave the permits for the final check
        RawConnection replacement = open().send("PING\r\n");
        assertThat(replacement.readLine()).isEqualTo("+PONG");
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (BankServer idle = BankServer.builder(bank).port(0).idleTimeout(Duration.ofMillis(200)).build().start();
                RawConnection quiet = new RawConnection(idle.port())) {
            quiet.send("PING\r\n");
            assertThat(quiet.readLine()).isEqualTo("+PONG");
            assertThat(quiet.closedByServer()).isTrue();
        }
    }

    private void assertProtocolError(byte[] request, String detail) throws IOException {
        RawConnection connection = open();
        connection.send(request);
        String reply = connection.readLine();
        assertThat(reply).startsWith("-ERR Protocol error: ").contains(detail);
        assertThat(connection.closedByServer()).as("closed after " + reply).isTrue();
    }

    private RawConnection open() throws IOException {
        RawConnection connection = new RawConnection(server.port());
        raw.add(connection);
        return connection;
    }

    static byte[] command(String... parts) {
        StringBuilder out = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            out.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                    .append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}

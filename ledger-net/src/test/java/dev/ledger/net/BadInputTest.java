package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.TransferStatus;
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
import java.util.function.IntFunction;
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
        assertProtocolError("*32769\r\n".getBytes(StandardCharsets.US_ASCII),
                "too many arguments in a request (32769, the limit is 32768)");
    }

    @Test
    void theMostArgumentsAreServed() throws IOException {
        String[] parts = new String[32_768];
        Arrays.fill(parts, "x");
        parts[0] = "PING";
        RawConnection connection = open();
        connection.send(command(parts));
        assertThat(connection.readLine()).isEqualTo("-ERR wrong number of arguments for 'ping' command");
    }

    @Test
    void aRequestOverTheTotalLimitIsAProtocolError() throws IOException {
        String[] parts = new String[40];
        Arrays.fill(parts, "y".repeat(60_000));
        parts[0] = "OPEN";
        assertProtocolError(command(parts), "request is over the limit of 2097152 bytes");
    }

    @Test
    void theLargestTransfersBatchWithTheLongestIdsAndAmountsIsServed() throws IOException {
        // Unknown accounts: every transfer is refused on its own, so the batch changes nothing.
        String[] parts = transfers(Call.MAX_TRANSFERS_PER_BATCH, i -> String.format("%064d", i), "a".repeat(64),
                "b".repeat(64), "-9223372036854775808");
        byte[] request = command(parts);
        assertThat(parts).hasSize(32_757);
        assertThat(request.length).as("request bytes").isGreaterThan(1_900_000);
        RawConnection connection = open();
        connection.send(request);
        assertThat(connection.readLine()).isEqualTo("*" + 2 * Call.MAX_TRANSFERS_PER_BATCH);
        for (int i = 0; i < Call.MAX_TRANSFERS_PER_BATCH; i++) {
            assertThat(connection.readLine()).isEqualTo(":" + i);
            connection.readLine(); // the status's length
            assertThat(TransferStatus.valueOf(connection.readLine()).isApplied()).isFalse();
        }
        connection.send("PING\r\n");
        assertThat(connection.readLine()).isEqualTo("+PONG");
    }

    @Test
    void aTransfersBatchOverTheLimitIsRefusedWholeAndTheConnectionStaysOpen() throws IOException {
        RawConnection connection = open();
        connection.send(command(transfers(Call.MAX_TRANSFERS_PER_BATCH + 1, i -> "t" + i, "alice", "bob", "1")));
        assertThat(connection.readLine())
                .isEqualTo("-ERR a batch holds at most 8189 transfers, got 8190 (INVALID_REQUEST)");
        connection.send("PING\r\n");
        assertThat(connection.readLine()).isEqualTo("+PONG");
    }

    @Test
    void aBadAmountAnywhereInATransfersBatchAppliesNoneOfIt() throws IOException {
        RawConnection connection = open();
        connection.send(command("TRANSFERS", "t1", "alice", "bob", "10", "t2", "alice", "bob", "1e3", "t3", "alice",
                "bob", "5"));
        assertThat(connection.readLine()).isEqualTo(
                "-ERR amount of transfer 1 must be a whole number (digits, optionally after '-'), got '1e3'");
        connection.send(command("TRANSFERS", "", "alice", "bob", "10", "", "bob", "alice", "99999999999999999999"));
        assertThat(connection.readLine()).isEqualTo(
                "-ERR amount of transfer 1 is out of range, got '99999999999999999999'");
        connection.send(command("TRANSFERS", "t1", "alice", "bob", "10", "t2", "alice", "bob", ""));
        assertThat(connection.readLine()).isEqualTo("-ERR amount of transfer 1 is empty");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 5, 7, 9})
    void aTransfersBatchWithoutFourArgumentsPerTransferIsRefused(int arguments) throws IOException {
        String[] parts = new String[1 + arguments];
        Arrays.fill(parts, "1");
        parts[0] = "TRANSFERS";
        RawConnection connection = open();
        connection.send(command(parts));
        assertThat(connection.readLine()).isEqualTo("-ERR wrong number of arguments for 'transfers' command");
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

    /** Returns {@code TRANSFERS} and its arguments for {@code count} transfers of the same accounts and amount. */
    private static String[] transfers(int count, IntFunction<String> id, String from, String to, String amount) {
        String[] parts = new String[1 + 4 * count];
        parts[0] = "TRANSFERS";
        for (int i = 0; i < count; i++) {
            parts[1 + 4 * i] = id.apply(i);
            parts[2 + 4 * i] = from;
            parts[3 + 4 * i] = to;
            parts[4 + 4 * i] = amount;
        }
        return parts;
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

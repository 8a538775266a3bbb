package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.internal.ThreadPerTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server's framing, pipelining, extension point, authentication and lifecycle. */
class BankServerTest {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Queue<String> events = new ConcurrentLinkedQueue<>();
    /** Own threads for calls that block: the common pool may have a single thread. */
    private final ExecutorService background = Executors.newCachedThreadPool();
    private Bank bank;
    private BankServer server;

    @BeforeEach
    void start() throws IOException {
        bank = Bank.builder().account("alice", 100).account("bob", 50).build();
        server = BankServer.builder(bank).port(0)
                .command("LOGIN", (request, reply) -> {
                    request.requireArguments(1, 1);
                    request.session().attributes().put("user", request.argument(0));
                    reply.ok();
                })
                .command("WHOAMI", (request, reply) -> {
                    Object user = request.session().attributes().get("user");
                    if (user == null) {
                        reply.nullBulk();
                    } else {
                        reply.bulk(user + "@" + request.session().id());
                    }
                })
                .command("total", (request, reply) -> reply.simple("replaced"))
                .command("FORBID", (request, reply) -> {
                    throw new CommandException("FORBIDDEN", "not for you");
                })
                .command("BOOM", (request, reply) -> {
                    reply.array(2);
                    reply.bulk("half a reply");
                    throw new IllegalStateException("boom");
                })
                .command("SILENT", (request, reply) -> { })
                .wrap("echo", echo -> (request, reply) -> { // a built-in command behind a check of its own
                    if (request.session().attributes().get("user") == null) {
                        throw new CommandException("NOLOGIN", "log in first");
                    }
                    echo.handle(request, reply);
                })
                .command("THREAD", (request, reply) -> reply.bulk(Thread.currentThread().toString()))
                .command("BLOCK", (request, reply) -> {
                    entered.countDown();
                    awaitRelease();
                    reply.ok();
                })
                .listener(new ConnectionListener() {
                    @Override
                    public void opened(Session session) {
                        events.add("opened " + session.id());
                    }

                    @Override
                    public void closed(Session session) {
                        events.add("closed " + session.id());
                    }
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop();
        background.shutdownNow();
    }

    @Test
    void inlineCommandsWorkAsTypedIntoATerminal() throws IOException {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("TRANSFER alice bob 10\r\n\r\n  balance   bob \t\nSNAPSHOT\n");
            assertThat(raw.readLine()).isEqualTo("+OK");
            assertThat(raw.readLine()).isEqualTo(":60");
            assertThat(List.of(raw.readLine(), raw.readLine(), raw.readLine(), raw.readLine(), raw.readLine()))
                    .containsExactly("*4", "$5", "alice", ":90", "$3");
        }
    }

    @Test
    void requestsSplitAtAnyByteAreServedAlike() throws IOException {
        byte[] pipeline = ("*3\r\n$7\r\nDEPOSIT\r\n$5\r\nalice\r\n$1\r\n1\r\nBALANCE alice\r\n"
                + "*2\r\n$7\r\nBALANCE\r\n$3\r\nbob\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < pipeline.length; split++) {
            try (RawConnection raw = new RawConnection(server.port())) {
                raw.send(Arrays.copyOfRange(pipeline, 0, split));
                raw.send(Arrays.copyOfRange(pipeline, split, pipeline.length));
                long expected = 100 + split;
                assertThat(raw.readLine()).as("split at %d", split).isEqualTo(":" + expected);
                assertThat(raw.readLine()).isEqualTo(":" + expected);
                assertThat(raw.readLine()).isEqualTo(":50");
            }
        }
    }

    @Test
    void repliesToAPipelineLeaveTogetherOnceTheReadRequestsAreAnswered() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("PING\r\nBLOCK\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
            // The first PING has been answered, but its reply waits in the buffer until BLOCK is answered too;
            // a write per reply would have put +PONG in this socket's receive buffer already (loopback).
            InputStream in = socket.getInputStream();
            assertThat(in.available()).isZero();
            release.countDown();
            byte[] replies = "+PONG\r\n+OK\r\n+PONG\r\n".getBytes(StandardCharsets.US_ASCII);
            assertThat(in.readNBytes(replies.length)).isEqualTo(replies);
        }
    }

    @Test
    void aWrappedBuiltInCommandRunsBehindItsWrapper() {
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            assertThatThrownBy(() -> client.echo("hi")).isInstanceOf(ServerErrorException.class)
                    .hasMessage("NOLOGIN log in first");
            client.execute(Call.raw("LOGIN", "ann"));
            assertThat(client.echo("hi")).isEqualTo("hi");
        }
        assertThatThrownBy(() -> BankServer.builder(bank).wrap("NOSUCH", handler -> handler).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NOSUCH");
    }

    @Test
    void extensionCommandsKeepStatePerConnection() {
        try (BankClient first = BankClient.connect("127.0.0.1", server.port());
                BankClient second = BankClient.connect("127.0.0.1", server.port())) {
            assertThat(first.execute(Call.raw("login", "ann"))).isEqualTo("OK");
            assertThat(second.execute(Call.raw("WHOAMI"))).isNull();
            assertThat(second.execute(Call.raw("LOGIN", "ben"))).isEqualTo("OK");
            assertThat((String) first.execute(Call.raw("WhoAmI"))).startsWith("ann@");
            assertThat((String) second.execute(Call.raw("WHOAMI"))).startsWith("ben@");
            BankClientTest.assertWrongArguments(() -> first.execute(Call.raw("LOGIN")), "login");
        }
    }

    @Test
    void anExtensionCanReplaceABuiltInCommand() {
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            assertThat(client.execute(Call.raw("TOTAL"))).isEqualTo("replaced");
            assertThatThrownBy(client::total).isInstanceOf(ProtocolViolationException.class)
                    .hasMessage("TOTAL: expected an integer, got 'replaced'");
        }
    }

    @Test
    void failingHandlersGetAnErrorReplyAndTheConnectionGoesOn() {
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            BankClientTest.assertServerError(() -> client.execute(Call.raw("FORBID")), "FORBIDDEN", "not for you");
            BankClientTest.assertServerError(() -> client.execute(Call.raw("BOOM")), "ERR",
                    "internal error: java.lang.IllegalStateException: boom");
            BankClientTest.assertServerError(() -> client.execute(Call.raw("SILENT")), "ERR",
                    "internal error: java.lang.IllegalStateException: the handler of SILENT wrote no reply");
            client.ping();
        }
    }

    @Test
    void connectionsAreServedByVirtualThreadsWhereTheRuntimeHasThem() {
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            String thread = (String) client.execute(Call.raw("THREAD"));
            if (ThreadPerTask.virtualThreadsAvailable()) {
                assertThat(thread).startsWith("VirtualThread");
            } else {
                assertThat(thread).contains("ledger-net-");
            }
        }
    }

    @Test
    void aPasswordGuardsEveryCommandButAuthPingAndQuit() throws IOException {
        try (BankServer guarded = BankServer.builder(bank).port(0).password("pa55").build().start()) {
            try (BankClient anonymous = BankClient.connect("127.0.0.1", guarded.port())) {
                anonymous.ping();
                BankClientTest.assertServerError(() -> anonymous.balance("alice"), "NOAUTH",
                        "Authentication required.");
                BankClientTest.assertServerError(() -> anonymous.execute(Call.raw("NOSUCH")), "NOAUTH", "");
                BankClientTest.assertServerError(() -> anonymous.auth("wrong"), "ERR", "invalid password");
                anonymous.auth("pa55");
                assertThat(anonymous.balance("alice")).isEqualTo(100);
            }
            try (BankClient member = BankClient.builder().port(guarded.port()).password("pa55").connect()) {
                assertThat(member.total()).isEqualTo(150);
            }
            assertThatThrownBy(() -> BankClient.builder().port(guarded.port()).password("nope").connect())
                    .isInstanceOf(ServerErrorException.class).hasMessage("ERR invalid password");
        }
    }

    @Test
    void theListenerSeesEachConnectionOpenAndClose() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        try (BankServer observed = BankServer.builder(bank).port(0).listener(new ConnectionListener() {
            @Override
            public void closed(Session session) {
                events.add("observed close of " + session.remoteAddress().getAddress().getHostAddress());
                closed.countDown();
            }
        }).build().start()) {
            BankClient.connect("127.0.0.1", observed.port()).close();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(events).contains("observed close of 127.0.0.1");
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            client.ping();
            assertThat(events).contains("opened 1");
        }
    }

    @Test
    void stopFinishesTheRequestInFlightThenClosesEveryConnection() throws Exception {
        RawConnection idle = new RawConnection(server.port());
        idle.send("PING\r\n");
        assertThat(idle.readLine()).isEqualTo("+PONG");
        BankClient busy = BankClient.connect("127.0.0.1", server.port());
        CompletableFuture<Object> inFlight =
                CompletableFuture.supplyAsync(() -> busy.execute(Call.raw("BLOCK")), background);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Boolean> stopped =
                CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(10)), background);
        assertThat(idle.closedByServer()).as("an idle connection is closed at once").isTrue();
        Await.until(Duration.ofSeconds(5), "the server stops accepting", () -> !server.isRunning() && refusesConnections());
        assertThat(stopped).isNotDone();

        release.countDown();
        assertThat(inFlight.get(5, TimeUnit.SECONDS)).isEqualTo("OK");
        assertThat(stopped.get(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(busy::ping).isInstanceOf(UncheckedIOException.class);
        assertThat(server.connections()).isZero();
        idle.close();
        busy.close();
    }

    @Test
    void stopClosesConnectionsThatOutlastTheGracePeriod() throws Exception {
        BankClient stuck = BankClient.connect("127.0.0.1", server.port());
        CompletableFuture<Object> inFlight =
                CompletableFuture.supplyAsync(() -> stuck.execute(Call.raw("BLOCK")), background);
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(server.stop(Duration.ofMillis(100))).isFalse();
        assertThatThrownBy(() -> inFlight.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(UncheckedIOException.class);
        stuck.close();
    }

    @Test
    void aServerStartsOnceAndStopsIdempotently() throws IOException {
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        assertThat(server.stop()).isTrue();
        assertThat(server.stop()).isTrue();
        assertThat(BankServer.builder(bank).build().stop()).isTrue();
    }

    @Test
    void aBusyPortFailsToStartWithTheAddressInTheMessage() {
        BankServer second = BankServer.builder(bank).port(server.port()).build();
        assertThatThrownBy(second::start).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port());
    }

    @Test
    void theBuilderRefusesNonsense() {
        BankServer.Builder builder = BankServer.builder(bank);
        assertThatThrownBy(() -> builder.port(70000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxConnections(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.command("TWO WORDS", (request, reply) -> reply.ok()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TWO WORDS");
        assertThatThrownBy(() -> builder.password("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.maxArgumentBytes(2 << 20).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must exceed");
    }

    private boolean refusesConnections() {
        try {
            new Socket("127.0.0.1", server.port()).close();
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

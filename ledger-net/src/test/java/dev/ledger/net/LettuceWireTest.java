package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Lettuce with its default settings (it opens with {@code HELLO 3}, with {@code AUTH default password} when there is
 * one) runs the same steps as the client scripts of {@link RealClientsWireTest}, printing one
 * {@code STEP <name> OK|FAIL} line per step.
 */
class LettuceWireTest {
    private BankServer server;
    private RedisClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "password \"{0}\"")
    @ValueSource(strings = {"", RealClientsWireTest.PASSWORD})
    void connectsWithDefaultSettingsAndRunsEveryStep(String password) throws IOException {
        server = ClientStepsServer.start(password);
        RedisURI.Builder uri = RedisURI.Builder.redis("127.0.0.1", server.port());
        if (!password.isEmpty()) {
            uri.withPassword(password.toCharArray());
        }
        client = RedisClient.create(uri.build());

        Steps steps = new Steps();
        @SuppressWarnings("unchecked")
        StatefulRedisConnection<String, String>[] connection = new StatefulRedisConnection[1];
        long[] before = new long[1];
        long[] total = new long[1];
        List<String> ids = new ArrayList<>();
        steps.run("connect", () -> connection[0] = client.connect());
        if (connection[0] == null) {
            steps.assertAllOk();
        }
        RedisCommands<String, String> sync = connection[0].sync();
        steps.run("ping", () -> assertThat(sync.ping()).isEqualTo("PONG"));
        steps.run("transfer", () -> {
            before[0] = integer(sync, "BALANCE", "2");
            assertThat(status(sync, "TRANSFER", "1", "2", "5")).isEqualTo("OK");
        });
        steps.run("balance", () -> assertThat(integer(sync, "BALANCE", "2")).isEqualTo(before[0] + 5));
        steps.run("snapshot", () -> {
            List<Object> reply = sync.dispatch(keyword("SNAPSHOT"), new ArrayOutput<>(StringCodec.UTF8));
            Map<String, Long> balances = new LinkedHashMap<>();
            if (reply.size() == 1 && reply.get(0) instanceof Map<?, ?> map) {
                map.forEach((id, balance) -> balances.put(id.toString(), (Long) balance));
            } else {
                assertThat(reply.size() % 2).as("SNAPSHOT " + reply).isZero();
                for (int i = 0; i < reply.size(); i += 2) {
                    balances.put(reply.get(i).toString(), (Long) reply.get(i + 1));
                }
            }
            total[0] = integer(sync, "TOTAL");
            assertThat(balances.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total[0]);
            ids.addAll(balances.keySet());
        });
        steps.run("pipeline", () -> {
            RedisAsyncCommands<String, String> async = connection[0].async();
            connection[0].setAutoFlushCommands(false);
            List<RedisFuture<String>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < 100; i++) {
                    replies.add(async.dispatch(keyword("TRANSFER"), new StatusOutput<>(StringCodec.UTF8),
                            new CommandArgs<>(StringCodec.UTF8).add(ids.get(i % ids.size()))
                                    .add(ids.get((i + 1) % ids.size())).add(i * 37 + 1)));
                }
                connection[0].flushCommands();
            } finally {
                connection[0].setAutoFlushCommands(true);
            }
            for (RedisFuture<String> reply : replies) {
                try {
                    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
                } catch (ExecutionException refused) {
                    assertThat(refused.getCause()).isInstanceOf(RedisCommandExecutionException.class)
                            .hasMessage("FAILED insufficient funds");
                }
            }
            assertThat(integer(sync, "TOTAL")).isEqualTo(total[0]);
        });
        steps.run("error-unknown-account", () -> expectError("UNKNOWN_ACCOUNT",
                () -> status(sync, "TRANSFER", "1", "no-such-account", "5")));
        steps.run("error-arity", () -> expectError("wrong number of arguments",
                () -> status(sync, "TRANSFER", "1", "2")));
        connection[0].close();
        steps.assertAllOk();
    }

    private static void expectError(String expected, Runnable command) {
        try {
            command.run();
        } catch (RedisCommandExecutionException error) {
            assertThat(error.getMessage()).contains(expected);
            return;
        }
        throw new AssertionError("no error reply");
    }

    private static String status(RedisCommands<String, String> sync, String name, String... arguments) {
        return sync.dispatch(keyword(name), new StatusOutput<>(StringCodec.UTF8), arguments(arguments));
    }

    private static long integer(RedisCommands<String, String> sync, String name, String... arguments) {
        return sync.dispatch(keyword(name), new IntegerOutput<>(StringCodec.UTF8), arguments(arguments));
    }

    private static CommandArgs<String, String> arguments(String... arguments) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (String argument : arguments) {
            args.add(argument);
        }
        return args;
    }

    private static ProtocolKeyword keyword(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** Runs steps, printing {@code STEP <name> OK} or {@code STEP <name> FAIL <reason>} for each. */
    static final class Steps {
        private final List<String> failures = new ArrayList<>();

        void run(String name, ThrowingRunnable step) {
            try {
                step.run();
                System.out.println("STEP " + name + " OK");
            } catch (Throwable failure) {
                String line = "STEP " + name + " FAIL " + failure.getClass().getSimpleName() + ": "
                        + String.valueOf(failure.getMessage()).replace('\n', ' ');
                System.out.println(line);
                failures.add(line);
            }
        }

        void assertAllOk() {
            assertThat(failures).as("failed steps").isEmpty();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.KeyValue;

/** Jedis with RESP3, which connects with HELLO 3 (with AUTH when it has a password) and CLIENT SETINFO. */
class JedisResp3Test {
    private static final String PASSWORD = "s3cret";
    private BankServer server;

    @AfterEach
    void stop() {
        server.stop();
    }

    private static ProtocolCommand command(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        return () -> bytes;
    }

    @ParameterizedTest(name = "password: {0}")
    @ValueSource(booleans = {false, true})
    void resp3Session(boolean withPassword) throws IOException {
        Bank bank = Bank.builder().account("alice", 1000).account("bob", 0).build();
        server = BankServer.builder(bank).port(0).password(withPassword ? PASSWORD : null).build().start();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().timeoutMillis(5000)
                .protocol(RedisProtocol.RESP3).clientName("teller");
        if (withPassword) {
            config.user("default").password(PASSWORD);
        }
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", server.port()), config.build())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(text(jedis.sendCommand(command("TRANSFER"), "alice", "bob", "100"))).isEqualTo("OK");
            assertThat(jedis.sendCommand(command("BALANCE"), "bob")).isEqualTo(100L);
            Object snapshot = jedis.sendCommand(command("SNAPSHOT"));
            assertThat(snapshot).isInstanceOf(List.class); // Jedis decodes a RESP3 map into key-value pairs
            List<String> pairs = new ArrayList<>();
            for (Object pair : (List<?>) snapshot) {
                KeyValue<?, ?> entry = (KeyValue<?, ?>) pair;
                pairs.add(text(entry.getKey()) + "=" + entry.getValue());
            }
            assertThat(pairs).containsExactly("alice=900", "bob=100");
            assertThat(jedis.clientGetname()).isEqualTo("teller");
            assertThat(jedis.info("clients")).contains("connected_clients:1");
            assertThat(jedis.dbSize()).isEqualTo(2);

            Pipeline pipeline = jedis.pipelined();
            List<Response<Object>> replies = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                replies.add(pipeline.sendCommand(command("TRANSFER"), "alice", "bob", "1"));
            }
            pipeline.sync();
            assertThat(replies).allSatisfy(reply -> assertThat(text(reply.get())).isEqualTo("OK"));
            assertThat(jedis.sendCommand(command("BALANCE"), "bob")).isEqualTo(200L);

            assertThatThrownBy(() -> jedis.sendCommand(command("TRANSFER"), "alice", "bob", "100000"))
                    .isInstanceOf(JedisDataException.class).hasMessage("FAILED insufficient funds");
            assertThatThrownBy(() -> jedis.sendCommand(command("BALANCE"), "nobody"))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR unknown account 'nobody' (UNKNOWN_ACCOUNT)");
            String list = jedis.clientList();
            assertThat(list).contains("name=teller", "lib-name=jedis", "resp=3");
        }
        assertThat(bank.totalExact().longValue()).isEqualTo(1000);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

}

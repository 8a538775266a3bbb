package dev.ledger.net;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;

/** The wire script through Jedis, a Redis client library, with {@code sendCommand}. */
class JedisWireTest extends WireCompatibilityContract {
    @Override
    List<Object> run(int port, List<List<String>> commands) {
        List<Object> replies = new ArrayList<>();
        try (Jedis jedis = new Jedis(new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder().timeoutMillis(5000).build())) {
            for (List<String> command : commands) {
                byte[] name = command.get(0).getBytes(StandardCharsets.UTF_8);
                ProtocolCommand protocolCommand = () -> name;
                try {
                    replies.add(converted(jedis.sendCommand(protocolCommand,
                            command.subList(1, command.size()).toArray(String[]::new))));
                } catch (JedisDataException error) {
                    replies.add(new WireScript.Err(error.getMessage()));
                }
            }
        }
        return replies;
    }

    @Override
    boolean simpleStringsLookLikeBulk() {
        return true;
    }

    private static Object converted(Object reply) {
        if (reply instanceof byte[]) {
            return new String((byte[]) reply, StandardCharsets.UTF_8);
        }
        if (reply instanceof List) {
            List<Object> elements = new ArrayList<>();
            ((List<?>) reply).forEach(element -> elements.add(converted(element)));
            return elements;
        }
        return reply;
    }
}

package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.net.ProtocolViolationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The client's decoding of every RESP2 and RESP3 type. */
class ReplyReaderTest {
    private static Object read(String bytes) throws IOException {
        return new ReplyReader(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8))).read();
    }

    @Test
    void resp2() throws IOException {
        assertThat(read("+OK\r\n")).isEqualTo("OK");
        assertThat(read("-ERR bad\r\n")).isEqualTo(new ErrorReply("ERR", "bad"));
        assertThat(read(":-7\r\n")).isEqualTo(-7L);
        assertThat(read("$3\r\nabc\r\n")).isEqualTo("abc");
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("*2\r\n$1\r\na\r\n:1\r\n")).isEqualTo(List.of("a", 1L));
    }

    @Test
    void aReplySplitAnywhereAcrossReadsIsReadWhole() throws IOException {
        byte[] reply = "*3\r\n$3\r\nabc\r\n$5\r\nhello\r\n:7\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int split = 1; split < reply.length; split++) {
            InputStream in = new SequenceInputStream(new ByteArrayInputStream(reply, 0, split),
                    new ByteArrayInputStream(reply, split, reply.length - split));
            assertThat(new ReplyReader(in).read()).as("split after %d bytes", split)
                    .isEqualTo(List.of("abc", "hello", 7L));
        }
    }

    @Test
    void resp3() throws IOException {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("bob", 5L);
        map.put("alice", 9L);
        assertThat(read("%2\r\n$3\r\nbob\r\n:5\r\n$5\r\nalice\r\n:9\r\n")).isEqualTo(map);
        assertThat(List.copyOf(((Map<?, ?>) read("%2\r\n$3\r\nbob\r\n:5\r\n$5\r\nalice\r\n:9\r\n")).keySet()))
                .isEqualTo(List.of("bob", "alice"));
        assertThat(read("~2\r\n$1\r\nx\r\n$1\r\ny\r\n")).isEqualTo(Set.of("x", "y"));
        assertThat(read("_\r\n")).isNull();
        assertThat(read("#t\r\n")).isEqualTo(true);
        assertThat(read("#f\r\n")).isEqualTo(false);
        assertThat(read(",1.5\r\n")).isEqualTo(1.5);
        assertThat(read(",-inf\r\n")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(read(",nan\r\n")).isEqualTo(Double.NaN);
        assertThat(read("(12345678901234567890123\r\n")).isEqualTo(new BigInteger("12345678901234567890123"));
        assertThat(read("=10\r\ntxt:a:b\r\nc\r\n")).isEqualTo("a:b\r\nc");
        assertThat(read("!11\r\nSYNTAX oops\r\n")).isEqualTo(new ErrorReply("SYNTAX", "oops"));
        assertThat(read("|1\r\n+ttl\r\n:3\r\n:42\r\n")).isEqualTo(42L);
    }

    @Test
    void malformedResp3() {
        assertThatThrownBy(() -> read("#x\r\n")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> read(",1.2.3\r\n")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> read("=3\r\nabc\r\n")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> read("%-1\r\n")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> read("(12a\r\n")).isInstanceOf(ProtocolViolationException.class);
    }
}

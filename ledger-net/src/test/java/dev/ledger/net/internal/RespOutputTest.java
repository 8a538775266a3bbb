package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Every reply type, byte for byte, in RESP2 and RESP3. */
class RespOutputTest {
    private static String encoded(Consumer<RespOutput> write) {
        return encoded(64, write);
    }

    private static String encoded(int bufferSize, Consumer<RespOutput> write) {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RespOutput output = new RespOutput(sink, bufferSize);
        write.accept(output);
        output.flush();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void resp2Types() {
        assertThat(encoded(out -> out.simple("OK"))).isEqualTo("+OK\r\n");
        assertThat(encoded(out -> out.simple("a\r\nb"))).isEqualTo("+a  b\r\n");
        assertThat(encoded(out -> out.error("ERR", "bad"))).isEqualTo("-ERR bad\r\n");
        assertThat(encoded(out -> out.integer(-42))).isEqualTo(":-42\r\n");
        assertThat(encoded(out -> out.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
        assertThat(encoded(out -> out.bulk("héllo"))).isEqualTo("$6\r\nhéllo\r\n");
        assertThat(encoded(RespOutput::nullBulk)).isEqualTo("$-1\r\n");
        assertThat(encoded(out -> {
            out.arrayHeader(2);
            out.bulk("a");
            out.integer(1);
        })).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
    }

    @Test
    void mapsAndSets() {
        assertThat(encoded(out -> {
            out.mapHeader(2);
            out.bulk("alice");
            out.integer(90);
            out.bulk("bob");
            out.integer(-5);
        })).isEqualTo("%2\r\n$5\r\nalice\r\n:90\r\n$3\r\nbob\r\n:-5\r\n");
        assertThat(encoded(out -> out.mapHeader(0))).isEqualTo("%0\r\n");
        assertThat(encoded(out -> {
            out.setHeader(2);
            out.bulk("x");
            out.bulk("y");
        })).isEqualTo("~2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    }

    @Test
    void nullBooleanAndDouble() {
        assertThat(encoded(RespOutput::null3)).isEqualTo("_\r\n");
        assertThat(encoded(out -> out.bool(true))).isEqualTo("#t\r\n");
        assertThat(encoded(out -> out.bool(false))).isEqualTo("#f\r\n");
        assertThat(encoded(out -> out.doubleValue(1.5))).isEqualTo(",1.5\r\n");
        assertThat(encoded(out -> out.doubleValue(3))).isEqualTo(",3\r\n");
        assertThat(encoded(out -> out.doubleValue(Double.POSITIVE_INFINITY))).isEqualTo(",inf\r\n");
        assertThat(encoded(out -> out.doubleValue(Double.NEGATIVE_INFINITY))).isEqualTo(",-inf\r\n");
        assertThat(encoded(out -> out.doubleValue(Double.NaN))).isEqualTo(",nan\r\n");
    }

    @Test
    void verbatimAndBlobError() {
        assertThat(encoded(out -> out.verbatim("txt", "a:b\r\nc"))).isEqualTo("=10\r\ntxt:a:b\r\nc\r\n");
        assertThat(encoded(out -> out.blobError("SYNTAX", "bad\r\nthing"))).isEqualTo("!17\r\nSYNTAX bad\r\nthing\r\n");
        assertThatThrownBy(() -> encoded(out -> out.verbatim("text", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verbatimLargerThanTheBufferIsWrittenThrough() {
        String text = "x".repeat(100);
        assertThat(encoded(16, out -> out.verbatim("txt", text))).isEqualTo("=104\r\ntxt:" + text + "\r\n");
    }
}

package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser on its own, fed through streams that deliver a few bytes per read. */
class RequestParserTest {
    private static final int INITIAL = 2048;

    @Test
    void aRequestLargerThanTheBufferGrowsItAndTheBufferShrinksAfterwards() throws Exception {
        String big = "z".repeat(50_000);
        byte[] input = concat(command("OPEN", big), command("PING"));
        RequestParser parser = new RequestParser(INITIAL, 16, 64 * 1024, 128 * 1024);
        List<List<String>> requests = parseAll(parser, new TrickleStream(input, 700));
        assertThat(requests).containsExactly(List.of("OPEN", big), List.of("PING"));
        assertThat(parser.buffer().length).isEqualTo(INITIAL);
    }

    @Test
    void compactionKeepsTheArgumentsOfAPartlyParsedRequest() throws Exception {
        List<byte[]> parts = new ArrayList<>();
        List<List<String>> expected = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            parts.add(command("TRANSFER", "from" + i, "to" + i, Integer.toString(i)));
            expected.add(List.of("TRANSFER", "from" + i, "to" + i, Integer.toString(i)));
        }
        byte[] input = concat(parts.toArray(byte[][]::new));
        for (int chunk : new int[] {1, 7, 33, 1000}) {
            RequestParser parser = new RequestParser(INITIAL, 16, 1024, 64 * 1024);
            assertThat(parseAll(parser, new TrickleStream(input, chunk))).as("chunks of %d", chunk)
                    .isEqualTo(expected);
        }
    }

    @Test
    void aRequestThatCannotFitTheLimitIsAProtocolError() {
        RequestParser parser = new RequestParser(INITIAL, 16, 4000, 10_000);
        byte[] input = command("OPEN", "a".repeat(3000), "b".repeat(3000), "c".repeat(3000), "d".repeat(3000));
        assertThatThrownBy(() -> parseAll(parser, new TrickleStream(input, 512))).isInstanceOf(ProtocolError.class)
                .hasMessage("request is over the limit of 10000 bytes");
    }

    private static List<List<String>> parseAll(RequestParser parser, InputStream in) throws Exception {
        List<List<String>> requests = new ArrayList<>();
        while (true) {
            while (parser.next()) {
                List<String> request = new ArrayList<>();
                for (int i = 0; i < parser.count(); i++) {
                    request.add(new String(parser.buffer(), parser.offset(i), parser.length(i),
                            StandardCharsets.UTF_8));
                }
                requests.add(request);
                parser.consume();
            }
            if (parser.read(in) < 0) {
                assertThat(parser.midRequest()).isFalse();
                return requests;
            }
        }
    }

    private static byte[] command(String... parts) {
        StringBuilder out = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            out.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Delivers at most {@code chunk} bytes per read, as a slow network would. */
    private static final class TrickleStream extends ByteArrayInputStream {
        private final int chunk;

        TrickleStream(byte[] data, int chunk) {
            super(data);
            this.chunk = chunk;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, chunk));
        }
    }
}

package dev.ledger.net.internal;

import dev.ledger.net.ProtocolViolationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RESP2 replies from a stream, for the client. A reply becomes: a simple or bulk string, a {@code String}
 * (UTF-8); the null bulk string or null array, {@code null}; an integer, a {@code Long}; an array, a
 * {@code List<Object>}; an error, an {@link ErrorReply}.
 *
 * <p>Malformed input is a {@link ProtocolViolationException}. Not thread-safe: the client serializes its use.
 */
public final class ReplyReader {
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_BULK = 512 * 1024 * 1024;
    private static final int MAX_DEPTH = 32;

    private final InputStream in;
    private byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;

    public ReplyReader(InputStream in) {
        this.in = in;
    }

    /**
     * Reads one reply.
     *
     * @return the reply, as described in the class comment
     * @throws IOException if the stream fails or ends
     * @throws ProtocolViolationException if the bytes are not a RESP2 reply
     */
    public Object read() throws IOException {
        return read(0);
    }

    private Object read(int depth) throws IOException {
        int lineEnd = line();
        byte type = buf[pos];
        int start = pos + 1;
        pos = lineEnd + 2;
        switch (type) {
            case '+':
                return text(start, lineEnd);
            case '-':
                return ErrorReply.parse(text(start, lineEnd));
            case ':':
                return number(start, lineEnd, "integer");
            case '$':
                return bulk(number(start, lineEnd, "bulk length"));
            case '*':
                return array(number(start, lineEnd, "array length"), depth);
            default:
                throw new ProtocolViolationException("not a RESP2 reply: it starts with '"
                        + Text.printable(new byte[] {type}, 0, 1) + "'");
        }
    }

    private Object bulk(long length) throws IOException {
        if (length == -1) {
            return null;
        }
        if (length < -1 || length > MAX_BULK) {
            throw new ProtocolViolationException("invalid bulk length " + length);
        }
        int n = (int) length;
        byte[] data;
        if (limit - pos >= n + 2) {
            data = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
        } else {
            data = new byte[n];
            int have = limit - pos;
            System.arraycopy(buf, pos, data, 0, have);
            pos = limit;
            while (have < n) {
                int read = in.read(data, have, n - have);
                if (read < 0) {
                    throw new EOFException("the connection closed in the middle of a reply");
                }
                have += read;
            }
        }
        require(2);
        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new ProtocolViolationException("expected CRLF after a bulk string of " + n + " bytes");
        }
        pos += 2;
        return new String(data, StandardCharsets.UTF_8);
    }

    private List<Object> array(long length, int depth) throws IOException {
        if (length == -1) {
            return null;
        }
        if (length < -1 || length > Integer.MAX_VALUE - 8) {
            throw new ProtocolViolationException("invalid array length " + length);
        }
        if (depth == MAX_DEPTH) {
            throw new ProtocolViolationException("arrays nested deeper than " + MAX_DEPTH);
        }
        List<Object> elements = new ArrayList<>((int) Math.min(length, 1024));
        for (long i = 0; i < length; i++) {
            elements.add(read(depth + 1));
        }
        return elements;
    }

    private long number(int from, int to, String what) {
        try {
            return Numbers.parseLong(buf, from, to - from);
        } catch (NumberFormatException e) {
            throw new ProtocolViolationException("invalid " + what + " '" + Text.printable(buf, from, to - from)
                    + "'");
        }
    }

    private String text(int from, int to) {
        return new String(buf, from, to - from, StandardCharsets.UTF_8);
    }

    /** Makes sure a whole line is buffered at {@code pos}; returns the index of its CR. */
    private int line() throws IOException {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i + 1 < limit; i++) {
                if (buf[i] == '\r') {
                    if (buf[i + 1] != '\n') {
                        throw new ProtocolViolationException("a CR not followed by LF in a reply line");
                    }
                    if (i == pos) {
                        throw new ProtocolViolationException("an empty reply line");
                    }
                    return i;
                }
            }
            scanned = Math.max(pos, limit - 1);
            if (limit - pos > MAX_LINE) {
                throw new ProtocolViolationException("a reply line longer than " + MAX_LINE + " bytes");
            }
            int shift = pos;
            fill();
            scanned -= shift - pos; // fill() may have moved the buffered bytes to the front
        }
    }

    /** Makes sure {@code n} bytes are buffered at {@code pos}. */
    private void require(int n) throws IOException {
        while (limit - pos < n) {
            fill();
        }
    }

    /** Reads more bytes, moving the unread ones to the front first. */
    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            throw new EOFException("the connection closed before the reply was complete");
        }
        limit += n;
    }
}

package dev.ledger.net.internal;

import dev.ledger.net.ProtocolViolationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads RESP2 and RESP3 replies from a stream, for the client. A reply becomes: a simple, bulk or verbatim string,
 * a {@code String} (UTF-8; a verbatim string without its format); the null bulk string, null array or RESP3 null,
 * {@code null}; an integer, a {@code Long}; an array, a {@code List<Object>}; an error or blob error, an
 * {@link ErrorReply}; and in RESP3 a map, a {@code Map<Object, Object>} in the server's order; a set, a
 * {@code Set<Object>}; a boolean, a {@code Boolean}; a double, a {@code Double}; a big number, a
 * {@code BigInteger}. Attributes are skipped.
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
     * @throws ProtocolViolationException if the bytes are not a RESP reply
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
            case '_':
                return null;
            case '#':
                return bool(start, lineEnd);
            case ',':
                return real(start, lineEnd);
            case '(':
                return big(start, lineEnd);
            case '=': {
                String verbatim = (String) bulk(number(start, lineEnd, "verbatim length"));
                if (verbatim == null || verbatim.length() < 4 || verbatim.charAt(3) != ':') {
                    throw new ProtocolViolationException("a verbatim string without its format");
                }
                return verbatim.substring(4);
            }
            case '!': {
                String error = (String) bulk(number(start, lineEnd, "blob error length"));
                if (error == null) {
                    throw new ProtocolViolationException("a null blob error");
                }
                return ErrorReply.parse(error);
            }
            case '%':
            case '|': {
                Map<Object, Object> map = map(number(start, lineEnd, "map length"), depth);
                return type == '|' ? read(depth) : map; // an attribute describes the reply that follows it
            }
            case '~':
            case '>': {
                List<Object> elements = array(number(start, lineEnd, "set length"), depth);
                return elements == null || type == '>' ? elements : new LinkedHashSet<>(elements);
            }
            default:
                throw new ProtocolViolationException("not a RESP reply: it starts with '"
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
            int have = Math.min(limit - pos, n); // the data may be all here and only its CRLF still to come
            System.arraycopy(buf, pos, data, 0, have);
            pos += have;
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

    private Map<Object, Object> map(long length, int depth) throws IOException {
        if (length < 0 || length > Integer.MAX_VALUE / 2 - 8) {
            throw new ProtocolViolationException("invalid map length " + length);
        }
        if (depth == MAX_DEPTH) {
            throw new ProtocolViolationException("replies nested deeper than " + MAX_DEPTH);
        }
        Map<Object, Object> map = new LinkedHashMap<>();
        for (long i = 0; i < length; i++) {
            Object key = read(depth + 1);
            map.put(key, read(depth + 1));
        }
        return map;
    }

    private Boolean bool(int from, int to) {
        if (to - from == 1 && (buf[from] == 't' || buf[from] == 'f')) {
            return buf[from] == 't';
        }
        throw new ProtocolViolationException("invalid boolean '" + Text.printable(buf, from, to - from) + "'");
    }

    private Double real(int from, int to) {
        String text = text(from, to);
        switch (text) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                try {
                    return Double.valueOf(text);
                } catch (NumberFormatException e) {
                    throw new ProtocolViolationException("invalid double '" + Text.printable(text) + "'");
                }
        }
    }

    private BigInteger big(int from, int to) {
        try {
            return new BigInteger(text(from, to));
        } catch (NumberFormatException e) {
            throw new ProtocolViolationException("invalid big number '" + Text.printable(buf, from, to - from) + "'");
        }
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

package dev.ledger.net.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The input side of a server connection: a buffer of received bytes and a parser that finds requests in it
 * without copying, as RESP multibulk arrays ({@code *2\r\n$4\r\nPING\r\n...}) or inline lines ({@code PING\r\n}).
 *
 * <p>Parsing resumes where it stopped when a request arrives in pieces, so a large request costs one pass. A
 * request's arguments are offsets into the buffer, valid until {@link #consume()}.
 *
 * <p>Limits: an argument longer than {@code maxArgumentBytes}, more than {@code maxArguments} arguments, an
 * inline line longer than {@code maxArgumentBytes}, or a request that does not fit {@code maxRequestBytes} is a
 * {@link ProtocolError}; the buffer never grows beyond {@code maxRequestBytes}.
 *
 * <p>Not thread-safe: confined to its connection's thread.
 */
public final class RequestParser {
    /** The longest header line: {@code $} or {@code *}, a sign, 19 digits, CR LF. */
    private static final int MAX_HEADER = 23;
    private static final int NONE = -1;
    private static final int INLINE = -2;
    /** Compact or grow the buffer before a read that would have less room than this. */
    private static final int MIN_READ = 1024;

    private final int maxArguments;
    private final int maxArgumentBytes;
    private final int maxRequestBytes;
    private final int initialSize;

    private byte[] buf;
    /** The first byte of the current request. */
    private int start;
    /** The end of the received bytes. */
    private int limit;
    /** Where parsing of the current request resumes: the next element's first byte. */
    private int cursor;
    /** The argument count from the multibulk header; NONE before the first byte is seen, INLINE for a line. */
    private int expected = NONE;
    /** Arguments parsed so far of the current request. */
    private int count;
    private int[] offsets = new int[8];
    private int[] lengths = new int[8];

    public RequestParser(int initialSize, int maxArguments, int maxArgumentBytes, int maxRequestBytes) {
        this.initialSize = initialSize;
        this.buf = new byte[initialSize];
        this.maxArguments = maxArguments;
        this.maxArgumentBytes = maxArgumentBytes;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * Parses the next request in the buffer.
     *
     * @return true if a whole request is ready (see {@link #count()}), false if more bytes are needed
     * @throws ProtocolError if the input is not RESP or breaks a limit
     */
    public boolean next() throws ProtocolError {
        while (true) {
            if (expected == NONE) {
                if (cursor >= limit) {
                    return false;
                }
                if (buf[cursor] != '*') {
                    expected = INLINE;
                } else {
                    int eol = lineEnd(cursor + 1, "multibulk length");
                    if (eol < 0) {
                        return false;
                    }
                    long n = header(cursor + 1, eol, "invalid multibulk length");
                    if (n > maxArguments) {
                        throw new ProtocolError("too many arguments in a request (" + n + ", the limit is "
                                + maxArguments + ")");
                    }
                    cursor = eol + 2;
                    if (n == 0) {
                        consume(); // an empty array: nothing to do, as in Redis
                        continue;
                    }
                    expected = (int) n;
                }
            }
            if (expected == INLINE) {
                int words = inline();
                if (words < 0) {
                    return false;
                }
                if (words == 0) {
                    consume(); // a blank line
                    continue;
                }
                return true;
            }
            return bulks();
        }
    }

    /** Returns the number of arguments of the ready request, its command name included. */
    public int count() {
        return count;
    }

    /** Returns the buffer that {@link #offset} and {@link #length} index; valid until {@link #consume()}. */
    public byte[] buffer() {
        return buf;
    }

    /** Returns the offset in {@link #buffer()} of argument {@code index} (0 is the command name). */
    public int offset(int index) {
        return offsets[index];
    }

    /** Returns the length of argument {@code index}. */
    public int length(int index) {
        return lengths[index];
    }

    /** Drops the ready request (or a skipped blank one) from the buffer. */
    public void consume() {
        start = cursor;
        expected = NONE;
        count = 0;
    }

    /** Returns whether the buffer holds the beginning of a request that is not complete yet. */
    public boolean midRequest() {
        return start < limit;
    }

    /**
     * Reads more bytes from {@code in}, making room first: the buffer is compacted, and grown while one request
     * needs more room, up to {@code maxRequestBytes}.
     *
     * @return the number of bytes read, or -1 at the end of the stream
     * @throws ProtocolError if the request in the buffer cannot fit
     */
    public int read(InputStream in) throws IOException, ProtocolError {
        makeRoom();
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    private void makeRoom() throws ProtocolError {
        if (start == limit) {
            if (buf.length > initialSize) {
                buf = new byte[initialSize]; // a large request has passed: give its memory back
            }
            start = cursor = limit = 0;
            return;
        }
        if (buf.length - limit >= MIN_READ) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, limit - start);
            for (int i = 0; i < count; i++) {
                offsets[i] -= start;
            }
            cursor -= start;
            limit -= start;
            start = 0;
            if (buf.length - limit >= MIN_READ) {
                return;
            }
        }
        if (buf.length < maxRequestBytes) {
            buf = Arrays.copyOf(buf, (int) Math.min(maxRequestBytes, 2L * buf.length));
        } else if (limit == buf.length) {
            throw new ProtocolError("request is over the limit of " + maxRequestBytes + " bytes");
        }
    }

    /** Parses the bulk strings of a multibulk request; returns whether all have arrived. */
    private boolean bulks() throws ProtocolError {
        while (count < expected) {
            if (cursor >= limit) {
                return false;
            }
            if (buf[cursor] != '$') {
                throw new ProtocolError("expected '$', got '" + Text.printable(buf, cursor, 1) + "'");
            }
            int eol = lineEnd(cursor + 1, "bulk length");
            if (eol < 0) {
                return false;
            }
            long length = header(cursor + 1, eol, "invalid bulk length");
            if (length > maxArgumentBytes) {
                throw new ProtocolError("argument of " + length + " bytes is over the limit of "
                        + maxArgumentBytes + " bytes");
            }
            int dataStart = eol + 2;
            int dataEnd = dataStart + (int) length;
            if (dataEnd - start + 2 > maxRequestBytes) {
                throw new ProtocolError("request is over the limit of " + maxRequestBytes + " bytes");
            }
            if (dataEnd + 2 > limit) {
                return false;
            }
            if (buf[dataEnd] != '\r' || buf[dataEnd + 1] != '\n') {
                throw new ProtocolError("expected CRLF after a bulk string of " + length + " bytes");
            }
            add(dataStart, (int) length);
            cursor = dataEnd + 2;
        }
        return true;
    }

    /**
     * Splits an inline request (a line of space-separated words) into arguments.
     *
     * @return the number of arguments, 0 for a blank line, -1 if the line is incomplete
     */
    private int inline() throws ProtocolError {
        int newline = -1;
        for (int i = cursor; i < limit; i++) { // cursor: where the previous scan of this line stopped
            if (buf[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            if (limit - start > maxArgumentBytes) {
                throw new ProtocolError("inline request is over the limit of " + maxArgumentBytes + " bytes");
            }
            cursor = limit;
            return -1;
        }
        int end = newline > start && buf[newline - 1] == '\r' ? newline - 1 : newline;
        int i = start;
        while (i < end) {
            while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
                i++;
            }
            if (i == end) {
                break;
            }
            int wordStart = i;
            while (i < end && buf[i] != ' ' && buf[i] != '\t') {
                i++;
            }
            if (count == maxArguments) {
                throw new ProtocolError("too many arguments in a request (the limit is " + maxArguments + ")");
            }
            add(wordStart, i - wordStart);
        }
        cursor = newline + 1;
        return count;
    }

    /** Returns the index of the CR ending the header line that starts before {@code from}, or -1 if incomplete. */
    private int lineEnd(int from, String what) throws ProtocolError {
        int max = Math.min(limit, from + MAX_HEADER);
        for (int i = from; i < max; i++) {
            if (buf[i] == '\r') {
                if (i + 1 == limit) {
                    return -1;
                }
                if (buf[i + 1] != '\n') {
                    throw new ProtocolError("invalid " + what + ": expected CRLF");
                }
                return i;
            }
        }
        if (max == from + MAX_HEADER) {
            throw new ProtocolError("invalid " + what + ": no CRLF after " + MAX_HEADER + " bytes");
        }
        return -1;
    }

    private long header(int from, int to, String problem) throws ProtocolError {
        long n;
        try {
            n = Numbers.parseLong(buf, from, to - from);
        } catch (NumberFormatException e) {
            throw new ProtocolError(problem + " '" + Text.printable(buf, from, to - from) + "'");
        }
        if (n < 0) {
            throw new ProtocolError(problem + " '" + n + "': lengths cannot be negative");
        }
        return n;
    }

    private void add(int offset, int length) {
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
            lengths = Arrays.copyOf(lengths, count * 2);
        }
        offsets[count] = offset;
        lengths[count] = length;
        count++;
    }
}

package dev.ledger.net.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes RESP2 and RESP3 values into a buffer and writes the buffer to a stream only when it is full or on {@link #flush()},
 * so a pipeline of replies (or requests) leaves in one write.
 *
 * <p>Not thread-safe: each connection owns one. A failed write is thrown as {@link UncheckedIOException}, after
 * which the stream is unusable.
 */
public final class RespOutput {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = {'$', '-', '1', '\r', '\n'};
    private static final byte[] NULL = {'_', '\r', '\n'};
    private static final byte[] TRUE = {'#', 't', '\r', '\n'};
    private static final byte[] FALSE = {'#', 'f', '\r', '\n'};

    private final OutputStream sink;
    private final byte[] buf;
    private int pos;
    /** Counts buffer writes to the stream, so a caller can tell whether bytes it wrote have left. */
    private long writes;
    /** Set when a write failed: the stream then holds an unknown part of the output. */
    private boolean failed;

    /**
     * Creates an encoder.
     *
     * @param sink the stream, usually a socket's
     * @param bufferSize the buffer's size; larger values are written through
     */
    public RespOutput(OutputStream sink, int bufferSize) {
        this.sink = sink;
        this.buf = new byte[bufferSize];
    }

    /** Writes pre-encoded bytes, such as a constant reply. */
    public void raw(byte[] bytes) {
        if (bytes.length > buf.length - pos) {
            writeThrough(bytes, 0, bytes.length);
            return;
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** Writes {@code +text}; CR and LF in the text become spaces, as a simple string cannot hold them. */
    public void simple(String text) {
        line('+', text);
    }

    /** Writes {@code -KIND message}; CR and LF become spaces. */
    public void error(String kind, String message) {
        line('-', message.isEmpty() ? kind : kind + ' ' + message);
    }

    /** Writes {@code :value}. */
    public void integer(long value) {
        prefixedNumber(':', value);
    }

    /** Writes an array header {@code *count}; the caller then writes {@code count} values. */
    public void arrayHeader(int count) {
        prefixedNumber('*', count);
    }

    /** Writes a RESP3 map header {@code %count}; the caller then writes {@code count} keys and values. */
    public void mapHeader(int count) {
        prefixedNumber('%', count);
    }

    /** Writes a RESP3 set header {@code ~count}; the caller then writes {@code count} values. */
    public void setHeader(int count) {
        prefixedNumber('~', count);
    }

    /** Writes the RESP3 null {@code _}. */
    public void null3() {
        raw(NULL);
    }

    /** Writes a RESP3 boolean, {@code #t} or {@code #f}. */
    public void bool(boolean value) {
        raw(value ? TRUE : FALSE);
    }

    /** Writes a RESP3 double, {@code ,value}, with {@code inf}, {@code -inf} and {@code nan} as RESP3 spells them. */
    public void doubleValue(double value) {
        String text = Double.isNaN(value) ? "nan"
                : Double.isInfinite(value) ? (value > 0 ? "inf" : "-inf")
                : value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
        line(',', text);
    }

    /** Writes a RESP3 verbatim string, {@code =length} then {@code format:text}; the format is three letters. */
    public void verbatim(String format, String text) {
        if (format.length() != 3) {
            throw new IllegalArgumentException("a verbatim format is three characters, got '" + format + "'");
        }
        byte[] bytes = (format + ':' + text).getBytes(StandardCharsets.UTF_8);
        prefixedNumber('=', bytes.length);
        writeBlob(bytes);
    }

    /** Writes a RESP3 blob error, {@code !length} then {@code KIND message}, which may hold CR and LF. */
    public void blobError(String kind, String message) {
        byte[] bytes = (message.isEmpty() ? kind : kind + ' ' + message).getBytes(StandardCharsets.UTF_8);
        prefixedNumber('!', bytes.length);
        writeBlob(bytes);
    }

    private void writeBlob(byte[] bytes) {
        if (bytes.length + 2 > buf.length - pos) {
            writeThrough(bytes, 0, bytes.length);
            raw(CRLF);
            return;
        }
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    /** Writes the null bulk string {@code $-1}. */
    public void nullBulk() {
        raw(NULL_BULK);
    }

    /** Writes a bulk string of the bytes. */
    public void bulk(byte[] bytes, int offset, int length) {
        prefixedNumber('$', length);
        if (length + 2 > buf.length - pos) {
            writeThrough(bytes, offset, length);
            raw(CRLF);
            return;
        }
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    /** Writes a bulk string of the text in UTF-8. */
    public void bulk(String text) {
        int length = text.length();
        if (isAscii(text) && length + 25 <= buf.length) {
            prefixedNumber('$', length);
            ensure(length + 2);
            for (int i = 0; i < length; i++) {
                buf[pos++] = (byte) text.charAt(i);
            }
            buf[pos++] = '\r';
            buf[pos++] = '\n';
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            bulk(bytes, 0, bytes.length);
        }
    }

    /** Writes everything buffered to the stream and flushes it. */
    public void flush() {
        try {
            if (pos > 0) {
                sink.write(buf, 0, pos);
                pos = 0;
                writes++;
            }
            sink.flush();
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(e);
        }
    }

    /** Returns whether a write to the stream has failed. */
    public boolean failed() {
        return failed;
    }

    /** Returns whether bytes wait in the buffer. */
    public boolean hasPending() {
        return pos > 0;
    }

    /** Returns how many bytes wait in the buffer. */
    public int pendingBytes() {
        return pos;
    }

    /**
     * Removes the bytes waiting in the buffer and returns them, for a caller that sends them itself. Marks taken
     * before no longer rewind.
     */
    public byte[] takePending() {
        byte[] taken = Arrays.copyOf(buf, pos);
        pos = 0;
        writes++;
        return taken;
    }

    /** Returns a mark of everything written so far: pass it to {@link #rewind} to drop what follows it. */
    public long mark() {
        return writes << 32 | pos;
    }

    /**
     * Drops what was written after {@code mark}, if it is still in the buffer.
     *
     * @return false if some of it has already left, so the stream holds a partial value
     */
    public boolean rewind(long mark) {
        if (mark >>> 32 != writes) {
            return false;
        }
        pos = (int) mark;
        return true;
    }

    /** Returns whether anything was written after {@code mark}. */
    public boolean wroteSince(long mark) {
        return mark() != mark;
    }

    private void line(char prefix, String text) {
        int length = text.length();
        if (isAscii(text) && length + 3 <= buf.length) {
            ensure(length + 3);
            buf[pos++] = (byte) prefix;
            for (int i = 0; i < length; i++) {
                char c = text.charAt(i);
                buf[pos++] = c == '\r' || c == '\n' ? (byte) ' ' : (byte) c;
            }
        } else {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int shown = Math.min(bytes.length, buf.length - 3); // a line is never this long in practice
            ensure(shown + 3);
            buf[pos++] = (byte) prefix;
            for (int i = 0; i < shown; i++) {
                buf[pos++] = bytes[i] == '\r' || bytes[i] == '\n' ? (byte) ' ' : bytes[i];
            }
        }
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    private void prefixedNumber(char prefix, long value) {
        ensure(23);
        buf[pos++] = (byte) prefix;
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                byte[] min = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(min, 0, buf, pos, min.length);
                pos += min.length;
                buf[pos++] = '\r';
                buf[pos++] = '\n';
                return;
            }
            buf[pos++] = '-';
            value = -value;
        }
        int end = pos + Numbers.decimalLength(value);
        for (int i = end - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos = end;
        buf[pos++] = '\r';
        buf[pos++] = '\n';
    }

    private void ensure(int bytes) {
        if (bytes > buf.length - pos) {
            drain();
        }
    }

    private void drain() {
        if (pos == 0) {
            return;
        }
        try {
            sink.write(buf, 0, pos);
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(e);
        }
        pos = 0;
        writes++;
    }

    private void writeThrough(byte[] bytes, int offset, int length) {
        drain();
        try {
            sink.write(bytes, offset, length);
        } catch (IOException e) {
            failed = true;
            throw new UncheckedIOException(e);
        }
        writes++;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}

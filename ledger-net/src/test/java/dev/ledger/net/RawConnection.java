package dev.ledger.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A plain socket to a server, for sending arbitrary bytes and reading replies line by line. Every read gives up
 * after a few seconds, so a server that fails to answer fails the test instead of hanging it.
 */
final class RawConnection implements AutoCloseable {
    private static final int READ_TIMEOUT_MILLIS = 5000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.UTF_8));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Half-closes the connection: the server reads the end of the stream after what was sent. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Returns the next line without its CRLF, or null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            line.write(b);
            previous = b;
        }
    }

    /** Returns the next {@code n} bytes as UTF-8 text; fails if the stream ends first. */
    String readBytes(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new IOException("the stream ended after " + bytes.length + " of " + n + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Sends a command as a RESP array of bulk strings. */
    RawConnection command(String... parts) throws IOException {
        StringBuilder request = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part)
                    .append("\r\n");
        }
        return send(request.toString());
    }

    /**
     * Reads one whole reply, RESP2 or RESP3, as its exact text: what a reply's encoding must be compared with.
     * Aggregates are read element by element, so the reply ends where the protocol says it does.
     */
    String readReply() throws IOException {
        String line = readLine();
        if (line == null) {
            throw new IOException("the stream ended before a reply");
        }
        StringBuilder reply = new StringBuilder(line).append("\r\n");
        char type = line.charAt(0);
        switch (type) {
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    reply.append(readBytes(length + 2));
                }
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    reply.append(readReply());
                }
            }
            case '%' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < 2 * count; i++) {
                    reply.append(readReply());
                }
            }
            default -> {
                // one line: + - : _ # , (
            }
        }
        return reply.toString();
    }

    /** Returns whether the server closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return reset.getMessage() != null && reset.getMessage().contains("reset");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

package dev.ledger.net;

import dev.ledger.net.internal.ReplyReader;
import dev.ledger.net.internal.RespOutput;
import dev.ledger.net.internal.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client's one TCP connection: sends calls, in bounded batches, and completes their responses with the replies
 * read, in order. After a network or framing failure it is broken for good: a late reply would be mistaken for
 * the next one.
 *
 * <p>Concurrency: thread-safe. {@code lock} guards the socket, its buffers and {@code broken}; calls from several
 * threads take turns, each exchange whole.
 */
final class ClientConnection {
    /** Calls per write in a pipeline: a bounded batch cannot fill both directions' socket buffers at once. */
    private static final int BATCH_CALLS = 512;
    private static final int BATCH_BYTES = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Socket socket;
    private final String endpoint;
    private final int readTimeoutMillis;
    /** Guarded by lock. */
    private final RespOutput out;
    /** Guarded by lock. */
    private final ReplyReader in;
    /** Set after a network or framing failure: the connection is closed. Guarded by lock. */
    private boolean broken;

    /**
     * Connects.
     *
     * @param settings where to, and the timeouts
     * @throws IOException if the connection fails
     */
    ClientConnection(BankClient.Settings settings) throws IOException {
        this.endpoint = settings.host + ":" + settings.port;
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.readTimeout.toMillis());
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(settings.host, settings.port),
                    (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout.toMillis()));
            s.setSoTimeout(readTimeoutMillis);
            this.out = new RespOutput(s.getOutputStream(), 8 * 1024);
            this.in = new ReplyReader(s.getInputStream());
        } catch (IOException e) {
            s.close();
            throw e;
        }
        this.socket = s;
    }

    /** Returns whether the connection is still usable: not closed, and no failure broke it. */
    boolean isOpen() {
        lock.lock();
        try {
            return !broken && !socket.isClosed();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection. */
    void close() {
        lock.lock();
        try {
            broken = true;
            Sockets.closeQuietly(socket);
        } finally {
            lock.unlock();
        }
    }

    /** Returns {@code host:port}. */
    String endpoint() {
        return endpoint;
    }

    /** Sends the calls and completes each response with its reply, or fails them all if the connection breaks. */
    void exchange(List<Call<?>> calls, List<Response<?>> responses) {
        lock.lock();
        try {
            if (broken) {
                throw new BankClient.NotSent(new IOException("the connection to " + endpoint + " is closed"));
            }
            transmit(calls, responses);
        } finally {
            lock.unlock();
        }
    }

    /** Writes the calls in bounded batches and completes each response with its reply. Holds the lock. */
    private void transmit(List<Call<?>> calls, List<Response<?>> responses) {
        try {
            int next = 0;
            while (next < calls.size()) {
                int end = next;
                int bytes = 0;
                while (end < calls.size() && end - next < BATCH_CALLS && bytes < BATCH_BYTES) {
                    bytes += write(calls.get(end++));
                }
                out.flush();
                for (int i = next; i < end; i++) {
                    responses.get(i).complete(in.read());
                }
                next = end;
            }
        } catch (IOException | UncheckedIOException | ProtocolViolationException e) {
            broken = true;
            Sockets.closeQuietly(socket);
            RuntimeException failure = failure(e);
            for (Response<?> response : responses) {
                if (!response.isDone()) {
                    response.fail(failure);
                }
            }
            throw failure;
        }
    }

    private int write(Call<?> call) {
        List<String> command = call.command();
        out.arrayHeader(command.size());
        int bytes = 16;
        for (String part : command) {
            out.bulk(part);
            bytes += part.length() + 16;
        }
        return bytes;
    }

    private RuntimeException failure(Exception e) {
        if (e instanceof ProtocolViolationException) {
            return (ProtocolViolationException) e;
        }
        IOException cause = e instanceof UncheckedIOException ? ((UncheckedIOException) e).getCause() : (IOException) e;
        if (cause instanceof SocketTimeoutException) {
            return unchecked(new SocketTimeoutException("no reply from " + endpoint + " within " + readTimeoutMillis
                    + " ms"), cause);
        }
        return unchecked(new IOException("connection to " + endpoint + " lost: " + cause.getMessage()), cause);
    }

    /**
     * Wraps a failure so that the exception and its root cause both say what happened and where: callers such as
     * the coordinator report the root cause's message. The low-level exception is kept as a suppressed one.
     */
    static UncheckedIOException unchecked(IOException described, IOException original) {
        if (original != null) {
            described.addSuppressed(original);
        }
        return new UncheckedIOException(described.getMessage(), described);
    }
}

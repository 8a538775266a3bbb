package dev.ledger.net.internal;

import dev.ledger.net.Session;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection, served by its own thread: read what has arrived, answer every whole request in it, write
 * the replies once the buffer holds no more whole requests, read again. The requests are parsed by a
 * {@link RequestParser}, which handlers see through a {@link RequestView}; a {@link CommandRunner} runs their
 * handlers, whose replies a {@link ReplyWriter} encodes into a {@link RespOutput}. The connection checks
 * authentication and is the handlers' {@link Session}.
 *
 * <p>Timeouts are enforced from outside by {@link #expireIfDue}, which the server's watchdog calls: reads block
 * without a timeout, which is the cheapest way to read (a timed read costs a poll, or a timer on a virtual thread).
 *
 * <p>The requests read together run in one {@link Durability.Batch}. When it needs a sync, and the replies are
 * small, they are handed over ({@link ReplyHandOver}) to the thread that makes the batch durable, while the
 * serving thread goes back to reading; the watchdog closes the connection if writing such a reply blocks for
 * longer than the request timeout (a client that does not read).
 *
 * <p>Concurrency: everything is confined to the serving thread, except what other threads use to stop it or to
 * watch it: {@code stopping} (set by the server's stop), {@code requestExpired} (set by the watchdog), the clocks
 * {@code lastActive} and {@code partialSince} and the {@code handOver} (written by the serving thread, read by the
 * watchdog, {@code lastActive} by other connections' {@code CLIENT LIST} too), all volatile, and the socket, which they shut down or close to wake the serving thread. Only the
 * serving thread writes to the socket, except a handed-over reply, which its sending thread writes while the
 * serving thread waits before any write of its own (see {@link ReplyHandOver}), so replies leave in order. The
 * {@link ClientInfo} is written by the serving thread and read by other connections' {@code CLIENT LIST}.
 */
public final class Connection implements Runnable, Session {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final byte[] NOAUTH = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int INPUT_BUFFER = 16 * 1024;
    private static final int OUTPUT_BUFFER = 32 * 1024;

    private final Socket socket;
    private final long id;
    private final ConnectionSettings settings;
    private final Consumer<Connection> onClose;
    private final InetSocketAddress remote;
    private final RequestParser input;
    private final RequestView request;
    private final ClientInfo client = new ClientInfo();
    // Serving thread only, from here to the volatile fields.
    /** Set by {@link #run}, once it has the socket's streams. */
    private RespOutput output;
    /** Set by {@link #run}, with {@code output}. */
    private CommandRunner runner;
    private boolean authenticated;
    private boolean closeAfterReply;
    /**
     * When the last read or command ended (nanoTime), where the next command's time starts: one clock reading per
     * command instead of two.
     */
    private long clock = System.nanoTime();
    private Map<String, Object> attributes;
    /** The batch the requests being executed belong to; null between batches. */
    private Durability.Batch batch;
    /** Set once by {@link #run}, with {@code output}; volatile as the watchdog reads it too. */
    private volatile ReplyHandOver handOver;
    /** When the serving thread last finished a read or a write (nanoTime). */
    private volatile long lastActive = System.nanoTime();
    /** Since when an incomplete request waits in the buffer for the rest (nanoTime), or 0 if none does. */
    private volatile long partialSince;
    /** Set by the server's stop: finish the requests already read, then close. */
    private volatile boolean stopping;
    /** Set by the watchdog: the incomplete request took too long; its input has been shut down. */
    private volatile boolean requestExpired;

    /**
     * Creates a connection; {@link #run()} serves it.
     *
     * @param socket the accepted socket
     * @param id the connection's number
     * @param settings the server's settings
     * @param onClose run once, on the serving thread, after the socket is closed
     */
    public Connection(Socket socket, long id, ConnectionSettings settings, Consumer<Connection> onClose) {
        this.socket = socket;
        this.id = id;
        this.settings = settings;
        this.onClose = onClose;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.input = new RequestParser(Math.min(INPUT_BUFFER, settings.maxRequestBytes()), settings.maxArguments(),
                settings.maxArgumentBytes(), settings.maxRequestBytes());
        this.request = new RequestView(input, this);
        this.authenticated = settings.password() == null;
    }

    @Override
    public void run() {
        boolean opened = false;
        try {
            OutputStream socketOutput = new CountingStream(socket.getOutputStream(), settings.stats());
            handOver = new ReplyHandOver(socketOutput, () -> Sockets.closeQuietly(socket), toString());
            output = new RespOutput(new AcknowledgingStream(socketOutput), OUTPUT_BUFFER);
            ReplyWriter reply = new ReplyWriter(output, client);
            runner = new CommandRunner(request, reply, output, settings.durability(), id);
            InputStream in = socket.getInputStream();
            opened = true;
            try {
                settings.listener().opened(this);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a connection listener failed", e);
            }
            serve(in);
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "connection {0} from {1} failed: {2}", id, remote, e.toString());
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, "connection " + id + " from " + remote + " failed", e);
        } finally {
            if (handOver != null) {
                handOver.await(); // a reply may still be on its way to the disk
            }
            closeQuietly();
            onClose.accept(this);
            if (opened) {
                try {
                    settings.listener().closed(this);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a connection listener failed", e);
                }
            }
        }
    }

    /** Asks the serving thread to finish the requests it has read, send their replies and close. */
    public void stopGracefully() {
        stopping = true;
        shutdownInput();
    }

    /** Makes a blocked read return end-of-stream. */
    private void shutdownInput() {
        try {
            socket.shutdownInput();
        } catch (IOException alreadyClosed) {
            // the serving thread is closing it anyway
        }
    }

    /** Closes the socket now: the serving thread fails on its next read or write and ends. */
    public void closeNow() {
        closeQuietly();
    }

    private void serve(InputStream in) throws IOException {
        try {
            while (true) {
                boolean progressed = false;
                boolean answered = false;
                batch = settings.durability().open(); // the requests read so far: one sync for all of them
                try {
                    while (input.next()) {
                        if (!progressed) {
                            partialSince = 0; // a whole request arrived: the request timeout starts over
                            progressed = true;
                        }
                        execute();
                        input.consume();
                        if (closeAfterReply) {
                            output.flush();
                            return;
                        }
                    }
                    answered = true;
                } finally {
                    Durability.Batch done = batch;
                    batch = null;
                    if (answered && !done.isDurable() && output.pendingBytes() <= ReplyHandOver.MAX_REPLY) {
                        handOver.handOver(done, output);
                    } else {
                        done.close();
                    }
                }
                if (output.hasPending()) {
                    output.flush(); // every whole request read so far is answered
                    lastActive = System.nanoTime();
                }
                if (stopping) {
                    return;
                }
                if (!input.midRequest()) {
                    partialSince = 0;
                } else if (partialSince == 0) {
                    partialSince = System.nanoTime();
                }
                int n = input.read(in);
                clock = System.nanoTime();
                lastActive = clock;
                if (n > 0) {
                    settings.stats().input(n);
                }
                if (n < 0) {
                    if (requestExpired) {
                        throw new ProtocolError("incomplete request: the rest did not arrive within "
                                + settings.requestTimeoutMillis() + " ms");
                    }
                    return;
                }
            }
        } catch (ProtocolError e) {
            settings.stats().protocolError();
            output.error("ERR", "Protocol error: " + e.getMessage());
            output.flush();
        }
    }

    /**
     * Enforces the timeouts; called by the server's watchdog thread. A request left incomplete for longer than the
     * request timeout gets its input shut down, so the serving thread wakes, answers with a protocol error and
     * closes. A connection idle for longer than the idle timeout is closed.
     *
     * @param now the current {@link System#nanoTime()}
     */
    public void expireIfDue(long now) {
        ReplyHandOver sending = handOver;
        long since = sending == null ? 0 : sending.sendingSince();
        if (since != 0 && now - since > TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis())) {
            LOG.log(Level.DEBUG, "{0}: does not read its replies, closing", this);
            closeQuietly(); // unblocks the write, and with it the thread that sends it
            return;
        }
        long partial = partialSince;
        if (partial != 0 && now - partial > TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis())) {
            if (!requestExpired) {
                requestExpired = true;
                LOG.log(Level.DEBUG, "{0}: incomplete request timed out", this);
                shutdownInput();
            }
        } else if (settings.idleTimeoutMillis() > 0
                && now - lastActive() > TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis())) {
            LOG.log(Level.DEBUG, "{0}: idle for {1} ms, closing", this, settings.idleTimeoutMillis());
            closeQuietly();
        }
    }

    private void execute() {
        byte[] buf = input.buffer();
        CommandTable.Entry entry = settings.commands().find(buf, input.offset(0), input.length(0));
        if (!authenticated && (entry == null || !entry.allowedBeforeAuth())) {
            if (entry != null) {
                entry.stats().reject();
            }
            output.raw(NOAUTH);
            return;
        }
        if (entry == null) {
            output.error("ERR", "unknown command '" + Text.printable(buf, input.offset(0), input.length(0)) + "'");
            return;
        }
        client.lastCommand(entry.lowerName());
        clock = runner.run(entry, clock);
    }

    /** Marks the session authenticated if the password matches; the bytes are compared in constant time. */
    boolean authenticate(byte[] password) {
        if (MessageDigest.isEqual(password, settings.password())) {
            authenticated = true;
        }
        return authenticated;
    }

    /** Returns what the client said about itself; its protocol decides how replies are encoded. */
    public ClientInfo client() {
        return client;
    }

    /** Returns the server's settings, which hold its command table and figures. */
    ConnectionSettings settings() {
        return settings;
    }

    /** Returns when the connection last read or wrote (nanoTime), a handed-over reply included. */
    long lastActive() {
        long served = lastActive;
        ReplyHandOver sending = handOver;
        long sent = sending == null ? served : sending.lastSent();
        return sent - served > 0 ? sent : served;
    }

    /** Returns the local address, for CLIENT LIST. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Returns the encoder, for replies of types {@link dev.ledger.net.Reply} has no method for (RESP3 sets...). */
    RespOutput output() {
        return output;
    }

    private void closeQuietly() {
        Sockets.closeQuietly(socket);
    }

    // ---------------------------------------------------------------- Session

    @Override
    public long id() {
        return id;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean authenticated() {
        return authenticated;
    }

    @Override
    public int protocol() {
        return client.protocol();
    }

    @Override
    public Map<String, Object> attributes() {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        return attributes;
    }

    @Override
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote;
    }

    /**
     * The socket's stream, which first makes the open batch durable: a reply may leave before the batch ends (a
     * full buffer, a large reply), and no reply may acknowledge an operation that is not durable yet. It also waits
     * for a handed-over reply still unsent, which must leave first. Serving thread only.
     */
    private final class AcknowledgingStream extends FilterOutputStream {
        AcknowledgingStream(OutputStream socket) {
            super(socket);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (batch != null) {
                batch.sync();
            }
            handOver.await();
            out.write(bytes, offset, length);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}

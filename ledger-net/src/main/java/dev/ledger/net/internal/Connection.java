package dev.ledger.net.internal;

import dev.ledger.LedgerException;
import dev.ledger.net.CommandException;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One client connection, served by its own thread: read what has arrived, answer every whole request in it, write
 * the replies once the buffer holds no more whole requests, read again.
 *
 * <p>It is the {@link Request}, {@link Reply} and {@link Session} that handlers see, so serving a request
 * allocates nothing of its own.
 *
 * <p>Timeouts are enforced from outside by {@link #expireIfDue}, which the server's watchdog calls: reads block
 * without a timeout, which is the cheapest way to read (a timed read costs a poll, or a timer on a virtual thread).
 *
 * <p>With a durable bank, the replies to requests that wrote to the journal are sent by the thread that makes
 * them durable ({@link Durability.Batch#closeThen}), such as the journal's group-commit leader, while the
 * serving thread goes back to reading: one wake-up per request instead of two, as a reply leaves without waking
 * its thread. Only a reply of at most 8 KiB is handed over, one at a time, and the watchdog closes the connection
 * if writing it blocks for longer than the request timeout (a client that does not read).
 *
 * <p>Concurrency: everything is confined to the serving thread, except these, which other threads use to stop
 * it: {@code stopping} (set by the server's stop), {@code requestExpired} (set by the watchdog), the volatile
 * clocks {@code lastActive} and {@code partialSince} (written by the serving thread, read by the watchdog), and
 * the socket, which they shut down or close to wake the serving thread. A handed-over reply is owned by the
 * thread that sends it from the moment {@code replyInFlight} is set until it is cleared; the serving thread
 * writes nothing to the socket meanwhile ({@link #awaitHandedOverReply}), so replies leave in order.
 * {@code replySendingSince} is written by the sending thread and read by the watchdog. The {@link ClientInfo} is
 * written by the serving thread and read by other connections' {@code CLIENT LIST}.
 */
public final class Connection implements Runnable, Request, Reply, Session {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOAUTH = "-NOAUTH Authentication required.\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int INPUT_BUFFER = 16 * 1024;
    private static final int OUTPUT_BUFFER = 32 * 1024;
    /** The largest reply handed over to the journal's thread: it fits a socket's send buffer. */
    private static final int MAX_DEFERRED_REPLY = 8 * 1024;

    private final Socket socket;
    private final long id;
    private final ConnectionSettings settings;
    private final Consumer<Connection> onClose;
    private final InetSocketAddress remote;
    private final RequestParser input;
    private RespOutput output;
    private boolean authenticated;
    private boolean closeAfterReply;
    private final ClientInfo client = new ClientInfo();
    /** Whether the running handler replied an error, for its command's failed calls. Serving thread only. */
    private boolean errorReplied;
    /**
     * When the last read or command ended (nanoTime), where the next command's time starts: one clock reading per
     * command instead of two. Serving thread only.
     */
    private long clock = System.nanoTime();
    private Map<String, Object> attributes;
    /** When the serving thread last finished a read or a write (nanoTime). */
    private volatile long lastActive = System.nanoTime();
    /** Since when an incomplete request waits in the buffer for the rest (nanoTime), or 0 if none does. */
    private volatile long partialSince;
    /** Set by the server's stop: finish the requests already read, then close. */
    private volatile boolean stopping;
    /** Set by the watchdog: the incomplete request took too long; its input has been shut down. */
    private volatile boolean requestExpired;
    /** The batch the requests being executed belong to; null between batches. Serving thread only. */
    private Durability.Batch batch;
    /** The socket's own stream, which a handed-over reply is written to. */
    private OutputStream socketOutput;
    /** Whether a reply handed over to the journal's thread is not sent yet. */
    private volatile boolean replyInFlight;
    /** The serving thread, while it waits for a handed-over reply to be sent; else null. */
    private volatile Thread awaitingReply;
    /** Since when the journal's thread writes a handed-over reply (nanoTime), or 0 if it does not. */
    private volatile long replySendingSince;

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
        this.authenticated = settings.password() == null;
    }

    @Override
    public void run() {
        boolean opened = false;
        try {
            socketOutput = new CountingStream(socket.getOutputStream(), settings.stats());
            output = new RespOutput(new AcknowledgingStream(socketOutput), OUTPUT_BUFFER);
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
            awaitHandedOverReply(); // it may still be on its way to the disk
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
                batch = settings.durability().open(); // the requests read so far: one fsync for all of them
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
                    if (answered && !done.isDurable() && output.pendingBytes() <= MAX_DEFERRED_REPLY) {
                        handOverReply(done);
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
     * Closes the batch and hands its replies over to the thread that will make it durable, to send them then. Waits
     * first for the previous handed-over reply, if still unsent, so replies leave in order.
     */
    private void handOverReply(Durability.Batch done) {
        awaitHandedOverReply();
        byte[] reply = output.takePending();
        replyInFlight = true;
        done.closeThen(failure -> sendHandedOverReply(reply, failure));
    }

    /** Runs on the thread that made the batch durable, or failed to: sends the replies, or drops the connection. */
    private void sendHandedOverReply(byte[] reply, RuntimeException failure) {
        try {
            if (failure != null) {
                LOG.log(Level.ERROR, this + ": the last requests could not be made durable, so their replies are not"
                        + " sent", failure);
                closeQuietly();
            } else if (reply.length > 0) {
                replySendingSince = System.nanoTime();
                socketOutput.write(reply);
                lastActive = System.nanoTime();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: could not send a reply: {1}", this, e.toString());
            closeQuietly(); // the serving thread's next read fails, and it ends
        } finally {
            replySendingSince = 0;
            replyInFlight = false;
            Thread waiting = awaitingReply;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** Returns once no handed-over reply is unsent. Serving thread only. */
    private void awaitHandedOverReply() {
        if (!replyInFlight) {
            return;
        }
        awaitingReply = Thread.currentThread();
        try {
            while (replyInFlight) {
                LockSupport.park(this);
            }
        } finally {
            awaitingReply = null;
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
        long sending = replySendingSince;
        if (sending != 0 && now - sending > TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMillis())) {
            LOG.log(Level.DEBUG, "{0}: does not read its replies, closing", this);
            closeQuietly(); // unblocks the write, and with it the journal's thread
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
                && now - lastActive > TimeUnit.MILLISECONDS.toNanos(settings.idleTimeoutMillis())) {
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
        errorReplied = false;
        long start = clock;
        try {
            dispatch(entry);
        } finally {
            clock = System.nanoTime();
            entry.stats().record(clock - start, errorReplied);
        }
    }

    private void dispatch(CommandTable.Entry entry) {
        long mark = output.mark();
        try {
            entry.handler().handle(this, this);
            if (!output.wroteSince(mark)) {
                throw new IllegalStateException("the handler of " + name() + " wrote no reply");
            }
        } catch (CommandException e) {
            replaceReply(mark);
            output.error(e.kind(), e.getMessage());
        } catch (LedgerException e) {
            replaceReply(mark);
            output.error("ERR", Errors.ledgerMessage(e));
        } catch (RuntimeException e) {
            ErrorReply notDurable = settings.durability().failureReply(e);
            if (notDurable != null) {
                // Not the client's fault and not a bug: the operation could not be made durable.
                LOG.log(Level.ERROR, "command " + Text.printable(name()) + " on connection " + id + ": "
                        + e.getMessage(), e);
                replaceReply(mark);
                output.error(notDurable.kind(), notDurable.detail());
                return;
            }
            if (output.failed()) {
                throw e; // the socket failed under the reply: the connection is done
            }
            LOG.log(Level.WARNING, "command " + Text.printable(name()) + " failed on connection " + id, e);
            replaceReply(mark);
            output.error("ERR", "internal error: " + e);
        }
    }

    /** Drops a partial reply before an error replaces it; if part of it has left, the connection cannot go on. */
    private void replaceReply(long mark) {
        errorReplied = true;
        if (!output.rewind(mark)) {
            throw new IllegalStateException("a failed command's partial reply was already sent; closing");
        }
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

    /** Returns when the connection last read or wrote (nanoTime). */
    long lastActive() {
        return lastActive;
    }

    /** Returns the local address, for CLIENT LIST. */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Returns the encoder, for replies of types {@link Reply} has no method for (RESP3 sets, verbatim text). */
    RespOutput output() {
        return output;
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------- Request

    @Override
    public String name() {
        return new String(input.buffer(), input.offset(0), input.length(0), StandardCharsets.UTF_8);
    }

    @Override
    public int argumentCount() {
        return input.count() - 1;
    }

    @Override
    public String argument(int index) {
        int i = checkIndex(index);
        return new String(input.buffer(), input.offset(i), input.length(i), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] argumentBytes(int index) {
        int i = checkIndex(index);
        return Arrays.copyOfRange(input.buffer(), input.offset(i), input.offset(i) + input.length(i));
    }

    @Override
    public long longArgument(int index, String what) {
        int i = checkIndex(index);
        try {
            return Numbers.parseLong(input.buffer(), input.offset(i), input.length(i));
        } catch (NumberFormatException e) {
            String shown = Text.printable(input.buffer(), input.offset(i), input.length(i));
            switch (e.getMessage()) {
                case "empty":
                    throw new CommandException(what + " is empty");
                case "out of range":
                    throw new CommandException(what + " is out of range, got '" + shown + "'");
                default:
                    throw new CommandException(what + " must be a whole number (digits, optionally after '-'),"
                            + " got '" + shown + "'");
            }
        }
    }

    @Override
    public void requireArguments(int min, int max) {
        int n = argumentCount();
        if (n < min || n > max) {
            throw new CommandException(Errors.wrongArguments(name()));
        }
    }

    @Override
    public Session session() {
        return this;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= argumentCount()) {
            throw new IndexOutOfBoundsException("argument " + index + " of " + argumentCount());
        }
        return index + 1;
    }

    // ---------------------------------------------------------------- Reply

    @Override
    public void ok() {
        output.raw(OK);
    }

    @Override
    public void simple(String text) {
        output.simple(text);
    }

    @Override
    public void error(String message) {
        errorReplied = true;
        output.error("ERR", message);
    }

    @Override
    public void error(String kind, String message) {
        errorReplied = true;
        output.error(Errors.checkKind(kind), message);
    }

    @Override
    public void integer(long value) {
        output.integer(value);
    }

    @Override
    public void bulk(String text) {
        output.bulk(text);
    }

    @Override
    public void bulk(byte[] bytes) {
        output.bulk(bytes, 0, bytes.length);
    }

    @Override
    public void nullBulk() {
        if (client.protocol() == 3) {
            output.null3();
        } else {
            output.nullBulk();
        }
    }

    @Override
    public void map(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("map size " + entries);
        }
        if (client.protocol() == 3) {
            output.mapHeader(entries);
        } else {
            output.arrayHeader(2 * entries);
        }
    }

    @Override
    public void array(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("array size " + size);
        }
        output.arrayHeader(size);
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

    /** The socket's own stream, counting what leaves for INFO's total_net_output_bytes. */
    private static final class CountingStream extends FilterOutputStream {
        private final ServerStats stats;

        CountingStream(OutputStream socket, ServerStats stats) {
            super(socket);
            this.stats = stats;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            stats.output(length);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }

    /**
     * The socket's stream, which first makes the open batch durable: a reply may leave before the batch ends (a
     * full buffer, a large reply), and no reply may acknowledge an operation that is not on disk yet. It also waits
     * for a handed-over reply still unsent, which must leave first.
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
            awaitHandedOverReply();
            out.write(bytes, offset, length);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}

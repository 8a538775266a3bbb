package dev.ledger.net.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;

/**
 * The replies of one connection that are handed over to the thread that makes their requests durable
 * ({@link Durability.Batch#closeThen}), to be sent from there, while the serving thread goes back to reading: one
 * wake-up per request instead of two, as a reply leaves without waking its thread. Only a reply of at most
 * {@link #MAX_REPLY} bytes is handed over, one at a time.
 *
 * <p>Concurrency: a handed-over reply is owned by the thread that sends it from the moment {@code inFlight} is set
 * (by the serving thread, in {@link #handOver}) until it is cleared (by the sending thread, after its write);
 * meanwhile the serving thread writes nothing to the socket: it calls {@link #await} before every write, so
 * replies leave in order. {@code awaiting} is set by the serving thread while it parks, so that the sending thread
 * can unpark it. {@code sendingSince} and {@code lastSent} are written by the sending thread and read by the
 * server's watchdog, which closes the socket if a write blocks too long (a client that does not read). All four
 * are volatile; the reply bytes pass to the sending thread through {@code closeThen}.
 */
final class ReplyHandOver {
    private static final System.Logger LOG = System.getLogger(ReplyHandOver.class.getName());
    /** The largest reply handed over: it fits a socket's send buffer. */
    static final int MAX_REPLY = 8 * 1024;

    /** Closes the connection's socket, when a reply cannot be sent. */
    private final Runnable drop;
    /** The socket's own stream, which a handed-over reply is written to. */
    private final OutputStream socketOutput;
    /** Names the connection in logs. */
    private final String connection;
    /** Whether a handed-over reply is not sent yet. Set by the serving thread, cleared by the sending thread. */
    private volatile boolean inFlight;
    /** The serving thread, while it waits for a handed-over reply to be sent; else null. */
    private volatile Thread awaiting;
    /** Since when the sending thread writes a handed-over reply (nanoTime), or 0 if it does not. */
    private volatile long sendingSince;
    /** When the sending thread last finished writing a reply (nanoTime). */
    private volatile long lastSent = System.nanoTime();

    /**
     * @param socketOutput the socket's own stream
     * @param drop closes the socket, if a reply cannot be sent
     * @param connection names the connection in logs
     */
    ReplyHandOver(OutputStream socketOutput, Runnable drop, String connection) {
        this.drop = drop;
        this.socketOutput = socketOutput;
        this.connection = connection;
    }

    /**
     * Closes the batch and hands the replies pending in {@code output} over to the thread that will make it
     * durable, to send them then. Waits first for the previous handed-over reply, if still unsent, so replies
     * leave in order. Serving thread only.
     */
    void handOver(Durability.Batch done, RespOutput output) {
        await();
        byte[] reply = output.takePending();
        inFlight = true;
        done.closeThen(failure -> send(reply, failure));
    }

    /** Runs on the thread that made the batch durable, or failed to: sends the replies, or drops the connection. */
    private void send(byte[] reply, RuntimeException failure) {
        try {
            if (failure != null) {
                LOG.log(Level.ERROR, connection + ": the last requests could not be made durable, so their replies"
                        + " are not sent", failure);
                drop.run();
            } else if (reply.length > 0) {
                sendingSince = System.nanoTime();
                socketOutput.write(reply);
                lastSent = System.nanoTime();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: could not send a reply: {1}", connection, e.toString());
            drop.run(); // the serving thread's next read fails, and it ends
        } finally {
            sendingSince = 0;
            inFlight = false;
            Thread waiting = awaiting;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }

    /** Returns once no handed-over reply is unsent. Serving thread only. */
    void await() {
        if (!inFlight) {
            return;
        }
        awaiting = Thread.currentThread();
        try {
            while (inFlight) {
                LockSupport.park(this);
            }
        } finally {
            awaiting = null;
        }
    }

    /** Returns since when a handed-over reply is being written (nanoTime), or 0 if none is. */
    long sendingSince() {
        return sendingSince;
    }

    /** Returns when a handed-over reply last finished leaving (nanoTime). */
    long lastSent() {
        return lastSent;
    }
}

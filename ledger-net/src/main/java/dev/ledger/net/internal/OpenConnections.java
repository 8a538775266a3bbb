package dev.ledger.net.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server's open connections: admits each accepted socket within the limit, refusing the others with
 * {@code -ERR max number of clients reached}, serves each admitted one on its own thread, and reaches them all to
 * enforce the timeouts or to stop them.
 *
 * <p>Concurrency: the server's acceptor thread alone calls {@link #accept}; a connection removes itself, on its
 * own thread, when it ends; the watchdog and the server's stop go through them all meanwhile. {@code connections}
 * is a concurrent set and {@code open} an atomic count, {@code ids} an atomic counter. Invariant: {@code open}
 * counts the accepted connections whose thread has not ended, refused ones never.
 */
public final class OpenConnections {
    private static final System.Logger LOG = System.getLogger(OpenConnections.class.getName());
    private static final byte[] TOO_MANY = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Set<Connection> connections;
    private final int maxConnections;
    private final ConnectionSettings settings;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong();

    /**
     * @param connections where the open connections are kept: a concurrent set, which the server's figures read
     * @param maxConnections how many may be open at once
     * @param settings what the connections share
     */
    public OpenConnections(Set<Connection> connections, int maxConnections, ConnectionSettings settings) {
        this.connections = connections;
        this.maxConnections = maxConnections;
        this.settings = settings;
    }

    /**
     * Serves an accepted socket on a thread of {@code threads}, or refuses it if the limit is reached. Acceptor
     * thread only.
     *
     * @param client the accepted socket
     * @param threads runs each connection on its own thread
     */
    public void accept(Socket client, Executor threads) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            settings.stats().connectionRejected();
            refuse(client);
            return;
        }
        Connection connection = null;
        try {
            client.setTcpNoDelay(true);
            client.setKeepAlive(true);
            connection = new Connection(client, ids.incrementAndGet(), settings, this::closed);
            settings.stats().connectionReceived();
            connections.add(connection);
            threads.execute(connection);
        } catch (IOException | RejectedExecutionException e) {
            // the socket died at once, or the server is stopping
            if (connection != null) {
                connections.remove(connection);
            }
            open.decrementAndGet();
            Sockets.closeQuietly(client);
        }
    }

    /** Returns how many connections are open. */
    public int count() {
        return open.get();
    }

    /**
     * Enforces every connection's timeouts; see {@link Connection#expireIfDue}. Watchdog thread.
     *
     * @param now the current {@link System#nanoTime()}
     */
    public void expireIfDue(long now) {
        for (Connection connection : connections) {
            connection.expireIfDue(now);
        }
    }

    /** Asks every connection to finish the requests it has read, send their replies and close. */
    public void stopGracefully() {
        connections.forEach(Connection::stopGracefully);
    }

    /** Closes every connection now. */
    public void closeNow() {
        connections.forEach(Connection::closeNow);
    }

    /** Runs on a connection's thread once its socket is closed. */
    private void closed(Connection connection) {
        connections.remove(connection);
        open.decrementAndGet();
    }

    private void refuse(Socket client) {
        try (client) {
            OutputStream out = client.getOutputStream();
            out.write(TOO_MANY); // fits an empty send buffer: cannot block
            out.flush();
            client.shutdownOutput();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "refusing a connection: {0}", e.toString());
        }
        try {
            settings.listener().refused((InetSocketAddress) client.getRemoteSocketAddress());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a connection listener failed", e);
        }
    }
}

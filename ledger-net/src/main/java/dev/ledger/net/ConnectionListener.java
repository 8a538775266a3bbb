package dev.ledger.net;

import java.net.InetSocketAddress;

/**
 * Told when clients come and go, for logging or metrics. Methods run on the connection's thread (or the accepting
 * thread, for {@link #refused}); they should be quick, and an exception they throw is logged and ignored.
 */
public interface ConnectionListener {
    /**
     * A connection was accepted; its commands are served after this returns.
     *
     * @param session the new connection
     */
    default void opened(Session session) {
    }

    /**
     * A connection was closed, by the client, by the server, or by an error.
     *
     * @param session the connection
     */
    default void closed(Session session) {
    }

    /**
     * A connection was refused because the server already has its maximum number of connections.
     *
     * @param remote the client's address
     */
    default void refused(InetSocketAddress remote) {
    }
}

package dev.ledger.net;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One client connection's state, for {@link CommandHandler}s and {@link ConnectionListener}s: who it is, whether
 * it has authenticated, and attributes that last as long as the connection (a login, say).
 *
 * <p>Confined to the connection's thread, like the handlers that use it; listeners are called on that thread too.
 */
public interface Session {
    /** Returns the connection's number, unique within the server, from 1. */
    long id();

    /** Returns the client's address. */
    InetSocketAddress remoteAddress();

    /** Returns whether the client has sent the right {@code AUTH}; always true when the server has no password. */
    boolean authenticated();

    /** Returns the protocol version the client chose with {@code HELLO}: 2 (the default) or 3. */
    default int protocol() {
        return 2;
    }

    /** Returns this connection's attributes, a mutable map that is empty when the connection opens. */
    Map<String, Object> attributes();

    /** Closes the connection once the current reply has been sent, as {@code QUIT} does. */
    void closeAfterReply();
}

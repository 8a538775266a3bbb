package dev.ledger.net.internal;

import java.io.IOException;
import java.net.Socket;

/** Closing sockets whatever state they are in. */
public final class Sockets {
    private Sockets() {
    }

    /** Closes the socket, ignoring a failure: the socket is being given up anyway. */
    public static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}

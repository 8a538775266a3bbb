package dev.ledger.net.internal;

/** Input that is not RESP, or breaks a limit: the connection gets {@code -ERR Protocol error: ...} and is closed. */
public final class ProtocolError extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolError(String message) {
        super(message, null, false, false); // an expected outcome of bad input: no stack trace
    }
}

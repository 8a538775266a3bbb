package dev.ledger.net;

/**
 * The server sent something that is not RESP2, or not a reply the call can have: a bug or a different server.
 * When the byte stream itself was malformed the client closes the connection, as it cannot find the next reply.
 */
public final class ProtocolViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was expected and what arrived
     */
    public ProtocolViolationException(String message) {
        super(message);
    }
}

package dev.ledger.net;

import dev.ledger.net.internal.Errors;
import java.util.Objects;

/**
 * Thrown by a {@link CommandHandler} to refuse a request: the client gets {@code -KIND message}, nothing changed,
 * and the connection stays open.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The first word of the error reply. */
    private final String kind;

    /**
     * Creates an {@code -ERR message} refusal.
     *
     * @param message what was wrong, naming the offending value
     */
    public CommandException(String message) {
        this("ERR", message);
    }

    /**
     * Creates a {@code -KIND message} refusal.
     *
     * @param kind the error's kind, one word in capitals such as {@code ERR} or {@code FAILED}
     * @param message what was wrong
     */
    public CommandException(String kind, String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.kind = Errors.checkKind(kind);
    }

    /** Returns the error's kind: the first word of the error reply. */
    public String kind() {
        return kind;
    }
}

package dev.ledger.net.internal;

/**
 * An error reply as the client reads it: {@code -KIND detail}.
 *
 * @param kind the first word
 * @param detail the rest, possibly empty
 */
public record ErrorReply(String kind, String detail) {
    /** Splits an error line (without its {@code -}) into kind and detail. */
    static ErrorReply parse(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? new ErrorReply(line, "") : new ErrorReply(line.substring(0, space), line.substring(space + 1));
    }
}

package dev.ledger.net.internal;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;

/**
 * How errors look on the wire, in one place for the server and the client.
 *
 * <p>A {@link LedgerException} becomes {@code -ERR <message> (<CODE>)}, so a client can rethrow it with the same
 * {@link ErrorCode} while a person still reads a sentence.
 */
public final class Errors {
    private Errors() {
    }

    /** Returns the message of the error reply for a bank's refusal: the exception's message and its code. */
    public static String ledgerMessage(LedgerException e) {
        return e.getMessage() + " (" + e.code().name() + ")";
    }

    /**
     * Returns the ledger error code that ends an error message as written by {@link #ledgerMessage}, or null.
     *
     * @param message an error reply's message, after the kind
     * @return the code, or null if the message carries none
     */
    public static ErrorCode ledgerCode(String message) {
        int open = message.lastIndexOf(" (");
        if (open < 0 || !message.endsWith(")")) {
            return null;
        }
        String name = message.substring(open + 2, message.length() - 1);
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }

    /** Returns the message with its {@code (CODE)} suffix removed. */
    public static String withoutCode(String message) {
        return ledgerCode(message) == null ? message : message.substring(0, message.lastIndexOf(" ("));
    }

    /** Returns the standard message for a request with the wrong number of arguments, as Redis words it. */
    public static String wrongArguments(String command) {
        return "wrong number of arguments for '" + Text.printable(command).toLowerCase(java.util.Locale.ROOT)
                + "' command";
    }

    /**
     * Checks an error kind: the first word of an error reply, in capitals.
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static String checkKind(String kind) {
        if (kind == null || kind.isEmpty() || !kind.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || c == '_')) {
            throw new IllegalArgumentException("an error kind is one word in capitals, got '" + kind + "'");
        }
        return kind;
    }
}

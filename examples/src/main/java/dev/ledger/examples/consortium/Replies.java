package dev.ledger.examples.consortium;

import dev.ledger.net.ProtocolViolationException;
import java.util.List;

/** Reads the values {@link dev.ledger.net.Call#raw} decodes: a {@code String}, a {@code Long} or a list. */
final class Replies {
    private Replies() {
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        if (!(value instanceof List)) {
            throw unexpected(what, "an array", value);
        }
        return (List<Object>) value;
    }

    static String string(Object value, String what) {
        if (!(value instanceof String)) {
            throw unexpected(what, "a string", value);
        }
        return (String) value;
    }

    static long integer(Object value, String what) {
        if (!(value instanceof Long)) {
            throw unexpected(what, "an integer", value);
        }
        return (Long) value;
    }

    private static ProtocolViolationException unexpected(String what, String expected, Object value) {
        return new ProtocolViolationException(what + ": expected " + expected + ", got " + value);
    }
}

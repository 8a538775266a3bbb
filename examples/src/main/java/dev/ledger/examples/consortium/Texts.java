package dev.ledger.examples.consortium;

/** Text for messages. */
final class Texts {
    private static final int SHOWN = 40;

    private Texts() {
    }

    /** {@return the text, cut to a length fit for an error message, since it may be anything a client sent} */
    static String shorten(String text) {
        return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "...";
    }

    /** {@return the innermost cause's message: wrappers only repeat it} */
    static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}

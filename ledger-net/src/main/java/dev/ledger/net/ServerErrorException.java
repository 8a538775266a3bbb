package dev.ledger.net;

/**
 * The server answered with an error reply that has no typed meaning for the call: {@code -ERR wrong number of
 * arguments ...}, {@code -NOAUTH Authentication required.}, an error from an application's command. The
 * connection is still usable.
 *
 * <p>A bank's refusal ({@code -ERR ... (CODE)}) is thrown as {@link dev.ledger.LedgerException} instead, with the
 * same code the bank used, and business rejections ({@code -FAILED}, {@code -ABORT}) are returned as outcomes.
 */
public final class ServerErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The reply's first word. */
    private final String kind;
    /** The reply after its first word. */
    private final String detail;

    /**
     * Creates the exception for an error reply.
     *
     * @param kind the reply's first word, such as {@code ERR} or {@code NOAUTH}
     * @param detail the rest of the reply
     */
    public ServerErrorException(String kind, String detail) {
        super(detail.isEmpty() ? kind : kind + " " + detail);
        this.kind = kind;
        this.detail = detail;
    }

    /** Returns the error's kind: the first word of the reply, such as {@code ERR} or {@code NOAUTH}. */
    public String kind() {
        return kind;
    }

    /** Returns the reply after its kind. */
    public String detail() {
        return detail;
    }
}

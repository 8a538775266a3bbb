package dev.ledger.net;

/**
 * Where a {@link CommandHandler} writes its reply, in RESP2. A reply is one value; an array is its header
 * ({@link #array(int)}) followed by that many values.
 *
 * <p>Replies are buffered and leave when the connection has answered every request it has read, so a pipeline
 * of requests is answered in one write. Valid only during the handler's call, on the connection's thread.
 */
public interface Reply {
    /** Writes {@code +OK}. */
    void ok();

    /**
     * Writes a simple string, {@code +text}.
     *
     * @param text the text; CR and LF are replaced by spaces
     */
    void simple(String text);

    /**
     * Writes an error, {@code -ERR message}.
     *
     * @param message the message; CR and LF are replaced by spaces
     */
    void error(String message);

    /**
     * Writes an error with its own kind, {@code -KIND message}, such as {@code -FAILED insufficient funds}.
     *
     * @param kind one word in capitals
     * @param message the message
     */
    void error(String kind, String message);

    /**
     * Writes an integer, {@code :value}.
     *
     * @param value the value
     */
    void integer(long value);

    /**
     * Writes a bulk string in UTF-8.
     *
     * @param text the text
     */
    void bulk(String text);

    /**
     * Writes a bulk string.
     *
     * @param bytes the bytes
     */
    void bulk(byte[] bytes);

    /** Writes the null bulk string, {@code $-1}: no value. */
    void nullBulk();

    /**
     * Writes an array header; write {@code size} values after it.
     *
     * @param size the number of elements
     */
    void array(int size);
}

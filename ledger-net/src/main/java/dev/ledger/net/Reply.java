package dev.ledger.net;

/**
 * Where a {@link CommandHandler} writes its reply, in the protocol the client chose with {@code HELLO}: RESP2
 * unless it asked for RESP3. A reply is one value; an array is its header ({@link #array(int)}) followed by that
 * many values, a map its header ({@link #map(int)}) followed by that many keys and values.
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

    /** Writes no value: the null bulk string {@code $-1} in RESP2, the null {@code _} in RESP3. */
    void nullBulk();

    /**
     * Writes a map header; write {@code entries} keys and values after it, each key followed by its value. RESP3
     * has maps ({@code %entries}); in RESP2 this is an array of twice as many elements, as Redis sends it.
     *
     * @param entries the number of keys
     */
    default void map(int entries) {
        array(2 * entries);
    }

    /**
     * Writes an array header; write {@code size} values after it.
     *
     * @param size the number of elements
     */
    void array(int size);
}

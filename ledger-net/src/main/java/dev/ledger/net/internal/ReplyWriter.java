package dev.ledger.net.internal;

import dev.ledger.net.Reply;
import java.nio.charset.StandardCharsets;

/**
 * The {@link Reply} handlers see: encodes into the connection's output, in the protocol the client chose (RESP2
 * or RESP3), and notes whether the reply is an error, for the command's figures. One per connection.
 *
 * <p>Confined to the connection's serving thread, as its output is.
 */
final class ReplyWriter implements Reply {
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    private final RespOutput output;
    private final ClientInfo client;
    /** Whether the running handler replied an error, for its command's failed calls. */
    private boolean errorReplied;

    ReplyWriter(RespOutput output, ClientInfo client) {
        this.output = output;
        this.client = client;
    }

    /** Starts a command's reply: no error so far. */
    void begin() {
        errorReplied = false;
    }

    /** Returns whether the command's reply is an error. */
    boolean errorReplied() {
        return errorReplied;
    }

    /** Drops a partial reply before an error replaces it; if part of it has left, the connection cannot go on. */
    void replaceSince(long mark) {
        errorReplied = true;
        if (!output.rewind(mark)) {
            throw new IllegalStateException("a failed command's partial reply was already sent; closing");
        }
    }

    @Override
    public void ok() {
        output.raw(OK);
    }

    @Override
    public void simple(String text) {
        output.simple(text);
    }

    @Override
    public void error(String message) {
        errorReplied = true;
        output.error("ERR", message);
    }

    @Override
    public void error(String kind, String message) {
        errorReplied = true;
        output.error(Errors.checkKind(kind), message);
    }

    @Override
    public void integer(long value) {
        output.integer(value);
    }

    @Override
    public void bulk(String text) {
        output.bulk(text);
    }

    @Override
    public void bulk(byte[] bytes) {
        output.bulk(bytes, 0, bytes.length);
    }

    @Override
    public void nullBulk() {
        if (client.protocol() == 3) {
            output.null3();
        } else {
            output.nullBulk();
        }
    }

    @Override
    public void map(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("map size " + entries);
        }
        if (client.protocol() == 3) {
            output.mapHeader(entries);
        } else {
            output.arrayHeader(2 * entries);
        }
    }

    @Override
    public void array(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("array size " + size);
        }
        output.arrayHeader(size);
    }
}

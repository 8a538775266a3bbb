package dev.ledger.net.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A socket's own stream, counting what leaves for INFO's {@code total_net_output_bytes}. Used by one thread at a
 * time (the serving thread, or the thread sending a handed-over reply: see {@link ReplyHandOver}); the count
 * itself is the server's, thread-safe.
 */
final class CountingStream extends FilterOutputStream {
    private final ServerStats stats;

    CountingStream(OutputStream socket, ServerStats stats) {
        super(socket);
        this.stats = stats;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
        stats.output(length);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }
}

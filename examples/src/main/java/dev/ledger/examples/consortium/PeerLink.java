package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A connection to another bank of the consortium, authenticated with the shared secret, for the peer commands
 * that are not two-phase commit ({@code CHECKOWNER}, {@code HOLDINGS}, {@code DECISION}). It connects on first use
 * and again after a failure; every call has the connect and read timeouts given.
 *
 * <p>Concurrency: thread-safe. {@code this} guards {@code client}, which is replaced after a failure; calls take
 * turns on the client's one connection.
 */
final class PeerLink implements AutoCloseable {
    private final Member peer;
    private final BankClient.Builder connection;
    /** The open connection, or null before the first call and after a failure. Guarded by this. */
    private BankClient client;

    PeerLink(Member peer, String secret, Duration timeout) {
        this.peer = peer;
        this.connection = connectionTo(peer, secret, timeout);
    }

    /** {@return how to reach a peer: its address, the secret, and the timeouts of every call between banks} */
    static BankClient.Builder connectionTo(Member peer, String secret, Duration timeout) {
        return BankClient.builder().host(peer.host()).port(peer.port()).password(secret)
                .connectTimeout(timeout).readTimeout(timeout);
    }

    /** {@return the peer's name} */
    String name() {
        return peer.name();
    }

    /**
     * Sends one call, retried once on a fresh connection if the connection was lost (see {@link #onceMore}).
     *
     * @param call the call; an idempotent one
     * @param <T> its result
     * @return the result
     * @throws UncheckedIOException if the peer cannot be reached or does not answer in time
     */
    <T> T call(Call<T> call) {
        return onceMore(() -> attempt(call));
    }

    /**
     * Runs an idempotent call between banks, and once more if it failed for a lost connection rather than a
     * missing reply. A peer that restarted, or closed a connection idle for long, leaves a dead connection that
     * fails only when next used; the second attempt connects anew. A read timeout is not retried: the peer is
     * there but slow, and waiting twice as long helps no one.
     */
    static <T> T onceMore(Supplier<T> idempotentCall) {
        try {
            return idempotentCall.get();
        } catch (UncheckedIOException failed) {
            if (failed.getCause() instanceof SocketTimeoutException) {
                throw failed;
            }
            return idempotentCall.get();
        }
    }

    private <T> T attempt(Call<T> call) {
        BankClient current = connection();
        try {
            return current.execute(call);
        } finally {
            if (!current.isOpen()) {
                dropped(current);
            }
        }
    }

    private synchronized BankClient connection() {
        if (client == null) {
            client = connection.connect();
        }
        return client;
    }

    private synchronized void dropped(BankClient failed) {
        if (client == failed) {
            client = null;
        }
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}

package dev.ledger.net;

import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A bank in another process as a two-phase-commit {@link Participant}: each method is the matching command
 * ({@code PREPARE}, {@code COMMIT}, {@code ABORT}, {@code TXSTATUS}) sent to its {@link BankServer}. A
 * {@link dev.ledger.tx.Coordinator} drives it exactly as it drives a local bank.
 *
 * <pre>{@code
 * RemoteParticipant beta = new RemoteParticipant("beta", BankClient.builder().port(5001));
 * TransferResult result = coordinator.transfer(Map.of(
 *         alpha, List.of(Leg.debit("alice", 10)),
 *         beta, List.of(Leg.credit("bob", 10))));
 * }</pre>
 *
 * <p>Failures: a lost connection or a missing reply is thrown as {@link java.io.UncheckedIOException}, which the
 * coordinator reports as "beta unreachable: ..." (or, past its deadline, "beta timed out"). A refusal by the
 * remote bank is thrown as {@link dev.ledger.LedgerException} with its code, as a local bank would throw it. The
 * participant connects lazily and, after a failure, reconnects on the next call.
 *
 * <p><b>Retries.</b> Every call names its transaction, and the remote bank answers a repeated prepare, commit or
 * abort of a transaction with its first answer, changing nothing. So when the connection is lost under a call,
 * before or after the remote bank acted on it, the participant sends it once more on a new connection: a cut
 * connection costs the transfer nothing. A call that got no reply within the read timeout is not resent (the
 * remote bank is slow, not unreachable: the coordinator's deadline decides), nor is one whose new connection
 * cannot be made.
 *
 * <p>Concurrency: thread-safe. {@code lock} guards {@code client}, which is replaced after a failure; the calls
 * themselves take turns on the client's one connection. It is a lock rather than a monitor because connecting
 * blocks, and the coordinator calls from virtual threads.
 */
public final class RemoteParticipant implements Participant, AutoCloseable {
    private final String name;
    private final BankClient.Settings settings;
    private final ReentrantLock lock = new ReentrantLock();
    /** The current connection, or null before the first call and after a failure. Guarded by lock. */
    private BankClient client;

    /**
     * Creates a participant; it connects on its first call.
     *
     * @param name the participant's name in the coordinator's messages, such as the remote bank's name
     * @param connection how to connect: the builder's settings are copied now
     */
    public RemoteParticipant(String name, BankClient.Builder connection) {
        this.name = Objects.requireNonNull(name, "name");
        this.settings = connection.settings();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
        return call(c -> c.prepare(txId, legs, timeout));
    }

    @Override
    public TxState commit(String txId) {
        return call(c -> c.commit(txId));
    }

    @Override
    public TxState abort(String txId) {
        return call(c -> c.abort(txId));
    }

    @Override
    public TxState status(String txId) {
        return call(c -> c.status(txId));
    }

    /** {@return every transaction prepared at the remote bank and not yet settled: {@link Command#PREPARED}} */
    @Override
    public List<String> preparedTransactions() {
        return call(BankClient::preparedTransactions);
    }

    /** Closes the connection; a later call opens a new one. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (client != null) {
                client.close();
                client = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "RemoteParticipant[" + name + " at " + settings + "]";
    }

    private <T> T call(Function<BankClient, T> command) {
        try {
            return attempt(command);
        } catch (BankClient.NotSent closedUnderUs) {
            return attempt(command);
        } catch (UncheckedIOException lost) {
            if (lost.getCause() instanceof SocketTimeoutException) {
                throw lost;
            }
            return attempt(command); // the same transaction id: the remote bank applies it at most once
        }
    }

    private <T> T attempt(Function<BankClient, T> command) {
        BankClient current = connection();
        try {
            return command.apply(current);
        } finally {
            if (!current.isOpen()) {
                dropped(current);
            }
        }
    }

    private BankClient connection() {
        lock.lock();
        try {
            if (client == null) {
                client = settings.connect();
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    private void dropped(BankClient failed) {
        lock.lock();
        try {
            if (client == failed) {
                client = null;
            }
        } finally {
            lock.unlock();
        }
    }
}

package dev.ledger.tx;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Wraps a participant and injects the faults a network brings: a refused connection, a failure while answering,
 * a reply lost after the work was done, a prepare that hangs until released, and a crash right after voting.
 *
 * <p>Concurrency: the fault settings are volatile and set by the test thread; the latch releases hung prepares.
 */
final class FaultyParticipant implements Participant {
    enum Fault { NONE, REFUSE_CONNECTION, THROW, DROP_REPLY, HANG, CRASH_AFTER_VOTE }

    private final Participant delegate;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Fault prepareFault = Fault.NONE;
    private volatile boolean down;
    private volatile Consumer<String> onPrepare = txId -> { };

    FaultyParticipant(Participant delegate) {
        this.delegate = delegate;
    }

    FaultyParticipant failPrepare(Fault fault) {
        this.prepareFault = fault;
        return this;
    }

    /** Runs {@code hook} with the transaction id at the start of every prepare. */
    FaultyParticipant onPrepare(Consumer<String> hook) {
        this.onPrepare = hook;
        return this;
    }

    void releaseHungPrepares() {
        released.countDown();
    }

    void crash() {
        down = true;
    }

    void restart() {
        down = false;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
        checkUp();
        onPrepare.accept(txId);
        switch (prepareFault) {
            case REFUSE_CONNECTION:
                throw new UncheckedIOException(new ConnectException("connection refused by " + name()));
            case THROW:
                throw new IllegalStateException(name() + " failed while preparing");
            case DROP_REPLY:
                delegate.prepare(txId, legs, timeout);
                throw new UncheckedIOException(new SocketTimeoutException("reply from " + name() + " lost"));
            case HANG:
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return delegate.prepare(txId, legs, timeout);
            case CRASH_AFTER_VOTE:
                Vote vote = delegate.prepare(txId, legs, timeout);
                down = true;
                return vote;
            default:
                return delegate.prepare(txId, legs, timeout);
        }
    }

    @Override
    public TxState commit(String txId) {
        checkUp();
        return delegate.commit(txId);
    }

    @Override
    public TxState abort(String txId) {
        checkUp();
        return delegate.abort(txId);
    }

    @Override
    public TxState status(String txId) {
        checkUp();
        return delegate.status(txId);
    }

    private void checkUp() {
        if (down) {
            throw new UncheckedIOException(new ConnectException(name() + " is down"));
        }
    }
}

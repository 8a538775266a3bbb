package dev.ledger.xa;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.tx.Leg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.transaction.xa.XAException;
import javax.transaction.xa.Xid;

/**
 * One transaction branch between {@code start} and {@code prepare}: the money operations recorded for it, summed
 * per account, which nothing holds yet, and where it stands in the XA protocol.
 *
 * <p>Concurrency: every mutable field is guarded by this object's monitor. The application thread records
 * operations while the transaction manager may end, prepare or roll the branch back from another thread (a timeout
 * reaper, say); whichever comes second sees the state the first left.
 */
final class Branch {
    /** Where a branch stands before prepare. */
    enum State {
        /** Associated with a thread: operations on that thread are recorded for it. */
        ACTIVE,
        /** Ended with {@code TMSUSPEND}: no thread, resumable with {@code TMRESUME}. */
        SUSPENDED,
        /** Ended with {@code TMSUCCESS}: may be prepared, committed in one phase, or joined again. */
        IDLE,
        /** Ended with {@code TMFAIL}, timed out, or refused an operation: it can only roll back. */
        ROLLBACK_ONLY
    }

    final Xid xid;
    final String txId;
    /** When the branch times out, by {@link System#nanoTime()}'s clock. */
    final long deadline;
    /** The branch's transaction timeout, also how long its holds wait for the decision once prepared. */
    final int timeoutSeconds;
    /** Guarded by this. */
    private State state = State.ACTIVE;
    /** The thread the branch is associated with while ACTIVE, else {@code null}. Guarded by this. */
    private Thread thread;
    /** Why it is ROLLBACK_ONLY: an {@code XA_RB*} code. Guarded by this. */
    private int rollbackCode;
    /** The net amount per account id, in the order first touched; a zero sum is removed. Guarded by this. */
    private final Map<String, Long> net = new LinkedHashMap<>();

    Branch(Xid xid, String txId, long deadline, int timeoutSeconds, Thread thread) {
        this.xid = xid;
        this.txId = txId;
        this.deadline = deadline;
        this.timeoutSeconds = timeoutSeconds;
        this.thread = thread;
    }

    synchronized State state() {
        return state;
    }

    synchronized Thread thread() {
        return thread;
    }

    /**
     * Adds signed amounts to the branch's net per account. All or nothing: if a sum would overflow, nothing is
     * added, the branch can only roll back, and the overflow is thrown.
     *
     * @throws IllegalStateException if the branch is not ACTIVE on the calling thread
     */
    synchronized void record(long now, String account, long amount, String otherAccount, long otherAmount) {
        if (state != State.ACTIVE || thread != Thread.currentThread()) {
            throw new IllegalStateException("transaction branch " + txId + " is " + state
                    + (state == State.ACTIVE ? " on another thread" : "") + ": no operation can be recorded for it");
        }
        if (expired(now)) {
            markRollbackOnly(XAException.XA_RBTIMEOUT);
            throw new IllegalStateException("transaction branch " + txId + " timed out; it can only roll back");
        }
        long first;
        long second = 0;
        try {
            first = Math.addExact(net.getOrDefault(account, 0L), amount);
            if (otherAccount != null) {
                second = Math.addExact(net.getOrDefault(otherAccount, 0L), otherAmount);
            }
        } catch (ArithmeticException overflow) {
            markRollbackOnly(XAException.XA_RBINTEGRITY);
            throw new LedgerException(ErrorCode.OVERFLOW, "the operations of transaction branch " + txId
                    + " on one account add up past a long; the branch can only roll back");
        }
        put(account, first);
        if (otherAccount != null) {
            put(otherAccount, second);
        }
    }

    private void put(String account, long sum) {
        if (sum == 0) {
            net.remove(account);
        } else {
            net.put(account, sum);
        }
    }

    /** Associates the branch with the calling thread again ({@code TMJOIN} or {@code TMRESUME}). */
    synchronized void associate(boolean resume) throws XAException {
        State expected = resume ? State.SUSPENDED : State.IDLE;
        if (state == State.ROLLBACK_ONLY) {
            throw BankXAResource.xaError(rollbackCode, "transaction branch " + txId + " can only roll back");
        }
        if (state != expected) {
            throw BankXAResource.xaError(XAException.XAER_PROTO, "cannot " + (resume ? "resume" : "join")
                    + " transaction branch " + txId + ", which is " + state);
        }
        state = State.ACTIVE;
        thread = Thread.currentThread();
    }

    /**
     * Ends the association ({@code end}); the caller forgets the thread it read from {@link #thread()} before.
     *
     * @throws XAException {@code XAER_PROTO} if the branch is not associated (or suspended, for a success or a
     *     failure); {@code XA_RB*} if it can only roll back because of a timeout or a refused operation
     */
    synchronized void end(long now, boolean suspend, boolean fail) throws XAException {
        boolean endable = state == State.ACTIVE || state == State.ROLLBACK_ONLY
                || state == State.SUSPENDED && !suspend;
        if (!endable) {
            throw BankXAResource.xaError(XAException.XAER_PROTO, "cannot end transaction branch " + txId
                    + ", which is " + state);
        }
        thread = null;
        if (fail) {
            markRollbackOnly(XAException.XA_RBROLLBACK);
            return; // what the transaction manager asked for: nothing to report
        }
        if (expired(now)) {
            markRollbackOnly(XAException.XA_RBTIMEOUT);
        }
        if (state == State.ROLLBACK_ONLY) {
            throw BankXAResource.xaError(rollbackCode, "transaction branch " + txId + " can only roll back");
        }
        state = suspend ? State.SUSPENDED : State.IDLE;
    }

    /**
     * Checks that the branch may be prepared or committed in one phase, and returns its legs.
     *
     * @throws XAException {@code XAER_PROTO} if it was not ended, {@code XA_RB*} if it can only roll back
     */
    synchronized List<Leg> legsToPrepare(long now) throws XAException {
        if (state == State.IDLE && expired(now)) {
            markRollbackOnly(XAException.XA_RBTIMEOUT);
        }
        if (state == State.ROLLBACK_ONLY) {
            throw BankXAResource.xaError(rollbackCode, "transaction branch " + txId + " can only roll back");
        }
        if (state != State.IDLE) {
            throw BankXAResource.xaError(XAException.XAER_PROTO, "transaction branch " + txId + " is " + state
                    + ": end it before prepare or commit");
        }
        List<Leg> legs = new ArrayList<>(net.size());
        net.forEach((account, amount) -> legs.add(new Leg(account, amount)));
        return legs;
    }

    /** Ends any association, for a rollback. {@return the thread it was associated with, or {@code null}} */
    synchronized Thread dissociate() {
        Thread was = thread;
        thread = null;
        markRollbackOnly(XAException.XA_RBROLLBACK);
        return was;
    }

    private boolean expired(long now) {
        return now - deadline >= 0;
    }

    private void markRollbackOnly(int code) {
        if (state != State.ROLLBACK_ONLY) {
            state = State.ROLLBACK_ONLY;
            rollbackCode = code;
        }
    }
}

package dev.ledger.journal.internal;

import dev.ledger.journal.JournalException;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Group commit: many threads wait for their records to be durable, and one flush makes all of them so. A thread
 * that finds its records already synced returns; one that finds the flush lock free becomes the leader and flushes
 * everything appended so far; the others park in {@code waiters} (not in the lock's queue) until a leader's flush
 * covers them. {@link #whenSynced} queues an action instead of parking; a leader, after it unlocks, runs the
 * actions its flush covered, and a flusher thread takes the rest.
 *
 * <p>Concurrency: {@code flushLock} guards the log's files: only its holder flushes, and the log's other file
 * operations (checkpoints, close) take it through {@link #lock()}. Every holder releases it through
 * {@link #unlock(boolean)}, the one unlock path, which wakes the waiters the holder's flush covered and one more
 * to lead the next flush, and passes on the queued actions. {@code waiters} and {@code actions} are concurrent
 * queues. No waiter sleeps forever: it registers before each look at the lock, so either it sees the lock free and
 * goes back to take it, or the holder it saw finds its entry after unlocking; an entry stays queued until its
 * records are synced. Claiming an action is a compare-and-set, so each runs once, and runners do not wait for one
 * another: an action that blocks holds up only its own runner. Actions run in the order of their targets.
 */
final class GroupCommit {
    private static final System.Logger LOG = System.getLogger(GroupCommit.class.getName());

    /**
     * The log that group commit makes durable. The reads are of volatile fields and need no lock; {@link #flush}
     * is called holding the flush lock.
     */
    interface Log {
        /** {@return the bytes appended so far} */
        long appendedBytes();

        /** {@return the bytes appended that are as durable as the log promises} */
        long syncedBytes();

        /** {@return the error that failed the log, or null} */
        JournalException failure();

        /** {@return whether the log is closed; closing synced everything} */
        boolean isClosed();

        /**
         * Writes, and forces as the log's mode promises, everything appended so far, advancing
         * {@link #syncedBytes()}. Called holding the flush lock, while the log is healthy and open.
         *
         * @throws JournalException having failed the log
         */
        void flush();

        /** {@return the error to give a caller once the log failed with {@code failure}} */
        JournalException failedEarlier(JournalException failure);
    }

    private final Log log;
    private final String flusherName;
    private final ReentrantLock flushLock = new ReentrantLock();
    /** Threads parked in awaitFlush, each until the log is synced up to its target; concurrent. */
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    /** Actions of whenSynced not yet run; concurrent. A thread runs an action only once it claimed it. */
    private final Queue<Action> actions = new ConcurrentLinkedQueue<>();
    /** Flushes for actions no caller's flush covered; started by the first whenSynced. */
    private final Flusher flusher = new Flusher();

    /**
     * @param log the log to make durable
     * @param flusherName the name of the flusher thread
     */
    GroupCommit(Log log, String flusherName) {
        this.log = log;
        this.flusherName = flusherName;
    }

    /** Takes the flush lock, for a file operation of the log's own; release it with {@link #unlock(boolean)}. */
    void lock() {
        flushLock.lock();
    }

    /** {@return whether this thread holds the flush lock} */
    boolean isHeldByCurrentThread() {
        return flushLock.isHeldByCurrentThread();
    }

    /**
     * Releases the flush lock, wakes the waiters that are synced and one that is not, to lead the next flush, and
     * passes on the queued actions: runs the synced ones on this thread if {@code runActions}, and leaves the
     * others to the flusher.
     *
     * @param runActions whether this thread may run actions: false if its caller may hold a bank's locks, since an
     *     action writes to a socket
     */
    void unlock(boolean runActions) {
        flushLock.unlock();
        wakeWaiters();
        if (!actions.isEmpty() && (!runActions || runSyncedActions())) {
            flusher.signal();
        }
    }

    /**
     * Returns once the log is synced up to {@code target} bytes: at once if it is, else after this thread's flush
     * or a leader's.
     *
     * @throws JournalException if the log failed
     */
    void sync(long target) {
        while (true) {
            throwIfFailed();
            if (log.syncedBytes() >= target) {
                return;
            }
            if (flushLock.tryLock()) {
                try {
                    throwIfFailed();
                    if (log.isClosed() || log.syncedBytes() >= target) {
                        return; // a leader before us synced our records
                    }
                    log.flush();
                } finally {
                    unlock(true);
                }
            } else {
                awaitFlush(target);
            }
        }
    }

    /**
     * Runs {@code action} once the log is synced up to {@code target} bytes: on this thread if it is, or if no
     * other thread is flushing (this one then flushes), else on the thread of the flush in progress or the next.
     */
    void whenSynced(long target, Consumer<? super JournalException> action) {
        JournalException failed = log.failure();
        if (failed != null) {
            action.accept(log.failedEarlier(failed));
            return;
        }
        if (log.syncedBytes() >= target || log.isClosed()) { // close synced everything
            action.accept(null);
            return;
        }
        flusher.startOnce();
        actions.add(new Action(target, action));
        if (flushLock.tryLock()) {
            flushAndUnlock();
        } // else the holder runs or hands over this action when it unlocks: it was queued before the tryLock
    }

    /** Lets the flusher thread see that the log closed: it runs what is left and ends. */
    void closed() {
        flusher.signal();
    }

    /** Flushes what is pending, holding the flush lock; then unlocks, running the synced actions. */
    private void flushAndUnlock() {
        try {
            if (log.failure() == null && !log.isClosed() && log.syncedBytes() < log.appendedBytes()) {
                log.flush();
            }
        } catch (JournalException e) {
            // the log failed; unlock passes the failure to every queued action and waiter
        } finally {
            unlock(true);
        }
    }

    private void throwIfFailed() {
        JournalException failed = log.failure();
        if (failed != null) {
            throw log.failedEarlier(failed);
        }
    }

    /**
     * Parks while another thread holds the flush lock and this thread's records are not yet synced. Waiting here,
     * rather than queueing on the lock, is what makes the commit a group commit: a lock hands over to one thread at
     * a time, so the waiters a flush covered would file out one context switch after another, and each would start
     * a flush of its own. Instead every holder, after it unlocks, wakes at once the waiters its flush covered, and
     * one waiter it did not, to take the lock and flush the rest.
     */
    private void awaitFlush(long target) {
        Waiter waiter = new Waiter(Thread.currentThread(), target);
        while (true) {
            waiters.add(waiter); // again after a wake-up: a leftover entry only costs a spurious wake-up
            if (log.syncedBytes() >= target || log.failure() != null || !flushLock.isLocked()) {
                return;
            }
            LockSupport.park(this);
        }
    }

    private void wakeWaiters() {
        long synced = log.syncedBytes();
        boolean wakeAll = log.failure() != null || log.isClosed();
        boolean leaderWoken = false;
        for (Iterator<Waiter> queued = waiters.iterator(); queued.hasNext(); ) {
            Waiter waiter = queued.next();
            if (wakeAll || waiter.target() <= synced) {
                queued.remove();
                LockSupport.unpark(waiter.thread());
            } else if (!leaderWoken) {
                LockSupport.unpark(waiter.thread());
                leaderWoken = true;
            }
        }
    }

    /**
     * Claims and runs, in queue order, the queued actions whose records are synced, or all of them with the
     * failure if the log failed, or with none if it is closed (close synced everything).
     *
     * @return whether actions are left that wait for a flush
     */
    private boolean runSyncedActions() {
        long synced = log.syncedBytes();
        JournalException failed = log.failure();
        boolean all = failed != null || log.isClosed();
        for (Iterator<Action> queued = actions.iterator(); queued.hasNext(); ) {
            Action next = queued.next();
            if ((all || next.target <= synced) && next.claim()) {
                queued.remove();
                next.run(failed == null ? null : log.failedEarlier(failed));
            }
        }
        return !actions.isEmpty();
    }

    /** A thread parked until the log is synced up to {@code target} bytes. */
    private record Waiter(Thread thread, long target) {
    }

    /** An action waiting until the log is synced up to {@code target} bytes; the flag says it is claimed. */
    @SuppressWarnings("serial") // never serialized
    private static final class Action extends AtomicBoolean {
        final long target;
        final Consumer<? super JournalException> action;

        Action(long target, Consumer<? super JournalException> action) {
            this.target = target;
            this.action = action;
        }

        boolean claim() {
            return !get() && compareAndSet(false, true);
        }

        void run(JournalException failure) {
            try {
                action.accept(failure);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "an action waiting for the journal failed", e);
            }
        }
    }

    /**
     * The thread that flushes for actions whose threads did not wait: while any is queued and not synced, it takes
     * the flush lock, flushes, and runs them. A daemon; it ends when the log closes.
     *
     * <p>Concurrency: {@code signaled} is set by any thread and cleared by the flusher before it looks at the queue,
     * so a signal sent while it flushes makes it look again; it parks only while no signal is pending.
     */
    private final class Flusher implements Runnable {
        private volatile boolean signaled;
        /** Set once, by startOnce; read by signal. */
        private volatile Thread thread;

        void startOnce() {
            if (thread == null) {
                synchronized (this) {
                    if (thread == null) {
                        Thread started = new Thread(this, flusherName);
                        started.setDaemon(true);
                        thread = started;
                        started.start();
                    }
                }
            }
        }

        void signal() {
            signaled = true;
            Thread flushing = thread;
            if (flushing != null) {
                LockSupport.unpark(flushing);
            }
        }

        @Override
        public void run() {
            while (!log.isClosed()) {
                if (!signaled) {
                    LockSupport.park(this);
                    continue;
                }
                signaled = false;
                while (!actions.isEmpty() && !log.isClosed()) {
                    flushLock.lock();
                    flushAndUnlock();
                }
            }
            runSyncedActions(); // close synced their records
        }
    }
}

package dev.ledger.lock;

import dev.ledger.Account;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * Flat combining (Hendler, Incze, Shavit and Tarjan, SPAA 2010): one combiner lock for the whole bank. A thread
 * that finds it free takes it, runs its own section, then runs the sections other threads published meanwhile and
 * hands each its result; a thread that finds it taken publishes its section in a slot and waits for a combiner to
 * run it. The accounts a batch touches stay in the combiner's cache, and a busy lock costs a waiter no park and
 * no hand-over: the lock moves between threads once per batch instead of once per operation. A thread that a
 * combiner served keeps its slot and publishes its next section there without touching the lock, so one thread
 * keeps combining while others keep publishing; it gives the slot up when no combiner comes and it takes the lock
 * itself.
 *
 * <p><b>Choose it</b> for a hot account among many (a fee account, a merchant, a treasury that most operations
 * touch) used by more threads than there are cores, or by threads often descheduled, where per-account locks
 * queue nearly every operation behind the hot account's lock and park the loser each time: a combiner runs a
 * waiter's operation even while the waiter is not running. <b>It costs</b> all parallelism, like
 * {@link GlobalLockStrategy}: at most one section runs at a time, so on many cold accounts it gives up what
 * per-account locks gain from disjoint transfers; with as many threads as cores, all running, a combiner is handed
 * at most one other operation per pass, and each costs it a cache-line round trip, so it measured no better than
 * the global lock there (see the benchmarks' README); a combiner's own call returns only after it has also run up
 * to {@value #PASSES} passes of other threads' sections, which adds to its latency; and a published
 * section runs on the combiner's thread, so it must not depend on which thread runs it (the bank's sections do
 * not: they read and write the accounts and append to the journal, whose sync covers every record appended before
 * it). A section's exception reaches the thread that published it. <b>Progress:</b> blocking and deadlock-free
 * (one lock; a section that calls the strategy again while its thread combines runs at once, since the combiner
 * holds every account). A published section runs in the first pass of the next combiner, and a combiner makes a
 * bounded number of passes; waiters spin, then yield, then park, and a combiner that releases the lock wakes every
 * parked waiter whose section it left, so one of them takes over. A thread that finds every slot taken competes
 * for the lock with bounded backoff, and could in theory be overtaken indefinitely.
 *
 * <p>Concurrency: {@code lock.state} (0 free, 1 held; CAS to take it, a volatile write to release it) guards the
 * fields of every account of the bank that owns this instance, and runs every section. A slot belongs to the
 * thread whose CAS moved it from {@code FREE} or {@code KEPT} to {@code CLAIMED}, until it sets it {@code FREE} or
 * {@code KEPT} again; {@code owner} is only a hint of whose a kept slot is. Its request fields
 * are written by its owner between claiming it and its volatile write of {@code PENDING}, and read by the
 * combiner after it reads {@code PENDING}; its result fields are written by the combiner before its volatile write
 * of {@code DONE}, and read by the owner after it reads {@code DONE}. {@code parked} and {@code lock.sleepers}
 * are volatile: a waiter sets them before it checks its slot and the lock a last time and parks, and a combiner
 * reads them after it writes {@code DONE} or releases the lock, so one of the two sees the other (no lost wakeup).
 * Give each bank its own instance.
 */
public final class CombiningLockStrategy implements LockStrategy {
    /** Passes a combiner makes over the slots at most, each after one that found work. */
    static final int PASSES = 3;
    /** Spins a waiter makes before it yields; it looks at the lock only every {@link #LOCK_CHECK_SPINS}. */
    static final int SPINS = 1 << 10;
    /** Spins between two looks at the lock: a look pulls the lock's line away from the combiner. */
    static final int LOCK_CHECK_SPINS = 32;
    /** Yields after the spins, before the waiter parks. */
    static final int YIELDS = 8;

    /**
     * Slot states: free to claim; claimed and being filled; published; run, result ready; kept by the owner a
     * combiner last served, for its next operation (another thread may still claim it).
     */
    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int PENDING = 2;
    static final int DONE = 3;
    static final int KEPT = 4;

    private final CombinerLock lock = new CombinerLock();
    /** Publication slots, fixed; a thread starts looking at one picked by its id. Each on its own cache lines. */
    private final Slot[] slots;
    private final int mask;

    /** Creates the strategy, with slots for twice the processors (at least 4, at most 64). */
    public CombiningLockStrategy() {
        int wanted = Math.max(4, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
        int size = Integer.highestOneBit(wanted - 1) << 1; // the power of two at or above
        slots = new Slot[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new Slot();
        }
        mask = size - 1;
    }

    @Override
    public Object newLock() {
        return null;
    }

    @Override
    public long write(Account first, Account second, long amount, PairSection section) {
        Slot kept = keptSlot();
        if (kept == null && lock.tryAcquire()) {
            try {
                return section.apply(first, second, amount);
            } finally {
                combineAndRelease();
            }
        }
        return await(kept, section, first, second, amount, null, null);
    }

    @Override
    public <T> long writeAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return exclusive(argument, section);
    }

    @Override
    public long read(Account account, ToLongFunction<Account> section) {
        return exclusive(account, section);
    }

    @Override
    public <T> long readAll(Account[] accounts, T argument, ToLongFunction<T> section) {
        return exclusive(argument, section); // every write runs under the same lock: a consistent cut
    }

    private <T> long exclusive(T argument, ToLongFunction<T> section) {
        Slot kept = keptSlot();
        if (kept == null && lock.tryAcquire()) {
            try {
                return section.applyAsLong(argument);
            } finally {
                combineAndRelease();
            }
        }
        @SuppressWarnings("unchecked")
        ToLongFunction<Object> erased = (ToLongFunction<Object>) section;
        return await(kept, null, null, null, 0, argument, erased);
    }

    /**
     * {@return the slot this thread kept after a combiner served it, claimed again, or null} A thread that keeps
     * its slot publishes there without touching the lock, so the lock's line and the accounts stay in the
     * combiner's cache instead of changing hands on every operation.
     */
    private Slot keptSlot() {
        long self = Thread.currentThread().getId();
        Slot home = slots[index(self)];
        if (home.state == KEPT && home.owner == self && home.tryClaim(KEPT)) {
            return home;
        }
        return null;
    }

    /**
     * Publishes the section in {@code kept}, or in a slot it claims, and waits until a combiner ran it or it takes
     * the lock itself; runs it at once if this thread holds the lock already.
     */
    private long await(Slot kept, PairSection pair, Account first, Account second, long amount,
            Object argument, ToLongFunction<Object> function) {
        Slot slot = kept;
        if (slot == null) {
            long self = Thread.currentThread().getId();
            if (lock.owner() == self) {
                // A section calling the strategy again on its combiner's thread: it already has every account.
                // (A thread holding the lock never has a kept slot: it keeps one only when another served it.)
                return pair != null ? pair.apply(first, second, amount) : function.applyAsLong(argument);
            }
            slot = claim(self);
            if (slot == null) {
                return contend(pair, first, second, amount, argument, function);
            }
        }
        slot.pair = pair;
        slot.first = first;
        slot.second = second;
        slot.amount = amount;
        slot.argument = argument;
        slot.function = function;
        slot.waiter = Thread.currentThread();
        slot.state = PENDING; // publishes the request to the combiner
        boolean interrupted = false;
        for (int round = 0; ; round++) {
            if (slot.state == DONE) {
                break;
            }
            // Not at once: the holder we just saw scans the slots after its section. Reading the lock pulls its
            // line from the holder, who then pays a miss to release it.
            boolean look = round >= SPINS || (round & (LOCK_CHECK_SPINS - 1)) == LOCK_CHECK_SPINS - 1;
            if (look && lock.tryAcquire()) {
                combineAndRelease(); // its first pass runs our section, unless a combiner already did
                return slot.take(false, interrupted); // no combiner came: keep no slot
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                slot.parked = true;
                lock.addSleeper(1);
                // Last look after announcing: a combiner that finished our section or released the lock since
                // reads parked or sleepers after it did so, and unparks us.
                if (slot.state != DONE && lock.isHeld()) {
                    LockSupport.park(this);
                    interrupted |= Thread.interrupted(); // else park would return at once from now on
                }
                lock.addSleeper(-1);
                slot.parked = false;
            }
        }
        return slot.take(true, interrupted);
    }

    /** Every slot was taken: compete for the lock itself, backing off between tries. */
    private long contend(PairSection pair, Account first, Account second, long amount,
            Object argument, ToLongFunction<Object> function) {
        for (int attempt = 0; ; attempt++) {
            if (lock.tryAcquire()) {
                try {
                    return pair != null ? pair.apply(first, second, amount) : function.applyAsLong(argument);
                } finally {
                    combineAndRelease();
                }
            }
            Backoff.pause(attempt); // its parks are timed, so no wake-up is needed
        }
    }

    /** {@return the index of the first slot a thread tries} */
    private int index(long threadId) {
        return (int) (threadId * 0x9E3779B97F4A7C15L >>> 40) & mask;
    }

    /**
     * Claims a free slot, or one another thread kept (it then publishes elsewhere), starting at the thread's own.
     * {@return the slot, or null if every slot is in use}
     */
    private Slot claim(long threadId) {
        int start = index(threadId);
        for (int i = 0; i < slots.length; i++) {
            Slot slot = slots[(start + i) & mask];
            int state = slot.state;
            if ((state == FREE || state == KEPT) && slot.tryClaim(state)) {
                slot.owner = threadId;
                return slot;
            }
        }
        return null;
    }

    /**
     * Holding the lock: runs the published sections, in passes over the slots, up to {@link #PASSES} of them, then
     * releases the lock and wakes the parked waiters whose sections are still pending, so that one takes over.
     */
    private void combineAndRelease() {
        Slot[] all = slots;
        for (int pass = 0; pass < PASSES; pass++) {
            boolean ran = false;
            for (Slot slot : all) {
                if (slot.state == PENDING) {
                    slot.run();
                    ran = true;
                }
            }
            if (!ran) {
                break;
            }
        }
        lock.release();
        if (lock.sleepers() != 0) {
            for (Slot slot : all) {
                if (slot.parked && slot.state == PENDING) {
                    LockSupport.unpark(slot.waiter);
                }
            }
        }
    }

    /** Padding before the hot fields, so that they share no cache line with another object's. */
    abstract static class PadBefore {
        long p01, p02, p03, p04, p05, p06, p07, p08;
        long p09, p10, p11, p12, p13, p14, p15, p16;
    }

    /** The combiner lock's fields. */
    abstract static class CombinerLockFields extends PadBefore {
        static final VarHandle STATE;
        static final VarHandle OWNER;
        static final VarHandle SLEEPERS;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                STATE = lookup.findVarHandle(CombinerLockFields.class, "state", int.class);
                OWNER = lookup.findVarHandle(CombinerLockFields.class, "owner", long.class);
                SLEEPERS = lookup.findVarHandle(CombinerLockFields.class, "sleepers", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** 0 free, 1 held. */
        volatile int state;
        /** The holder's thread id, 0 when free. Written only by the holder; read racily, only to detect itself. */
        long owner;
        /** Waiters parked or about to park. */
        volatile int sleepers;
    }

    /**
     * The combiner lock, on cache lines of its own.
     *
     * <p>Concurrency: see {@link CombiningLockStrategy}.
     */
    static final class CombinerLock extends CombinerLockFields {
        long q01, q02, q03, q04, q05, q06, q07, q08;
        long q09, q10, q11, q12, q13, q14, q15, q16;

        boolean tryAcquire() {
            if (state == 0 && STATE.compareAndSet(this, 0, 1)) {
                OWNER.setOpaque(this, Thread.currentThread().getId());
                return true;
            }
            return false;
        }

        boolean isHeld() {
            return state != 0;
        }

        long owner() {
            return (long) OWNER.getOpaque(this);
        }

        void release() {
            OWNER.setOpaque(this, 0L);
            state = 0; // volatile: orders the sections before, and the read of sleepers after
        }

        int sleepers() {
            return sleepers;
        }

        void addSleeper(int delta) {
            SLEEPERS.getAndAdd(this, delta);
        }
    }

    /** A slot's fields. */
    abstract static class SlotFields extends PadBefore {
        static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(SlotFields.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** FREE, CLAIMED, PENDING, DONE or KEPT; its volatile writes publish the fields below. */
        volatile int state;
        /** The id of the thread that claimed the slot last: whose it is while KEPT. Written after a claim. */
        volatile long owner;
        /** Whether the owner is parked or about to park. */
        volatile boolean parked;
        /** The request: a pair section and its arguments, or a function and its argument. Owner-written. */
        PairSection pair;
        Account first;
        Account second;
        long amount;
        Object argument;
        ToLongFunction<Object> function;
        /** The owner, to unpark. Owner-written. */
        Thread waiter;
        /** The section's result, or what it threw. Combiner-written. */
        long result;
        Throwable failure;
    }

    /**
     * One publication slot, on cache lines of its own.
     *
     * <p>Concurrency: see {@link CombiningLockStrategy}.
     */
    static final class Slot extends SlotFields {
        long q01, q02, q03, q04, q05, q06, q07, q08;
        long q09, q10, q11, q12, q13, q14, q15, q16;

        /** Claims the slot if it is still in {@code expected}, FREE or KEPT: only the CAS decides who owns it. */
        boolean tryClaim(int expected) {
            return STATE.compareAndSet(this, expected, CLAIMED);
        }

        /** Runs the published section, exactly once: only a combiner, holding the lock, turns PENDING into DONE. */
        void run() {
            try {
                result = pair != null ? pair.apply(first, second, amount) : function.applyAsLong(argument);
            } catch (Throwable t) {
                failure = t; // rethrown by the owner, on its own thread
            }
            state = DONE;
            if (parked) {
                LockSupport.unpark(waiter);
            }
        }

        /**
         * The owner, after DONE: {@return the result, or throws what the section threw}; keeps the slot for its next
         * operation if {@code keep}, else frees it; restores the interrupt the wait swallowed.
         */
        long take(boolean keep, boolean interrupted) {
            long value = result;
            Throwable thrown = failure;
            pair = null;
            first = null;
            second = null;
            argument = null;
            function = null;
            waiter = null;
            failure = null;
            state = keep ? KEPT : FREE;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (thrown != null) {
                throw CombiningLockStrategy.<RuntimeException>sneaky(thrown);
            }
            return value;
        }
    }

    /** Rethrows a section's throwable unchanged; sections throw only unchecked ones, whatever their type says. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * Scenario 6: opposing transfers never deadlock. Two threads loop {@value #ROUNDS} transfers of 1 each: a->b on the
 * test's actor, b->a on a partner thread the actor starts. Taking locks in request order would deadlock here (a
 * then b against b then a); a strategy must take them in one global order or back off.
 *
 * <p>jcstress {@link Mode#Termination} runs one actor, calls the {@code @Signal} method from another thread, and
 * reports TERMINATED if the actor then returns in time, STALE if it hangs. Here both loops wait for the signal so
 * that they start together, and the actor returns only once both are done: STALE means a deadlock. Every transfer
 * is funded whatever the interleaving, so the actor also checks that each one applied and that both balances end
 * where they started; if not it throws, which jcstress reports as ERROR.
 *
 * <p>jcstress pins a one-actor test to one CPU, so the partner thread shares it: the loops interleave when the
 * scheduler switches threads in the middle of a transfer. {@link DeadlockControl} shows that this catches a
 * lock-order deadlock.
 *
 * <p>This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t DeadlockFreedom -m quick}
 *
 * <p>Concurrency: {@code started} is the gate both loops wait on; the signal opens it. The accounts are guarded by
 * the strategy under test. The partner's failure is handed over through an {@code AtomicReference}, and
 * {@code join} orders it before the actor reads it.
 */
@Description("Opposing transfer loops a->b and b->a on two threads finish: no deadlock.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "Both loops finished, every transfer applied, money back.")
@Outcome(id = "STALE", expect = FORBIDDEN, desc = "The loops did not finish: a deadlock (or a livelock).")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "A transfer was refused, a loop failed, or the balances are wrong.")
public abstract class DeadlockFreedom extends LedgerState {
    /** Transfers per direction: the more there are, the more chances of a thread switch mid-transfer. */
    static final int ROUNDS = 1_000;

    private final Account a = bank.open("a", ROUNDS);
    private final Account b = bank.open("b", ROUNDS);
    private volatile boolean started;

    /**
     * Opens the accounts, {@value #ROUNDS} each.
     *
     * @param strategy the strategy under test
     */
    protected DeadlockFreedom(LockStrategies strategy) {
        super(strategy);
    }

    /** For {@link DeadlockControl}, whose strategy is not in the registry. */
    DeadlockFreedom(LockStrategy unregistered) {
        super(unregistered);
    }

    /**
     * Actor: starts the b->a loop on a partner thread, runs the a->b loop, waits for the partner, then checks
     * the end state.
     *
     * @throws InterruptedException if interrupted while waiting for the partner
     * @throws IllegalStateException if a transfer was refused or the balances are wrong
     */
    public void transferBothWays() throws InterruptedException {
        AtomicReference<Throwable> partnerFailure = new AtomicReference<>();
        Thread partner = new Thread(() -> {
            try {
                transferLoop(b, a);
            } catch (Throwable t) {
                partnerFailure.set(t);
            }
        }, "deadlock-freedom-b-to-a");
        partner.setDaemon(true); // a deadlocked partner must not keep the forked JVM alive
        partner.start();
        transferLoop(a, b);
        partner.join();
        if (partnerFailure.get() != null) {
            throw new IllegalStateException("the b->a loop failed", partnerFailure.get());
        }
        long balanceA = bank.balance(a);
        long balanceB = bank.balance(b);
        if (balanceA != ROUNDS || balanceB != ROUNDS) {
            throw new IllegalStateException("expected a = b = " + ROUNDS + ", got a = " + balanceA
                    + ", b = " + balanceB);
        }
    }

    /** Signal: lets both loops start. */
    public void startLoops() {
        started = true;
    }

    private void transferLoop(Account from, Account to) {
        while (!started) {
            Thread.yield(); // not a busy spin: two waiting threads must not starve the signalling thread
        }
        for (int i = 0; i < ROUNDS; i++) {
            if (!bank.transfer(from, to, 1).isOk()) {
                throw new IllegalStateException("transfer " + i + " " + from + "->" + to + " was refused");
            }
        }
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class Ordered extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class TryLock extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class Stamped extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class Synchronized extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class Global extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest(Mode.Termination)
    @State
    public static class Combining extends DeadlockFreedom {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
        @Signal public void startLoops() { super.startLoops(); }
    }
}

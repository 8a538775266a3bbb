package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.LedgerException;
import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Leg;
import java.time.Duration;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Two-phase commit: a commit races an abort for one prepared transaction. Exactly one wins; the loser gets a
 * conflict error, and the books show the winner's effect only: applied once, or released, never both or twice.
 *
 * <p>Result: {@code commit succeeded (1/0), abort succeeded (1/0), balance(a), balance(b), held(a)}. This class
 * holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t CommitRacingAbort -m quick}
 *
 * <p>Concurrency: the bank is final; its transaction table and the accounts are guarded inside the bank.
 */
@Description("Commit and abort of one prepared transaction race: exactly one wins.")
@Outcome(id = "1, 0, 90, 10, 0", expect = ACCEPTABLE, desc = "The commit won: applied once, hold released.")
@Outcome(id = "0, 1, 100, 0, 0", expect = ACCEPTABLE, desc = "The abort won: nothing applied, hold released.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Both or neither won, or the books show a half-applied state.")
public abstract class CommitRacingAbort extends LedgerState {
    /**
     * Opens the accounts, a with 100 and b empty, and prepares transaction t: 10 from a to b.
     *
     * @param strategy the strategy under test
     */
    protected CommitRacingAbort(LockStrategies strategy) {
        super(strategy);
        bank.open("a", 100);
        bank.open("b", 0);
        bank.prepare("t", List.of(Leg.debit("a", 10), Leg.credit("b", 10)), Duration.ofMinutes(1));
    }

    /**
     * Actor: commits t.
     *
     * @param r the result; sets r1
     */
    public void commit(JJJJJ_Result r) {
        try {
            bank.commit("t");
            r.r1 = 1;
        } catch (LedgerException conflict) {
            r.r1 = 0;
        }
    }

    /**
     * Actor: aborts t.
     *
     * @param r the result; sets r2
     */
    public void abort(JJJJJ_Result r) {
        try {
            bank.abort("t");
            r.r2 = 1;
        } catch (LedgerException conflict) {
            r.r2 = 0;
        }
    }

    /**
     * Arbiter: reads the books.
     *
     * @param r the result; sets r3 to r5
     */
    public void readEndState(JJJJJ_Result r) {
        r.r3 = bank.balance("a");
        r.r4 = bank.balance("b");
        r.r5 = bank.position("a").held();
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends CommitRacingAbort {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void commit(JJJJJ_Result r) { super.commit(r); }
        @Actor public void abort(JJJJJ_Result r) { super.abort(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
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
 * Two-phase commit is idempotent under races: two actors each send the same prepare, then the same commit, as a
 * coordinator retrying after a lost reply would. Both see COMMIT and COMMITTED, and the legs apply exactly once.
 *
 * <p>Result: {@code actor 1 saw COMMIT and COMMITTED (1/0), actor 2 likewise, balance(a), balance(b), held(a)}.
 * This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t RepeatedPrepareAndCommit -m quick}
 *
 * <p>Concurrency: the bank is final; its transaction table and the accounts are guarded inside the bank.
 */
@Description("The same prepare and commit sent twice at once: both succeed, applied exactly once.")
@Outcome(id = "1, 1, 90, 10, 0", expect = ACCEPTABLE, desc = "Idempotent: both succeeded, applied once.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A repeat failed, or the legs applied twice or not at all.")
public abstract class RepeatedPrepareAndCommit extends LedgerState {
    private static final List<Leg> LEGS = List.of(Leg.debit("a", 10), Leg.credit("b", 10));

    /**
     * Opens the accounts: a with 100, b empty.
     *
     * @param strategy the strategy under test
     */
    protected RepeatedPrepareAndCommit(LockStrategies strategy) {
        super(strategy);
        bank.open("a", 100);
        bank.open("b", 0);
    }

    private long prepareThenCommit() {
        boolean voted = bank.prepare("t", LEGS, Duration.ofMinutes(1)).commit();
        return voted && bank.commit("t") == TxState.COMMITTED ? 1 : 0;
    }

    /**
     * Actor: prepare then commit.
     *
     * @param r the result; sets r1
     */
    public void first(JJJJJ_Result r) {
        r.r1 = prepareThenCommit();
    }

    /**
     * Actor: the same prepare then commit.
     *
     * @param r the result; sets r2
     */
    public void second(JJJJJ_Result r) {
        r.r2 = prepareThenCommit();
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
    public static class Ordered extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends RepeatedPrepareAndCommit {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void first(JJJJJ_Result r) { super.first(r); }
        @Actor public void second(JJJJJ_Result r) { super.second(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }
}

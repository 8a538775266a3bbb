package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Debit;
import dev.ledger.lock.LockStrategies;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJJ_Result;

/**
 * Scenario 5: a multi-leg transfer racing a single transfer on an overlapping account. The multi-leg transfer
 * takes 60 from b and 60 from a into c; the single transfer takes 60 from a into d. Account a holds 100, so the
 * two cannot both be funded: whichever runs first wins and the other is refused. A refused multi-leg transfer
 * changes nothing, so b keeps its 100 even though it could have paid its leg (all or nothing).
 *
 * <p>Result: {@code multi-leg outcome, single outcome (1 = OK, 0 = insufficient funds), balance(a), balance(b),
 * balance(c), balance(d)}. This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t MultiLegRacingTransfer -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("Multi-leg {b 60, a 60} -> c racing a -> d (60), a holding 100: exactly one wins, all or nothing.")
@Outcome(id = "1, 0, 40, 40, 120, 0", expect = ACCEPTABLE, desc = "The multi-leg transfer won; the single refused.")
@Outcome(id = "0, 1, 40, 100, 0, 60", expect = ACCEPTABLE,
        desc = "The single transfer won; the multi-leg refused as a whole, b untouched.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Both or neither applied, a half-applied multi-leg, or a lost update.")
public abstract class MultiLegRacingTransfer extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);
    private final Account c = bank.open("c", 0);
    private final Account d = bank.open("d", 0);
    /** Listed b first, against the lock order (a was opened first), so strategies must sort or back off. */
    private final List<Debit> legs = List.of(Debit.of(b, 60), Debit.of(a, 60));

    /**
     * Opens the accounts: a and b with 100 each, c and d empty.
     *
     * @param strategy the strategy under test
     */
    protected MultiLegRacingTransfer(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: takes 60 from b and 60 from a into c, all or nothing.
     *
     * @param r the result; sets r1
     */
    public void multiLeg(JJJJJJ_Result r) {
        r.r1 = applied(bank.transfer(c, legs));
    }

    /**
     * Actor: tries to move 60 from a to d.
     *
     * @param r the result; sets r2
     */
    public void single(JJJJJJ_Result r) {
        r.r2 = applied(bank.transfer(a, d, 60));
    }

    /**
     * Arbiter: reads the end state.
     *
     * @param r the result; sets r3 to r6
     */
    public void readEndState(JJJJJJ_Result r) {
        r.r3 = bank.balance(a);
        r.r4 = bank.balance(b);
        r.r5 = bank.balance(c);
        r.r6 = bank.balance(d);
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends MultiLegRacingTransfer {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void multiLeg(JJJJJJ_Result r) { super.multiLeg(r); }
        @Actor public void single(JJJJJJ_Result r) { super.single(r); }
        @Arbiter public void readEndState(JJJJJJ_Result r) { super.readEndState(r); }
    }
}

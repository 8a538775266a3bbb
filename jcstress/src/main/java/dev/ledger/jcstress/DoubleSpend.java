package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Scenario 4: a double spend. Account a holds 100 and two actors each try to move 70 out of it, to b and to c.
 * Only one can be funded: exactly one transfer is OK, the other is refused, and no balance goes negative.
 *
 * <p>Result: {@code a->b outcome, a->c outcome (1 = OK, 0 = insufficient funds), balance(a), balance(b),
 * balance(c)}. This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t DoubleSpend -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("Two transfers of 70 from an account holding 100: exactly one is OK, nothing goes negative.")
@Outcome(id = "1, 0, 30, 70, 0", expect = ACCEPTABLE, desc = "a->b won; a->c refused.")
@Outcome(id = "0, 1, 30, 0, 70", expect = ACCEPTABLE, desc = "a->c won; a->b refused.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A double spend, a negative balance, both refused or a lost update.")
public abstract class DoubleSpend extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 0);
    private final Account c = bank.open("c", 0);

    /**
     * Opens the accounts: a with 100, b and c empty.
     *
     * @param strategy the strategy under test
     */
    protected DoubleSpend(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: tries to move 70 from a to b.
     *
     * @param r the result; sets r1
     */
    public void spendToB(JJJJJ_Result r) {
        r.r1 = applied(bank.transfer(a, b, 70));
    }

    /**
     * Actor: tries to move 70 from a to c.
     *
     * @param r the result; sets r2
     */
    public void spendToC(JJJJJ_Result r) {
        r.r2 = applied(bank.transfer(a, c, 70));
    }

    /**
     * Arbiter: reads the end state.
     *
     * @param r the result; sets r3 to r5
     */
    public void readEndState(JJJJJ_Result r) {
        r.r3 = bank.balance(a);
        r.r4 = bank.balance(b);
        r.r5 = bank.balance(c);
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends DoubleSpend {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends DoubleSpend {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends DoubleSpend {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends DoubleSpend {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends DoubleSpend {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends DoubleSpend {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void spendToB(JJJJJ_Result r) { super.spendToB(r); }
        @Actor public void spendToC(JJJJJ_Result r) { super.spendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Scenario 1: two transfers in opposite directions between the same two accounts, one per actor, then an arbiter
 * reads both balances and the bank's total. Both transfers are funded whatever their order, so there is exactly
 * one right end state; any other is money created or destroyed (a lost update or a half-done transfer).
 *
 * <p>Result: {@code a->b outcome, b->a outcome, balance(a), balance(b), total()}; an outcome is 1 for OK, 0 for
 * insufficient funds. This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t OpposingTransfers -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("Opposing transfers a->b (30) and b->a (50) from 100 each: both apply and money is conserved.")
@Outcome(id = "1, 1, 120, 80, 200", expect = ACCEPTABLE, desc = "Both transfers applied; money conserved.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A refused transfer, a lost update or a half-done transfer.")
public abstract class OpposingTransfers extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);

    /**
     * Opens the accounts, 100 each, in a bank using one of the library's strategies.
     *
     * @param strategy the strategy under test
     */
    protected OpposingTransfers(LockStrategies strategy) {
        super(strategy);
    }

    /** For {@link LostUpdateControl}, whose strategy is not in the registry. */
    OpposingTransfers(LockStrategy unregistered) {
        super(unregistered);
    }

    /**
     * Actor: moves 30 from a to b.
     *
     * @param r the result; sets r1
     */
    public void transferAToB(JJJJJ_Result r) {
        r.r1 = applied(bank.transfer(a, b, 30));
    }

    /**
     * Actor: moves 50 from b to a.
     *
     * @param r the result; sets r2
     */
    public void transferBToA(JJJJJ_Result r) {
        r.r2 = applied(bank.transfer(b, a, 50));
    }

    /**
     * Arbiter: reads the end state.
     *
     * @param r the result; sets r3 to r5
     */
    public void readEndState(JJJJJ_Result r) {
        r.r3 = bank.balance(a);
        r.r4 = bank.balance(b);
        r.r5 = bank.total();
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends OpposingTransfers {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
        @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }
}

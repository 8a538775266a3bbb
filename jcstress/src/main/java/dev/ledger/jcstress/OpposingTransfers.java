package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
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
 * insufficient funds. This class holds the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t OpposingTransfers -m quick}
 */
@Description("Opposing transfers a->b (30) and b->a (50) from 100 each: both apply and money is conserved.")
@Outcome(id = "1, 1, 120, 80, 200", expect = ACCEPTABLE, desc = "Both transfers applied; money conserved.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A refused transfer, a lost update or a half-done transfer.")
public final class OpposingTransfers {
    private OpposingTransfers() {
    }

    /**
     * The race, shared by every strategy: accounts a and b open with 100 each.
     *
     * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
     */
    public abstract static class Race extends LedgerState {
        private final Account a;
        private final Account b;

        /**
         * Opens the accounts in a bank using one of the library's strategies.
         *
         * @param strategy the strategy under test
         */
        protected Race(LockStrategies strategy) {
            super(strategy);
            a = bank.open("a", 100);
            b = bank.open("b", 100);
        }

        /** For {@link LostUpdateControl}, whose strategy is not in the registry. */
        Race(LockStrategy unregistered) {
            super(unregistered);
            a = bank.open("a", 100);
            b = bank.open("b", 100);
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
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @JCStressMeta(OpposingTransfers.class)
    @State
    public static class Ordered extends Race {
        /** Builds the race with the strategy. */
        public Ordered() {
            super(LockStrategies.ORDERED);
        }

        @Actor
        @Override
        public void transferAToB(JJJJJ_Result r) {
            super.transferAToB(r);
        }

        @Actor
        @Override
        public void transferBToA(JJJJJ_Result r) {
            super.transferBToA(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @JCStressMeta(OpposingTransfers.class)
    @State
    public static class TryLock extends Race {
        /** Builds the race with the strategy. */
        public TryLock() {
            super(LockStrategies.TRYLOCK);
        }

        @Actor
        @Override
        public void transferAToB(JJJJJ_Result r) {
            super.transferAToB(r);
        }

        @Actor
        @Override
        public void transferBToA(JJJJJ_Result r) {
            super.transferBToA(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @JCStressMeta(OpposingTransfers.class)
    @State
    public static class Stamped extends Race {
        /** Builds the race with the strategy. */
        public Stamped() {
            super(LockStrategies.STAMPED);
        }

        @Actor
        @Override
        public void transferAToB(JJJJJ_Result r) {
            super.transferAToB(r);
        }

        @Actor
        @Override
        public void transferBToA(JJJJJ_Result r) {
            super.transferBToA(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @JCStressMeta(OpposingTransfers.class)
    @State
    public static class Synchronized extends Race {
        /** Builds the race with the strategy. */
        public Synchronized() {
            super(LockStrategies.SYNCHRONIZED);
        }

        @Actor
        @Override
        public void transferAToB(JJJJJ_Result r) {
            super.transferAToB(r);
        }

        @Actor
        @Override
        public void transferBToA(JJJJJ_Result r) {
            super.transferBToA(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @JCStressMeta(OpposingTransfers.class)
    @State
    public static class Global extends Race {
        /** Builds the race with the strategy. */
        public Global() {
            super(LockStrategies.GLOBAL);
        }

        @Actor
        @Override
        public void transferAToB(JJJJJ_Result r) {
            super.transferAToB(r);
        }

        @Actor
        @Override
        public void transferBToA(JJJJJ_Result r) {
            super.transferBToA(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJ_Result r) {
            super.readEndState(r);
        }
    }
}

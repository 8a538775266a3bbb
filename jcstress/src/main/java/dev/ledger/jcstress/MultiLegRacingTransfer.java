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
import org.openjdk.jcstress.annotations.JCStressMeta;
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
 * balance(c), balance(d)}. This class holds the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t MultiLegRacingTransfer -m quick}
 */
@Description("Multi-leg {b 60, a 60} -> c racing a -> d (60), a holding 100: exactly one wins, all or nothing.")
@Outcome(id = "1, 0, 40, 40, 120, 0", expect = ACCEPTABLE, desc = "The multi-leg transfer won; the single refused.")
@Outcome(id = "0, 1, 40, 100, 0, 60", expect = ACCEPTABLE,
        desc = "The single transfer won; the multi-leg refused as a whole, b untouched.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Both or neither applied, a half-applied multi-leg, or a lost update.")
public final class MultiLegRacingTransfer {
    private MultiLegRacingTransfer() {
    }

    /**
     * The race, shared by every strategy: a and b open with 100 each, c and d empty.
     *
     * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
     */
    public abstract static class Race extends LedgerState {
        private final Account a;
        private final Account b;
        private final Account c;
        private final Account d;
        /** Listed b first, against the lock order (a was opened first), so strategies must sort or back off. */
        private final List<Debit> legs;

        /**
         * Opens the accounts.
         *
         * @param strategy the strategy under test
         */
        protected Race(LockStrategies strategy) {
            super(strategy);
            a = bank.open("a", 100);
            b = bank.open("b", 100);
            c = bank.open("c", 0);
            d = bank.open("d", 0);
            legs = List.of(Debit.of(b, 60), Debit.of(a, 60));
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
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @JCStressMeta(MultiLegRacingTransfer.class)
    @State
    public static class Ordered extends Race {
        /** Builds the race with the strategy. */
        public Ordered() {
            super(LockStrategies.ORDERED);
        }

        @Actor
        @Override
        public void multiLeg(JJJJJJ_Result r) {
            super.multiLeg(r);
        }

        @Actor
        @Override
        public void single(JJJJJJ_Result r) {
            super.single(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @JCStressMeta(MultiLegRacingTransfer.class)
    @State
    public static class TryLock extends Race {
        /** Builds the race with the strategy. */
        public TryLock() {
            super(LockStrategies.TRYLOCK);
        }

        @Actor
        @Override
        public void multiLeg(JJJJJJ_Result r) {
            super.multiLeg(r);
        }

        @Actor
        @Override
        public void single(JJJJJJ_Result r) {
            super.single(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @JCStressMeta(MultiLegRacingTransfer.class)
    @State
    public static class Stamped extends Race {
        /** Builds the race with the strategy. */
        public Stamped() {
            super(LockStrategies.STAMPED);
        }

        @Actor
        @Override
        public void multiLeg(JJJJJJ_Result r) {
            super.multiLeg(r);
        }

        @Actor
        @Override
        public void single(JJJJJJ_Result r) {
            super.single(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @JCStressMeta(MultiLegRacingTransfer.class)
    @State
    public static class Synchronized extends Race {
        /** Builds the race with the strategy. */
        public Synchronized() {
            super(LockStrategies.SYNCHRONIZED);
        }

        @Actor
        @Override
        public void multiLeg(JJJJJJ_Result r) {
            super.multiLeg(r);
        }

        @Actor
        @Override
        public void single(JJJJJJ_Result r) {
            super.single(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJJ_Result r) {
            super.readEndState(r);
        }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @JCStressMeta(MultiLegRacingTransfer.class)
    @State
    public static class Global extends Race {
        /** Builds the race with the strategy. */
        public Global() {
            super(LockStrategies.GLOBAL);
        }

        @Actor
        @Override
        public void multiLeg(JJJJJJ_Result r) {
            super.multiLeg(r);
        }

        @Actor
        @Override
        public void single(JJJJJJ_Result r) {
            super.single(r);
        }

        @Arbiter
        @Override
        public void readEndState(JJJJJJ_Result r) {
            super.readEndState(r);
        }
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Snapshot;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Scenario 2: a transfer racing a snapshot, and then the bank's {@code total()}, on another thread. A snapshot is a
 * consistent cut, so it sees the transfer entirely or not at all, and its total is always the bank's constant
 * money; so is {@code total()}. A torn cut (a debited and b not yet credited, or the reverse) is forbidden.
 *
 * <p>Result: {@code transfer outcome (1 = OK), snapshot balance a, snapshot balance b, snapshot total, total()}.
 * This class holds the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t SnapshotDuringTransfer -m quick}
 */
@Description("A transfer a->b (30) racing snapshot() and total(): the cut is before or after, the total is 200.")
@Outcome(id = "1, 100, 100, 200, 200", expect = ACCEPTABLE, desc = "The snapshot was cut before the transfer.")
@Outcome(id = "1, 70, 130, 200, 200", expect = ACCEPTABLE, desc = "The snapshot was cut after the transfer.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A torn cut or a wrong total: the snapshot saw half a transfer.")
public final class SnapshotDuringTransfer {
    private SnapshotDuringTransfer() {
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
         * Opens the accounts.
         *
         * @param strategy the strategy under test
         */
        protected Race(LockStrategies strategy) {
            super(strategy);
            a = bank.open("a", 100);
            b = bank.open("b", 100);
        }

        /**
         * Actor: moves 30 from a to b.
         *
         * @param r the result; sets r1
         */
        public void transfer(JJJJJ_Result r) {
            r.r1 = applied(bank.transfer(a, b, 30));
        }

        /**
         * Actor: takes a snapshot, then asks for the total.
         *
         * @param r the result; sets r2 to r5
         */
        public void snapshotAndTotal(JJJJJ_Result r) {
            Snapshot cut = bank.snapshot();
            r.r2 = cut.balance(a.ordinal()); // a snapshot lists accounts in opening order, by ordinal
            r.r3 = cut.balance(b.ordinal());
            r.r4 = cut.total();
            r.r5 = bank.total();
        }
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @JCStressMeta(SnapshotDuringTransfer.class)
    @State
    public static class Ordered extends Race {
        /** Builds the race with the strategy. */
        public Ordered() {
            super(LockStrategies.ORDERED);
        }

        @Actor
        @Override
        public void transfer(JJJJJ_Result r) {
            super.transfer(r);
        }

        @Actor
        @Override
        public void snapshotAndTotal(JJJJJ_Result r) {
            super.snapshotAndTotal(r);
        }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @JCStressMeta(SnapshotDuringTransfer.class)
    @State
    public static class TryLock extends Race {
        /** Builds the race with the strategy. */
        public TryLock() {
            super(LockStrategies.TRYLOCK);
        }

        @Actor
        @Override
        public void transfer(JJJJJ_Result r) {
            super.transfer(r);
        }

        @Actor
        @Override
        public void snapshotAndTotal(JJJJJ_Result r) {
            super.snapshotAndTotal(r);
        }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @JCStressMeta(SnapshotDuringTransfer.class)
    @State
    public static class Stamped extends Race {
        /** Builds the race with the strategy. */
        public Stamped() {
            super(LockStrategies.STAMPED);
        }

        @Actor
        @Override
        public void transfer(JJJJJ_Result r) {
            super.transfer(r);
        }

        @Actor
        @Override
        public void snapshotAndTotal(JJJJJ_Result r) {
            super.snapshotAndTotal(r);
        }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @JCStressMeta(SnapshotDuringTransfer.class)
    @State
    public static class Synchronized extends Race {
        /** Builds the race with the strategy. */
        public Synchronized() {
            super(LockStrategies.SYNCHRONIZED);
        }

        @Actor
        @Override
        public void transfer(JJJJJ_Result r) {
            super.transfer(r);
        }

        @Actor
        @Override
        public void snapshotAndTotal(JJJJJ_Result r) {
            super.snapshotAndTotal(r);
        }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @JCStressMeta(SnapshotDuringTransfer.class)
    @State
    public static class Global extends Race {
        /** Builds the race with the strategy. */
        public Global() {
            super(LockStrategies.GLOBAL);
        }

        @Actor
        @Override
        public void transfer(JJJJJ_Result r) {
            super.transfer(r);
        }

        @Actor
        @Override
        public void snapshotAndTotal(JJJJJ_Result r) {
            super.snapshotAndTotal(r);
        }
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Snapshot;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
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
 * This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t SnapshotDuringTransfer -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("A transfer a->b (30) racing snapshot() and total(): the cut is before or after, the total is 200.")
@Outcome(id = "1, 100, 100, 200, 200", expect = ACCEPTABLE, desc = "The snapshot was cut before the transfer.")
@Outcome(id = "1, 70, 130, 200, 200", expect = ACCEPTABLE, desc = "The snapshot was cut after the transfer.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A torn cut or a wrong total: the snapshot saw half a transfer.")
public abstract class SnapshotDuringTransfer extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);

    /**
     * Opens the accounts, 100 each.
     *
     * @param strategy the strategy under test
     */
    protected SnapshotDuringTransfer(LockStrategies strategy) {
        super(strategy);
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

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends SnapshotDuringTransfer {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void transfer(JJJJJ_Result r) { super.transfer(r); }
        @Actor public void snapshotAndTotal(JJJJJ_Result r) { super.snapshotAndTotal(r); }
    }
}

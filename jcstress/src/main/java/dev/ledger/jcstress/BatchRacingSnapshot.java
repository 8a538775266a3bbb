package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Snapshot;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.lock.LockStrategies;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * A batch of transfers racing a snapshot. The batch is a->b 10, b->c 20, c->a 40 among three accounts holding 100
 * each; the first and last carry ids and the middle one none, so both ways of applying a transfer run. Each
 * transfer is atomic but the batch is not, so the snapshot may fall between two of its transfers: it must show
 * the books after a prefix of the batch (none, the first, the first two, or all three), each with the total 300.
 * A torn transfer (money debited and not yet credited, or the reverse) or the transfers out of order are
 * forbidden.
 *
 * <p>Result: {@code number of the batch's transfers that were OK, snapshot balance a, b, c, snapshot total}.
 * The prefixes' books are 100/100/100, 90/110/100, 90/90/120 and 130/90/80, all distinct. This class holds the
 * race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t BatchRacingSnapshot -m quick}
 *
 * <p>Concurrency: the fields are final and the batch is immutable; the accounts' money is guarded by the strategy
 * under test.
 */
@Description("A batch a->b 10, b->c 20, c->a 40 racing snapshot(): the cut shows a prefix of the batch, total 300.")
@Outcome(id = "3, 100, 100, 100, 300", expect = ACCEPTABLE, desc = "Cut before the batch.")
@Outcome(id = "3, 90, 110, 100, 300", expect = ACCEPTABLE, desc = "Cut after a->b.")
@Outcome(id = "3, 90, 90, 120, 300", expect = ACCEPTABLE, desc = "Cut after a->b and b->c.")
@Outcome(id = "3, 130, 90, 80, 300", expect = ACCEPTABLE, desc = "Cut after the whole batch.")
@Outcome(id = ".*", expect = FORBIDDEN,
        desc = "A torn transfer (money created or lost), transfers seen out of order, or a transfer refused.")
public abstract class BatchRacingSnapshot extends LedgerState {
    private static final List<Transfer> BATCH = List.of(
            Transfer.of("b-1", "a", "b", 10),
            new Transfer(null, "b", "c", 20),
            Transfer.of("b-3", "c", "a", 40));

    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);
    private final Account c = bank.open("c", 100);

    /**
     * Opens the accounts, 100 each.
     *
     * @param strategy the strategy under test
     */
    protected BatchRacingSnapshot(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: applies the batch.
     *
     * @param r the result; sets r1
     */
    public void applyBatch(JJJJJ_Result r) {
        List<TransferStatus> statuses = bank.transfers(BATCH);
        r.r1 = statuses.stream().filter(s -> s == TransferStatus.OK).count();
    }

    /**
     * Actor: takes a snapshot.
     *
     * @param r the result; sets r2 to r5
     */
    public void snapshot(JJJJJ_Result r) {
        Snapshot cut = bank.snapshot();
        r.r2 = cut.balance(a.ordinal()); // a snapshot lists accounts in opening order, by ordinal
        r.r3 = cut.balance(b.ordinal());
        r.r4 = cut.balance(c.ordinal());
        r.r5 = cut.total();
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends BatchRacingSnapshot {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void applyBatch(JJJJJ_Result r) { super.applyBatch(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }
}

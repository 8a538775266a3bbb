package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Snapshot;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * A linked chain racing a snapshot. The chain is a->b 10, b->c 20, c->a 40 among three accounts holding 100 each,
 * each transfer linked to the next; the first and last carry ids and the middle one none. A chain is applied all or
 * none, so the snapshot must show the books before it (100/100/100) or after it (130/90/80), never a prefix, as the
 * same transfers unlinked may show ({@link BatchRacingSnapshot}; {@link ChainControl} sends them unlinked here).
 *
 * <p>Result: {@code number of the chain's transfers that were OK, snapshot balance a, b, c, snapshot total}. This
 * class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t ChainRacingSnapshot -m quick}
 *
 * <p>Concurrency: the fields are final and the chain is immutable; the accounts' money is guarded by the strategy
 * under test.
 */
@Description("A linked chain a->b 10, b->c 20, c->a 40 racing snapshot(): the cut shows none or all of it.")
@Outcome(id = "3, 100, 100, 100, 300", expect = ACCEPTABLE, desc = "Cut before the chain.")
@Outcome(id = "3, 130, 90, 80, 300", expect = ACCEPTABLE, desc = "Cut after the chain.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A cut inside the chain, a torn transfer, or a link refused.")
public abstract class ChainRacingSnapshot extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);
    private final Account c = bank.open("c", 100);
    private final List<Transfer> chain;

    /**
     * Opens the accounts, 100 each.
     *
     * @param strategy the strategy under test
     */
    protected ChainRacingSnapshot(LockStrategies strategy) {
        super(strategy);
        this.chain = chain(true);
    }

    /**
     * Opens the accounts on a given strategy instance, sending the transfers linked or not.
     *
     * @param strategy the strategy
     * @param linked whether the transfers are linked into one chain
     */
    protected ChainRacingSnapshot(LockStrategy strategy, boolean linked) {
        super(strategy);
        this.chain = chain(linked);
    }

    private static List<Transfer> chain(boolean linked) {
        List<Transfer> transfers = List.of(Transfer.of("k-1", "a", "b", 10), new Transfer(null, "b", "c", 20),
                Transfer.of("k-3", "c", "a", 40));
        return linked ? List.of(transfers.get(0).linkedToNext(), transfers.get(1).linkedToNext(), transfers.get(2))
                : transfers;
    }

    /**
     * Actor: applies the chain.
     *
     * @param r the result; sets r1
     */
    public void applyChain(JJJJJ_Result r) {
        r.r1 = bank.transfers(chain).stream().filter(s -> s == TransferStatus.OK).count();
    }

    /**
     * Actor: takes a snapshot.
     *
     * @param r the result; sets r2 to r5
     */
    public void snapshot(JJJJJ_Result r) {
        Snapshot cut = bank.snapshot();
        r.r2 = cut.balance(a.ordinal());
        r.r3 = cut.balance(b.ordinal());
        r.r4 = cut.balance(c.ordinal());
        r.r5 = cut.total();
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends ChainRacingSnapshot {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
        @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
    }
}

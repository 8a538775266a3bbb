package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJ_Result;

/**
 * Scenario 3: a transfer a->b racing a reader that calls {@code balance(a)}, then {@code balance(b)}.
 *
 * <p>What is guaranteed: the transfer and each {@code balance()} are linearizable, each taking effect at one
 * instant within its call. So each read sees its account wholly before or wholly after the transfer. Two reads
 * are two instants, not one cut, so the reader may see a before and b after the transfer (money seemingly counted
 * twice, which is why {@code snapshot()} exists). But b is read after a: if the read of a comes after the
 * transfer's instant, so does the read of b. So "a after, b before" is forbidden, as is any value other than a
 * before or after value.
 *
 * <p>Result: {@code transfer outcome (1 = OK), balance(a), balance(b)}. This class holds the race and the outcome
 * spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t BalanceReadsDuringTransfer -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("A transfer a->b (30) racing balance(a) then balance(b): each read is before or after, in order.")
@Outcome(id = "1, 100, 100", expect = ACCEPTABLE, desc = "Both reads before the transfer.")
@Outcome(id = "1, 70, 130", expect = ACCEPTABLE, desc = "Both reads after the transfer.")
@Outcome(id = "1, 100, 130", expect = ACCEPTABLE_INTERESTING,
        desc = "a read before the transfer, b after: two balance() calls are not one cut; snapshot() is.")
@Outcome(id = ".*", expect = FORBIDDEN,
        desc = "A torn value, or a read after the transfer followed by b read before it.")
public abstract class BalanceReadsDuringTransfer extends LedgerState {
    private final Account a = bank.open("a", 100);
    private final Account b = bank.open("b", 100);

    /**
     * Opens the accounts, 100 each.
     *
     * @param strategy the strategy under test
     */
    protected BalanceReadsDuringTransfer(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: moves 30 from a to b.
     *
     * @param r the result; sets r1
     */
    public void transfer(JJJ_Result r) {
        r.r1 = applied(bank.transfer(a, b, 30));
    }

    /**
     * Actor: reads a, then b; the order is what makes "a after, b before" impossible.
     *
     * @param r the result; sets r2 and r3
     */
    public void readAThenB(JJJ_Result r) {
        r.r2 = bank.balance(a);
        r.r3 = bank.balance(b);
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends BalanceReadsDuringTransfer {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void transfer(JJJ_Result r) { super.transfer(r); }
        @Actor public void readAThenB(JJJ_Result r) { super.readAThenB(r); }
    }
}

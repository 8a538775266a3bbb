package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Transfer;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Two different transfers under one id, sent at once: t-1 as a->b 70 and t-1 as a->c 70. One id applies at most
 * one transfer, so whichever comes first is OK and the other is refused with ID_CONFLICT, and the money moves
 * once. Account a holds 200, enough for both, so only the id can refuse the second.
 *
 * <p>Result: {@code a->b status, a->c status (1 = OK, 3 = ID_CONFLICT), balance(a), balance(b), balance(c)}. This
 * class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t ConflictRacingItsOriginal -m quick}
 *
 * <p>Concurrency: the fields are final and the transfers are immutable; the bank remembers the applied ids, and
 * the accounts' money is guarded by the strategy under test.
 */
@Description("t-1 as a->b 70 and t-1 as a->c 70, a holding 200, at once: one OK, the other ID_CONFLICT, moved once.")
@Outcome(id = "1, 3, 130, 70, 0", expect = ACCEPTABLE, desc = "a->b took the id; a->c refused as a conflict.")
@Outcome(id = "3, 1, 130, 0, 70", expect = ACCEPTABLE, desc = "a->c took the id; a->b refused as a conflict.")
@Outcome(id = ".*", expect = FORBIDDEN,
        desc = "Both applied under one id, neither, a REPEATED for a different transfer, or wrong books.")
public abstract class ConflictRacingItsOriginal extends LedgerState {
    private static final Transfer TO_B = Transfer.of("t-1", "a", "b", 70);
    private static final Transfer TO_C = Transfer.of("t-1", "a", "c", 70);

    private final Account a = bank.open("a", 200);
    private final Account b = bank.open("b", 0);
    private final Account c = bank.open("c", 0);

    /**
     * Opens the accounts: a with 200, b and c empty.
     *
     * @param strategy the strategy under test
     */
    protected ConflictRacingItsOriginal(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: sends t-1 as a->b 70.
     *
     * @param r the result; sets r1
     */
    public void sendToB(JJJJJ_Result r) {
        r.r1 = status(bank.transfer(TO_B));
    }

    /**
     * Actor: sends t-1 as a->c 70.
     *
     * @param r the result; sets r2
     */
    public void sendToC(JJJJJ_Result r) {
        r.r2 = status(bank.transfer(TO_C));
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
    public static class Ordered extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends ConflictRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void sendToB(JJJJJ_Result r) { super.sendToB(r); }
        @Actor public void sendToC(JJJJJ_Result r) { super.sendToC(r); }
        @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
    }
}

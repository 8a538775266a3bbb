package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.Account;
import dev.ledger.Position;
import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Leg;
import java.time.Duration;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * Two-phase commit: a prepare races a transfer that would spend the same money. Account a holds 100; one actor
 * prepares a transaction debiting 70 from it (a hold), the other transfers 70 out of it. Never both: either the
 * hold was taken and the transfer refused, or the transfer moved the money and the prepare voted ABORT.
 *
 * <p>Result: {@code prepare voted COMMIT (1/0), transfer OK (1/0), balance(a), held(a)}. This class holds the race
 * and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t PrepareRacingTransfer -m quick}
 *
 * <p>Concurrency: the fields are final; the accounts' money is guarded by the strategy under test.
 */
@Description("A prepare holding 70 of 100 races a transfer of 70 from the same account: never both.")
@Outcome(id = "1, 0, 100, 70", expect = ACCEPTABLE, desc = "The hold won; the transfer was refused.")
@Outcome(id = "0, 1, 30, 0", expect = ACCEPTABLE, desc = "The transfer won; the prepare voted ABORT.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "Both spent the money, neither did, or the books are off.")
public abstract class PrepareRacingTransfer extends LedgerState {
    private static final Duration HOLD = Duration.ofMinutes(1);

    private final Account a;
    private final Account c;

    /**
     * Opens the accounts: a with 100, b and c empty.
     *
     * @param strategy the strategy under test
     */
    protected PrepareRacingTransfer(LockStrategies strategy) {
        super(strategy);
        a = bank.open("a", 100);
        bank.open("b", 0); // credited by name in the prepared legs
        c = bank.open("c", 0);
    }

    /**
     * Actor: prepares a transaction moving 70 from a to b.
     *
     * @param r the result; sets r1
     */
    public void prepare(JJJJ_Result r) {
        r.r1 = bank.prepare("t", List.of(Leg.debit("a", 70), Leg.credit("b", 70)), HOLD).commit() ? 1 : 0;
    }

    /**
     * Actor: transfers 70 from a to c.
     *
     * @param r the result; sets r2
     */
    public void transfer(JJJJ_Result r) {
        r.r2 = applied(bank.transfer(a, c, 70));
    }

    /**
     * Arbiter: reads a's balance and hold.
     *
     * @param r the result; sets r3 and r4
     */
    public void readEndState(JJJJ_Result r) {
        Position position = bank.position(a);
        r.r3 = position.balance();
        r.r4 = position.held();
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends PrepareRacingTransfer {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void prepare(JJJJ_Result r) { super.prepare(r); }
        @Actor public void transfer(JJJJ_Result r) { super.transfer(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }
}

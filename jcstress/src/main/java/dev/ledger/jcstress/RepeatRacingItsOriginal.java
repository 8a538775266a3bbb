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
import org.openjdk.jcstress.infra.results.JJJJ_Result;

/**
 * A transfer with an id racing its own repeat, as a client retrying after a lost reply may send it while the
 * first attempt is still running: both actors send {@code t-1}, 70 from a to b. The id makes it apply at most
 * once, so exactly one actor sees OK and the other REPEATED, whichever comes first, and the money moves once.
 *
 * <p>Account a holds 200, enough for the transfer twice: a second application would then be visible as the books
 * 60/140 and two OKs, rather than hidden behind a refusal for insufficient funds.
 *
 * <p>Result: {@code first actor's status, second actor's status (1 = OK, 2 = REPEATED), balance(a), balance(b)}.
 * This class holds the race and the outcome spec; each nested class tests one strategy.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t RepeatRacingItsOriginal -m quick}
 *
 * <p>Concurrency: the fields are final and the transfer is immutable; the bank remembers the applied ids, and the
 * accounts' money is guarded by the strategy under test.
 */
@Description("The same transfer t-1 (a->b 70, a holding 200) sent twice at once: one OK, one REPEATED, applied once.")
@Outcome(id = "1, 2, 130, 70", expect = ACCEPTABLE, desc = "The first actor applied it; the second got REPEATED.")
@Outcome(id = "2, 1, 130, 70", expect = ACCEPTABLE, desc = "The second actor applied it; the first got REPEATED.")
@Outcome(id = ".*", expect = FORBIDDEN,
        desc = "Applied twice (both OK), never (both REPEATED), a refusal, or books other than 130/70.")
public abstract class RepeatRacingItsOriginal extends LedgerState {
    private static final Transfer T1 = Transfer.of("t-1", "a", "b", 70);

    private final Account a = bank.open("a", 200);
    private final Account b = bank.open("b", 0);

    /**
     * Opens the accounts: a with 200, b empty.
     *
     * @param strategy the strategy under test
     */
    protected RepeatRacingItsOriginal(LockStrategies strategy) {
        super(strategy);
    }

    /**
     * Actor: sends t-1.
     *
     * @param r the result; sets r1
     */
    public void send(JJJJ_Result r) {
        r.r1 = status(bank.transfer(T1));
    }

    /**
     * Actor: sends t-1 again.
     *
     * @param r the result; sets r2
     */
    public void resend(JJJJ_Result r) {
        r.r2 = status(bank.transfer(T1));
    }

    /**
     * Arbiter: reads the end state.
     *
     * @param r the result; sets r3 and r4
     */
    public void readEndState(JJJJ_Result r) {
        r.r3 = bank.balance(a);
        r.r4 = bank.balance(b);
    }

    /** The race under {@link LockStrategies#ORDERED}. */
    @JCStressTest
    @State
    public static class Ordered extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Ordered() { super(LockStrategies.ORDERED); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#TRYLOCK}. */
    @JCStressTest
    @State
    public static class TryLock extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public TryLock() { super(LockStrategies.TRYLOCK); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#STAMPED}. */
    @JCStressTest
    @State
    public static class Stamped extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Stamped() { super(LockStrategies.STAMPED); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#SYNCHRONIZED}. */
    @JCStressTest
    @State
    public static class Synchronized extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Synchronized() { super(LockStrategies.SYNCHRONIZED); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#GLOBAL}. */
    @JCStressTest
    @State
    public static class Global extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Global() { super(LockStrategies.GLOBAL); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }

    /** The race under {@link LockStrategies#COMBINING}. */
    @JCStressTest
    @State
    public static class Combining extends RepeatRacingItsOriginal {
        /** Builds the race under the strategy. */
        public Combining() { super(LockStrategies.COMBINING); }
        @Actor public void send(JJJJ_Result r) { super.send(r); }
        @Actor public void resend(JJJJ_Result r) { super.resend(r); }
        @Arbiter public void readEndState(JJJJ_Result r) { super.readEndState(r); }
    }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * Scenario 7, the negative control for lost updates: the {@link OpposingTransfers} race on an
 * {@link UnsynchronizedStrategy}, which takes no lock. Its lost updates are marked interesting rather than
 * forbidden, so the run passes, and the report shows how often they happened. Seeing them proves the harness can
 * catch the bug that the other tests forbid; a run that never shows them proves less when the other tests pass.
 *
 * <p>Result: as in {@link OpposingTransfers}: {@code a->b outcome, b->a outcome, balance(a), balance(b), total()}.
 * The outcome spec below replaces the inherited one.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t LostUpdateControl -m quick}
 *
 * <p>Concurrency: deliberately none; that is the point of the control.
 */
@JCStressTest
@Description("Negative control: opposing transfers with no lock at all lose updates.")
@Outcome(id = "1, 1, 120, 80, 200", expect = ACCEPTABLE, desc = "The transfers did not overlap: the right end state.")
@Outcome(id = ".*", expect = ACCEPTABLE_INTERESTING,
        desc = "Lost update: without locks one transfer overwrote the other's write; money created or destroyed.")
@State
public class LostUpdateControl extends OpposingTransfers {
    /** Builds the race on a bank that takes no locks. */
    public LostUpdateControl() { super(new UnsynchronizedStrategy()); }
    @Actor public void transferAToB(JJJJJ_Result r) { super.transferAToB(r); }
    @Actor public void transferBToA(JJJJJ_Result r) { super.transferBToA(r); }
    @Arbiter public void readEndState(JJJJJ_Result r) { super.readEndState(r); }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * The deadlock control: the {@link DeadlockFreedom} loops on a {@link RequestOrderStrategy}, which takes locks in
 * request order and so can deadlock. Its deadlock (STALE) is marked interesting rather than forbidden, so the run
 * passes and the report shows whether the termination test can catch the bug it guards against. The outcome spec
 * below replaces the inherited one.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t DeadlockControl -m quick}
 *
 * <p>Concurrency: as in {@link DeadlockFreedom}, except that the locks are taken in request order; that is the bug.
 */
@JCStressTest(Mode.Termination)
@Description("Deadlock control: opposing transfer loops with locks taken in request order can deadlock.")
@Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The loops did not deadlock this time.")
@Outcome(id = "STALE", expect = ACCEPTABLE_INTERESTING, desc = "Deadlock: each loop holds one lock, waits for the other.")
@Outcome(id = "ERROR", expect = FORBIDDEN, desc = "A transfer was refused, a loop failed, or the balances are wrong.")
@State
public class DeadlockControl extends DeadlockFreedom {
    /** Builds the loops on a bank that locks in request order. */
    public DeadlockControl() { super(new RequestOrderStrategy()); }
    @Actor public void transferBothWays() throws InterruptedException { super.transferBothWays(); }
    @Signal public void startLoops() { super.startLoops(); }
}

package dev.ledger.jcstress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.ledger.lock.LockStrategies;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJJJJ_Result;

/**
 * The negative control for linked chains: the {@link ChainRacingSnapshot} race with the three transfers sent
 * unlinked. The cuts inside the batch that a chain forbids are marked interesting rather than forbidden, so the run
 * passes, and the report shows how often a snapshot fell inside: proof that the chain test could see a chain
 * applied link by link.
 *
 * <p>Result: as in {@link ChainRacingSnapshot}. The outcome spec below replaces the inherited one.
 *
 * <p>Run: {@code java -jar jcstress/target/jcstress.jar -t ChainControl -m quick}
 *
 * <p>Concurrency: as in {@link ChainRacingSnapshot}, under the ordered strategy.
 */
@JCStressTest
@Description("Negative control: the chain's transfers sent unlinked let a snapshot fall between them.")
@Outcome(id = "3, 100, 100, 100, 300", expect = ACCEPTABLE, desc = "Cut before the transfers.")
@Outcome(id = "3, 130, 90, 80, 300", expect = ACCEPTABLE, desc = "Cut after the transfers.")
@Outcome(id = {"3, 90, 110, 100, 300", "3, 90, 90, 120, 300"}, expect = ACCEPTABLE_INTERESTING,
        desc = "Cut between two transfers: what linking them into a chain forbids.")
@Outcome(id = ".*", expect = FORBIDDEN, desc = "A torn transfer or a transfer refused.")
@State
public class ChainControl extends ChainRacingSnapshot {
    /** Builds the race with the transfers unlinked. */
    public ChainControl() { super(LockStrategies.ORDERED.create(), false); }
    @Actor public void applyChain(JJJJJ_Result r) { super.applyChain(r); }
    @Actor public void snapshot(JJJJJ_Result r) { super.snapshot(r); }
}

package dev.ledger.examples.consortium;

import dev.ledger.examples.BookCheck;
import dev.ledger.examples.CheckReport;
import dev.ledger.examples.consortium.DemoRun.Attempt;
import dev.ledger.examples.consortium.DemoRun.Phase;
import dev.ledger.examples.consortium.DemoRun.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The consortium demo's checks on what its transfers did: the books, by {@link BookCheck}, and how the transfers of
 * each phase ended, given which bank was down.
 *
 * <p>Stateless.
 */
final class DemoChecks {
    /** Unexpected transfers shown at most, so a broken run still prints a readable verdict. */
    private static final int MAX_SHOWN = 10;

    private DemoChecks() {
    }

    /**
     * Every account's balance must be its opening balance plus the net of the transfers that committed.
     *
     * @param before every account's balance before the transfers
     * @param after every account's balance once they settled
     * @param attempts every transfer sent
     * @return the verdict
     */
    static BookCheck books(Map<String, Long> before, Map<String, Long> after, List<Attempt> attempts) {
        List<BookCheck.Move> moves = new ArrayList<>();
        long committed = 0;
        for (Attempt attempt : attempts) {
            if (attempt.status() == Status.COMMITTED) {
                committed++;
                attempt.sources().forEach((from, amount) -> moves.add(new BookCheck.Move(from, attempt.to(), amount)));
            }
        }
        return BookCheck.of(before, after, moves, String.format(Locale.ROOT,
                "every committed transfer (%d committed, %d accounts)", committed, before.size()));
    }

    /**
     * Adds the checks on how the transfers ended: some short of funds; none involving the stopped bank committed
     * while it was down, while others did; every other one committed or was short, with an answer; and the
     * restarted bank took part again.
     *
     * @param report where the checks go
     * @param stopped the bank stopped mid-run
     * @param attempts every transfer sent
     */
    static void outcomes(CheckReport report, String stopped, List<Attempt> attempts) {
        long insufficient = count(attempts, a -> a.status() == Status.INSUFFICIENT_FUNDS);
        report.add(insufficient > 0, "some transfers failed for insufficient funds (" + insufficient
                + "), and moved nothing");
        List<Attempt> involved = attempts.stream()
                .filter(a -> a.phase() == Phase.OUTAGE && a.touchesStoppedBank()).toList();
        long unreachable = count(involved, a -> a.status() == Status.UNREACHABLE
                && a.detail().startsWith("bank " + stopped + " unreachable"));
        // A transfer whose other bank votes "insufficient funds" before the down bank's call fails is aborted
        // for that reason: also correct, nothing moved.
        long shortFirst = count(involved, a -> a.status() == Status.INSUFFICIENT_FUNDS);
        long othersCommitted = count(attempts, a -> a.phase() == Phase.OUTAGE && !a.touchesStoppedBank()
                && a.status() == Status.COMMITTED);
        report.add(unreachable > 0 && unreachable + shortFirst == involved.size() && othersCommitted > 0,
                String.format(Locale.ROOT, "while %s was down, none of the %d transfers involving it committed "
                        + "(%d 'bank %s unreachable', %d insufficient funds found first), and %d others committed",
                        stopped, involved.size(), unreachable, stopped, shortFirst, othersCommitted));
        List<String> unexpected = attempts.stream().filter(a -> a.status() == Status.UNKNOWN
                || a.status() == Status.REFUSED || a.status() == Status.UNREACHABLE && a.phase() != Phase.OUTAGE)
                .map(a -> a.phase() + " " + a.describe()).limit(MAX_SHOWN).toList();
        report.add(unexpected.isEmpty(), "every other transfer committed or failed for insufficient funds, with "
                + "an answer", unexpected);
        long backInBusiness = count(attempts, a -> a.phase() == Phase.AFTER_RESTART && a.touchesStoppedBank()
                && a.status() == Status.COMMITTED);
        report.add(backInBusiness > 0, "after its restart, " + stopped + " took part in committed transfers ("
                + backInBusiness + ")");
    }

    private static long count(List<Attempt> attempts, Predicate<Attempt> which) {
        return attempts.stream().filter(which).count();
    }
}

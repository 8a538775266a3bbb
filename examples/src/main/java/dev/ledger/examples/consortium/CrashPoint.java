package dev.ledger.examples.consortium;

import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.TxState;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Where a coordinating bank kills itself, for tests of what a crash between prepare and commit leaves behind (the
 * {@code bank} command's hidden {@code --crash-at} option). Both points come after every participant has voted
 * COMMIT and holds the money: the process halts at once, as {@code kill -9} would, without running shutdown hooks
 * or sending anything more.
 */
enum CrashPoint {
    /** Every vote is in, the decision is not recorded: after a restart, presumed abort applies. */
    BEFORE_COMMIT_DECISION,
    /** COMMIT is recorded in the decision log and no participant has been told. */
    AFTER_COMMIT_DECISION;

    /** The exit status of a bank that crashed on purpose. */
    static final int EXIT_STATUS = 86;

    /**
     * Wraps a decision log so that the first COMMIT decision halts the process at this point.
     *
     * @param log the real log
     * @param out where to say so just before halting
     * @return the wrapping log
     */
    DecisionLog wrap(DecisionLog log, PrintWriter out) {
        CrashPoint point = this;
        return new DecisionLog() {
            @Override
            public TxState decide(String txId, TxState decision) {
                if (decision == TxState.COMMITTED && point == BEFORE_COMMIT_DECISION) {
                    halt(out, "crashing before recording the decision for " + txId);
                }
                TxState decided = log.decide(txId, decision);
                if (decided == TxState.COMMITTED && point == AFTER_COMMIT_DECISION) {
                    halt(out, "crashing after recording COMMIT for " + txId);
                }
                return decided;
            }

            @Override
            public Optional<TxState> decision(String txId) {
                return log.decision(txId);
            }
        };
    }

    private static void halt(PrintWriter out, String why) {
        out.println(why);
        out.flush();
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}

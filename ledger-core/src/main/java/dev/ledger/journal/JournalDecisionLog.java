package dev.ledger.journal;

import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.RecordLogs;
import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.TxState;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DecisionLog} kept in a {@link Journal}, so that a coordinator's decisions survive a restart: each one is
 * a {@link JournalRecord.Decided} record, synced before anyone can see the decision.
 *
 * <p>The journal must be the log's own (a {@link FileJournal} in a directory of its own, say), not a bank's: a
 * bank's checkpoints drop records, and a decision dropped would be presumed an abort. The log does not close the
 * journal; its owner does.
 *
 * <p>Concurrency: one {@link ConcurrentHashMap} from transaction to a future of its decision. The thread whose
 * {@code putIfAbsent} installs the future owns the decision: it appends and syncs the record, and only then
 * completes the future. Everyone else, a later {@link #decide} or a {@link #decision} lookup, waits on the future,
 * so no one sees a decision before it is durable (a commit seen and then lost in a crash would break atomicity),
 * and decisions on different transactions sync at the same time, sharing the journal's group commit. If the
 * append or sync fails, the owner removes its future before it fails it: the transaction is undecided again and
 * the waiters look again.
 */
public final class JournalDecisionLog implements DecisionLog {
    private final RecordLog journal;
    /** Every decision recorded or being recorded; a future completes once its record is durable. */
    private final ConcurrentHashMap<String, CompletableFuture<TxState>> decisions = new ConcurrentHashMap<>();

    private JournalDecisionLog(RecordLog journal) {
        this.journal = journal;
    }

    /**
     * Opens a decision log on {@code journal} and recovers the decisions it holds; its other records are ignored.
     * It reads the journal, which a journal allows once.
     *
     * @param journal the log's own journal, just opened
     * @return the log
     * @throws IllegalArgumentException if the journal holds a checkpoint: it is a bank's, whose checkpoints may
     *     have dropped decisions
     * @throws JournalException if the journal cannot be read
     */
    public static JournalDecisionLog open(Journal journal) {
        JournalDecisionLog log = new JournalDecisionLog(RecordLogs.of(journal));
        log.journal.recover(checkpoint -> {
            throw new IllegalArgumentException(journal + " holds a checkpoint, so decisions before it may be lost; "
                    + "a decision log needs a journal of its own");
        }, log::restore);
        return log;
    }

    private void restore(JournalRecord record) {
        if (record instanceof JournalRecord.Decided decided) {
            TxState decision = decided.commit() ? TxState.COMMITTED : TxState.ABORTED;
            decisions.putIfAbsent(decided.txId(), CompletableFuture.completedFuture(decision));
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns once the winning decision is durable; a thread that lost waits for the winner's sync.
     *
     * @throws JournalException if this call's decision won but could not be made durable; it is then not recorded
     */
    @Override
    public TxState decide(String txId, TxState decision) {
        Objects.requireNonNull(txId, "txId");
        if (decision == null || !decision.isFinal()) {
            throw new IllegalArgumentException("a decision is COMMITTED or ABORTED, not " + decision);
        }
        while (true) {
            CompletableFuture<TxState> mine = new CompletableFuture<>();
            CompletableFuture<TxState> earlier = decisions.putIfAbsent(txId, mine);
            if (earlier == null) {
                return record(txId, decision, mine);
            }
            TxState winner = awaitDurable(earlier);
            if (winner != null) {
                return winner;
            }
            // The earlier decision never reached the journal and was withdrawn: this one may win now.
        }
    }

    private TxState record(String txId, TxState decision, CompletableFuture<TxState> pending) {
        try {
            journal.append(new JournalRecord.Decided(txId, decision == TxState.COMMITTED));
            journal.sync();
        } catch (RuntimeException | Error e) {
            decisions.remove(txId, pending); // before failing it, so that waiters who look again find it gone
            pending.completeExceptionally(e);
            throw e;
        }
        pending.complete(decision);
        return decision;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A decision being recorded is waited for: it is returned once durable, or not at all if it fails.
     */
    /** {@return the number of decisions recorded or being recorded, those recovered included} */
    public int size() {
        return decisions.size();
    }

    @Override
    public Optional<TxState> decision(String txId) {
        Objects.requireNonNull(txId, "txId");
        while (true) {
            CompletableFuture<TxState> pending = decisions.get(txId);
            if (pending == null) {
                return Optional.empty();
            }
            TxState decided = awaitDurable(pending);
            if (decided != null) {
                return Optional.of(decided);
            }
        }
    }

    /** Waits, uninterruptibly (a sync is short), for a decision; null if its recording failed. */
    private static TxState awaitDurable(CompletableFuture<TxState> pending) {
        try {
            return pending.join();
        } catch (CompletionException | CancellationException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "decision log on " + journal;
    }
}

package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Concurrently;
import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.RecordLogs;
import dev.ledger.tx.TxState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A decision log in a journal: the first decision wins for good, survives a restart, and is seen only durable. */
@Timeout(60)
class JournalDecisionLogTest {
    @TempDir
    Path dir;

    /** A journal in memory whose sync runs a test's script, to hold a decision between its append and sync. */
    private static final class ScriptedJournal implements Journal, RecordLog {
        private final List<JournalRecord> recovered;
        private final Checkpoint checkpoint;
        private final List<JournalRecord> appended = new ArrayList<>();
        private volatile Runnable onSync = () -> { };

        ScriptedJournal(Checkpoint checkpoint, List<JournalRecord> recovered) {
            this.checkpoint = checkpoint;
            this.recovered = recovered;
        }

        ScriptedJournal() {
            this(null, List.of());
        }

        @Override
        public synchronized void append(JournalRecord record) {
            appended.add(record);
        }

        @Override
        public void sync() {
            onSync.run();
        }

        @Override
        public void recover(Consumer<Checkpoint> checkpointSink, Consumer<JournalRecord> records) {
            if (checkpoint != null) {
                checkpointSink.accept(checkpoint);
            }
            recovered.forEach(records);
        }

        @Override
        public long beginCheckpoint() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void completeCheckpoint(long token, Checkpoint state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long bytesSinceCheckpoint() {
            return 0;
        }

        @Override
        public void close() {
        }

        synchronized List<JournalRecord> appended() {
            return List.copyOf(appended);
        }
    }

    private static Thread start(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Returns once {@code thread} is parked, which a thread waiting for a decision is. */
    private static void awaitParked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(thread.isAlive()).as(thread.getName() + " returned instead of waiting").isTrue();
            Thread.onSpinWait();
        }
    }

    @Test
    void theFirstDecisionWinsAcrossThreadsAndSurvivesAReopen() {
        int threads = 8;
        int transactions = 200;
        AtomicReferenceArray<TxState> winners = new AtomicReferenceArray<>(transactions);
        try (FileJournal journal = FileJournal.open(dir, SyncMode.BATCH)) {
            JournalDecisionLog log = JournalDecisionLog.open(journal);
            Concurrently.run(threads, Duration.ofSeconds(30), thread -> {
                for (int tx = 0; tx < transactions; tx++) {
                    TxState mine = (thread + tx) % 2 == 0 ? TxState.COMMITTED : TxState.ABORTED;
                    TxState decided = log.decide("tx-" + tx, mine);
                    TxState first = winners.compareAndExchange(tx, null, decided);
                    assertThat(decided).as("tx-" + tx + " on thread " + thread).isEqualTo(first != null ? first
                            : decided);
                }
            });
            for (int tx = 0; tx < transactions; tx++) {
                assertThat(log.decision("tx-" + tx)).contains(winners.get(tx));
            }
        }
        try (FileJournal journal = FileJournal.open(dir, SyncMode.BATCH)) {
            List<JournalRecord> records = new ArrayList<>();
            RecordLogs.of(journal).recover(checkpoint -> { }, records::add);
            assertThat(records).as("only the winners were written").hasSize(transactions);
        }
        try (FileJournal journal = FileJournal.open(dir, SyncMode.BATCH)) {
            JournalDecisionLog log = JournalDecisionLog.open(journal);
            for (int tx = 0; tx < transactions; tx++) {
                assertThat(log.decision("tx-" + tx)).contains(winners.get(tx));
                assertThat(log.decide("tx-" + tx, TxState.COMMITTED)).isEqualTo(winners.get(tx));
            }
            assertThat(log.decision("tx-never")).isEmpty();
        }
    }

    @Test
    void aDecisionIsSeenByNoOneBeforeItIsDurable() throws InterruptedException {
        ScriptedJournal journal = new ScriptedJournal();
        CountDownLatch syncing = new CountDownLatch(1);
        CountDownLatch durable = new CountDownLatch(1);
        journal.onSync = () -> {
            syncing.countDown();
            try {
                durable.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JournalException("interrupted", e);
            }
        };
        JournalDecisionLog log = JournalDecisionLog.open(journal);
        AtomicReference<TxState> decided = new AtomicReference<>();
        AtomicReference<Optional<TxState>> seen = new AtomicReference<>();
        AtomicReference<TxState> rivalDecided = new AtomicReference<>();

        Thread decider = start(() -> decided.set(log.decide("tx", TxState.COMMITTED)));
        syncing.await();
        Thread reader = start(() -> seen.set(log.decision("tx")));
        Thread rival = start(() -> rivalDecided.set(log.decide("tx", TxState.ABORTED)));
        awaitParked(reader);
        awaitParked(rival);
        assertThat(seen.get()).as("decision() before the sync returned").isNull();
        assertThat(rivalDecided.get()).as("a rival decide() before the sync returned").isNull();
        assertThat(decided.get()).isNull();

        durable.countDown();
        for (Thread thread : List.of(decider, reader, rival)) {
            thread.join();
        }
        assertThat(decided.get()).isEqualTo(TxState.COMMITTED);
        assertThat(seen.get()).contains(TxState.COMMITTED);
        assertThat(rivalDecided.get()).isEqualTo(TxState.COMMITTED);
        assertThat(journal.appended()).containsExactly(new JournalRecord.Decided("tx", true));
    }

    @Test
    void aDecisionThatCouldNotBeMadeDurableIsNotRecorded() {
        ScriptedJournal journal = new ScriptedJournal();
        journal.onSync = () -> {
            throw new JournalException("disk full", null);
        };
        JournalDecisionLog log = JournalDecisionLog.open(journal);

        assertThatThrownBy(() -> log.decide("tx", TxState.COMMITTED)).isInstanceOf(JournalException.class)
                .hasMessage("disk full");
        assertThat(log.decision("tx")).isEmpty();

        journal.onSync = () -> { };
        assertThat(log.decide("tx", TxState.ABORTED)).isEqualTo(TxState.ABORTED);
        assertThat(log.decision("tx")).contains(TxState.ABORTED);
    }

    @Test
    void recoveryKeepsEachFirstDecisionAndIgnoresOtherRecords() {
        ScriptedJournal journal = new ScriptedJournal(null, List.of(
                new JournalRecord.Deposited(0, 5),
                new JournalRecord.Decided("a", true),
                new JournalRecord.Committed("a"),
                new JournalRecord.Decided("a", false),
                new JournalRecord.Decided("b", false)));
        JournalDecisionLog log = JournalDecisionLog.open(journal);

        assertThat(log.decision("a")).contains(TxState.COMMITTED);
        assertThat(log.decision("b")).contains(TxState.ABORTED);
        assertThat(log.decide("b", TxState.COMMITTED)).isEqualTo(TxState.ABORTED);
        assertThat(journal.appended()).isEmpty();
    }

    @Test
    void aJournalWithACheckpointIsRefused() {
        ScriptedJournal journal = new ScriptedJournal(new Checkpoint(List.of(), List.of()), List.of());
        assertThatThrownBy(() -> JournalDecisionLog.open(journal)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("journal of its own");
    }

    @Test
    void onlyAFinalStateIsADecision() {
        JournalDecisionLog log = JournalDecisionLog.open(new ScriptedJournal());
        for (TxState notFinal : List.of(TxState.PREPARED, TxState.UNKNOWN)) {
            assertThatThrownBy(() -> log.decide("tx", notFinal)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

package dev.ledger.journal.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Concurrently;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.SyncMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The file journal's format, recovery from crashes, sync modes and checkpoints, on real files. */
@Timeout(60)
class SegmentLogTest {
    private static final JournalRecord FIRST = new JournalRecord.AccountOpened(0, "alice", 100);
    private static final JournalRecord SECOND = new JournalRecord.Transferred(0, 1, 40);
    /** Larger than the others, so that a cut can land anywhere inside its header or payload. */
    private static final JournalRecord THIRD = new JournalRecord.Prepared("tx-3",
            List.of(new Posting(0, -30), new Posting(1, 20), new Posting(2, 10)));
    private static final JournalRecord LATER = new JournalRecord.Deposited(1, 7);
    private static final Checkpoint STATE = new Checkpoint(
            List.of(new Checkpoint.AccountState("alice", 60), new Checkpoint.AccountState("bob", 40)),
            List.of(new JournalRecord.Prepared("tx-9", List.of(new Posting(0, -5), new Posting(1, 5)))),
            List.of(new JournalRecord.Identified("t-7", new JournalRecord.Transferred(0, 1, 3))));

    @TempDir
    Path dir;

    /** What a recovery delivered. */
    private record Recovered(List<Checkpoint> checkpoints, List<JournalRecord> records) {
    }

    private static Recovered recover(SegmentLog journal) {
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<JournalRecord> records = new ArrayList<>();
        journal.recover(checkpoints::add, records::add);
        return new Recovered(checkpoints, records);
    }

    /** Opens the directory as a restarted process would, recovers, and closes. */
    private Recovered reopen() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            return recover(journal);
        }
    }

    private Path segment(long number) {
        return dir.resolve(JournalDirectory.segmentName(number));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Set<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static void append(SegmentLog journal, JournalRecord... records) {
        for (JournalRecord record : records) {
            journal.append(record);
        }
        journal.sync();
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[Math.toIntExact(offset)] ^= 0x5A;
        Files.write(file, bytes);
    }

    private static List<JournalRecord> everyRecordType() {
        return List.of(
                new JournalRecord.AccountOpened(0, "alice", 1_000),
                new JournalRecord.AccountOpened(1, "zoë €𝄞", Long.MAX_VALUE),
                new JournalRecord.AccountOpened(2, "", 0),
                new JournalRecord.Deposited(0, 5),
                new JournalRecord.Withdrawn(1, Long.MIN_VALUE),
                new JournalRecord.Transferred(0, 2, 7),
                new JournalRecord.MultiLegTransferred(List.of(new Posting(0, -3), new Posting(1, -4),
                        new Posting(2, 7))),
                new JournalRecord.MultiLegTransferred(List.of()),
                new JournalRecord.Prepared("tx-1", List.of(new Posting(Integer.MAX_VALUE, -1), new Posting(2, 1))),
                new JournalRecord.Prepared("tx-2", List.of()),
                new JournalRecord.Committed("tx-1"),
                new JournalRecord.Aborted("tx-2"),
                new JournalRecord.Decided("tx-3", true),
                new JournalRecord.Decided("tx-4", false),
                new JournalRecord.Identified("t-1", new JournalRecord.Transferred(2, 0, 9)),
                new JournalRecord.Chained(List.of(new JournalRecord.Transferred(0, 1, 4),
                        new JournalRecord.Identified("c-2", new JournalRecord.Transferred(1, 2, 4)))));
    }

    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void everyRecordTypeSurvivesCloseAndReopen(SyncMode mode) {
        List<JournalRecord> records = everyRecordType();
        assertThat(records.stream().map(Object::getClass).collect(Collectors.toSet()))
                .as("the list covers every record type")
                .containsExactlyInAnyOrder(JournalRecord.class.getPermittedSubclasses());
        long bytes;
        try (SegmentLog journal = SegmentLog.open(dir, mode)) {
            assertThat(recover(journal)).isEqualTo(new Recovered(List.of(), List.of()));
            records.forEach(journal::append);
            journal.sync();
            bytes = journal.bytesSinceCheckpoint();
        }
        assertThat(bytes).isEqualTo(size(segment(1))).isPositive();

        try (SegmentLog journal = SegmentLog.open(dir, mode)) {
            assertThat(recover(journal)).isEqualTo(new Recovered(List.of(), records));
            assertThat(journal.bytesSinceCheckpoint()).isEqualTo(bytes);
        }
    }

    /**
     * Keeps this many bytes of the last record: into its header (1, 4, 7), its header alone (8), one payload byte
     * (9), or all but its last byte (-1).
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7, 8, 9, -1})
    void aTornTailIsCutOffAndAppendsContinueAfterIt(int keptOfLastRecord) throws IOException {
        long intact;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST, SECOND);
            intact = size(segment(1));
            append(journal, THIRD);
        }
        long whole = size(segment(1));
        truncate(segment(1), keptOfLastRecord >= 0 ? intact + keptOfLastRecord : whole + keptOfLastRecord);

        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            assertThat(recover(journal).records()).containsExactly(FIRST, SECOND);
            assertThat(size(segment(1))).as("the torn record is cut off the file").isEqualTo(intact);
            assertThat(journal.bytesSinceCheckpoint()).isEqualTo(intact);
            append(journal, LATER);
        }
        assertThat(reopen().records()).containsExactly(FIRST, SECOND, LATER);
    }

    /** Flips a byte of the last record: in its length (0, 3), its checksum (5), its type (8) or its last byte. */
    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 8, -1})
    void aCorruptLastRecordIsCutOff(int offsetInLastRecord) throws IOException {
        long intact;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.NONE)) {
            recover(journal);
            append(journal, FIRST, SECOND);
            intact = size(segment(1));
            append(journal, THIRD);
        }
        long whole = size(segment(1));
        flipByte(segment(1), offsetInLastRecord >= 0 ? intact + offsetInLastRecord : whole + offsetInLastRecord);

        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.NONE)) {
            assertThat(recover(journal).records()).containsExactly(FIRST, SECOND);
            assertThat(size(segment(1))).isEqualTo(intact);
            append(journal, LATER);
        }
        assertThat(reopen().records()).containsExactly(FIRST, SECOND, LATER);
    }

    @Test
    void zeroesAfterTheLastRecordAreCutOff() throws IOException {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST, SECOND);
        }
        long intact = size(segment(1));
        Files.write(segment(1), new byte[100], StandardOpenOption.APPEND); // as a file preallocated by the OS

        assertThat(reopen().records()).containsExactly(FIRST, SECOND);
        assertThat(size(segment(1))).isEqualTo(intact);
    }

    @Test
    void corruptionBeforeTheLastSegmentFailsRecovery() throws IOException {
        long secondAt;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            secondAt = size(segment(1));
            append(journal, SECOND);
            journal.beginCheckpoint();
            append(journal, THIRD);
        }
        flipByte(segment(1), secondAt + RecordCodec.HEADER_BYTES);

        assertThatThrownBy(this::reopen)
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(JournalDirectory.segmentName(1))
                .hasMessageContaining("offset " + secondAt);
        assertThat(size(segment(1))).as("nothing is cut off an earlier segment").isGreaterThan(secondAt);
    }

    @Test
    void aTornSegmentFollowedOnlyByEmptySegmentsIsTheTail() throws IOException {
        long intact;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            intact = size(segment(1));
            append(journal, SECOND);
            journal.beginCheckpoint(); // a crash before anything reached segment 2
        }
        truncate(segment(1), size(segment(1)) - 1);

        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            assertThat(recover(journal).records()).containsExactly(FIRST);
            assertThat(size(segment(1))).isEqualTo(intact);
            append(journal, LATER);
        }
        assertThat(size(segment(2))).as("appends continue in the newest segment").isPositive();
        assertThat(reopen().records()).containsExactly(FIRST, LATER);
    }

    @Test
    void aMissingSegmentFailsRecovery() throws IOException {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            journal.beginCheckpoint();
            append(journal, SECOND);
            journal.beginCheckpoint();
            append(journal, THIRD);
        }
        Files.delete(segment(2));

        assertThatThrownBy(() -> SegmentLog.open(dir, SyncMode.BATCH))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(JournalDirectory.segmentName(2) + " is missing");
    }

    /** Appends and syncs {@code perThread} records on each thread; {@code Deposited(thread, i)} says whose. */
    private static void appendAndSyncConcurrently(SegmentLog journal, int threads, int perThread) {
        Concurrently.run(threads, Duration.ofSeconds(30), thread -> {
            for (int i = 0; i < perThread; i++) {
                journal.append(new JournalRecord.Deposited(thread, i + 1));
                journal.sync();
            }
        });
    }

    /** Checks that every thread's records were recovered, each thread's in its order. */
    private void assertRecoveredFromEveryThread(int threads, int perThread) {
        List<JournalRecord> records = reopen().records();
        assertThat(records).hasSize(threads * perThread);
        for (int thread = 0; thread < threads; thread++) {
            int account = thread;
            List<Long> amounts = records.stream()
                    .map(JournalRecord.Deposited.class::cast)
                    .filter(deposit -> deposit.account() == account)
                    .map(JournalRecord.Deposited::amount)
                    .collect(Collectors.toList());
            assertThat(amounts).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, perThread).mapToObj(i -> (long) i).collect(Collectors.toList()));
        }
    }

    @Test
    void batchSharesForcesBetweenThreadsThatSyncTogether() {
        int threads = 8;
        int perThread = 500;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            appendAndSyncConcurrently(journal, threads, perThread);
            assertThat(journal.forces()).isPositive().isLessThan(threads * perThread);
        }
        assertRecoveredFromEveryThread(threads, perThread);
    }

    /**
     * Threads append and hand over an action at the same moment, then wait for every action of the round: no one
     * syncs, so an action that no flush covered runs only if the journal's own thread flushes for it.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void whenSyncedRunsEachActionOnceAfterItsRecordsAreWritten(SyncMode mode) {
        int threads = 8;
        int rounds = 200;
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * rounds);
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<CountDownLatch> roundsRan = Stream.generate(() -> new CountDownLatch(threads)).limit(rounds)
                .collect(Collectors.toList());
        CyclicBarrier together = new CyclicBarrier(threads);
        try (SegmentLog journal = SegmentLog.open(dir, mode)) {
            recover(journal);
            Concurrently.run(threads, Duration.ofSeconds(50), thread -> {
                for (int round = 0; round < rounds; round++) {
                    int action = round * threads + thread;
                    CountDownLatch roundRan = roundsRan.get(round);
                    try {
                        together.await(10, TimeUnit.SECONDS);
                        journal.append(new JournalRecord.Deposited(thread, round + 1));
                        long appended = journal.bytesSinceCheckpoint(); // this record's end, or later
                        journal.whenSynced(failure -> {
                            long written = size(segment(1));
                            if (failure != null || written < appended) {
                                problems.add("action " + action + ": failure " + failure + ", " + written
                                        + " bytes written of " + appended);
                            }
                            runs.incrementAndGet(action);
                            roundRan.countDown();
                        });
                        if (!roundRan.await(10, TimeUnit.SECONDS)) {
                            throw new AssertionError("round " + round + ": an action never ran");
                        }
                    } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                        throw new AssertionError(e);
                    }
                }
            });
            if (mode == SyncMode.BATCH) {
                assertThat(journal.forces()).isPositive().isLessThan(threads * rounds);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(IntStream.range(0, runs.length()).map(runs::get).boxed()).containsOnly(1);
        assertRecoveredFromEveryThread(threads, rounds);
    }

    @Test
    void whenSyncedRunsAtOnceOnTheCallersThreadIfTheRecordsAreDurable() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            List<Thread> ranOn = new ArrayList<>();
            journal.whenSynced(failure -> ranOn.add(Thread.currentThread()));
            assertThat(ranOn).containsExactly(Thread.currentThread());
        }
    }

    @Test
    void whenSyncedHandsTheJournalsFailureToTheAction() {
        List<JournalException> failures = new ArrayList<>();
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            journal.append(FIRST);
            Thread.currentThread().interrupt(); // this thread flushes; its write fails and fails the journal
            try {
                journal.whenSynced(failures::add);
            } finally {
                Thread.interrupted();
            }
            assertThat(failures).singleElement().isInstanceOf(JournalException.class);
            journal.whenSynced(failures::add);
            assertThat(failures).hasSize(2).last().isInstanceOf(JournalException.class);
        }
    }

    @Test
    void alwaysForcesOncePerSync() {
        int threads = 4;
        int perThread = 250;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.ALWAYS)) {
            recover(journal);
            appendAndSyncConcurrently(journal, threads, perThread);
            assertThat(journal.forces()).isEqualTo(threads * perThread);
        }
        assertRecoveredFromEveryThread(threads, perThread);
    }

    @Test
    void noneNeverForcesAndRecordsSurviveClose() {
        int threads = 4;
        int perThread = 250;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.NONE)) {
            recover(journal);
            appendAndSyncConcurrently(journal, threads, perThread);
            assertThat(journal.forces()).isZero();
        }
        assertRecoveredFromEveryThread(threads, perThread);
    }

    @Test
    void aCheckpointReplacesTheSegmentsBeforeIt() throws IOException {
        long afterCheckpoint;
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST, SECOND);
            long token = journal.beginCheckpoint();
            assertThat(token).isEqualTo(2);
            append(journal, THIRD);
            journal.completeCheckpoint(token, STATE);
            afterCheckpoint = size(segment(2));
            assertThat(journal.bytesSinceCheckpoint()).isEqualTo(afterCheckpoint).isPositive();
            assertThat(fileNames()).containsExactlyInAnyOrder(
                    "lock", JournalDirectory.segmentName(2), JournalDirectory.checkpointName(2, "bin"));
        }
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            assertThat(recover(journal)).isEqualTo(new Recovered(List.of(STATE), List.of(THIRD)));
            assertThat(journal.bytesSinceCheckpoint()).isEqualTo(afterCheckpoint);
            append(journal, LATER);
        }
        assertThat(reopen()).isEqualTo(new Recovered(List.of(STATE), List.of(THIRD, LATER)));
    }

    @Test
    void aCheckpointBegunButNotWrittenLeavesRecoveryOnThePreviousOne() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            journal.beginCheckpoint(); // a crash before the checkpoint was written: no completeCheckpoint
            append(journal, SECOND);
        }
        assertThat(reopen()).isEqualTo(new Recovered(List.of(), List.of(FIRST, SECOND)));

        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            journal.completeCheckpoint(journal.beginCheckpoint(), STATE); // checkpoint 3: FIRST and SECOND
            append(journal, THIRD);
            journal.beginCheckpoint(); // checkpoint 4 never written
            append(journal, LATER);
            assertThat(journal.bytesSinceCheckpoint()).as("bytes since the last checkpoint written")
                    .isEqualTo(size(segment(3)) + size(segment(4)));
        }
        assertThat(reopen()).isEqualTo(new Recovered(List.of(STATE), List.of(THIRD, LATER)));
    }

    @Test
    void aFailedCheckpointLeavesTheJournalUsable() throws IOException {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            long token = journal.beginCheckpoint();
            append(journal, SECOND);
            Path temporary = dir.resolve(JournalDirectory.checkpointName(token, "tmp"));
            Files.createDirectory(temporary); // the checkpoint file cannot be created

            assertThatThrownBy(() -> journal.completeCheckpoint(token, STATE))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining(JournalDirectory.checkpointName(token, "bin"));
            Files.deleteIfExists(temporary);
            append(journal, THIRD);
        }
        assertThat(reopen()).isEqualTo(new Recovered(List.of(), List.of(FIRST, SECOND, THIRD)));
    }

    @Test
    void aLeftoverTemporaryCheckpointIsIgnoredAndDeleted() throws IOException {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            journal.completeCheckpoint(journal.beginCheckpoint(), STATE);
            append(journal, SECOND);
        }
        Path leftover = dir.resolve(JournalDirectory.checkpointName(3, "tmp"));
        Files.write(leftover, new byte[] {1, 2, 3}); // a crash while checkpoint 3 was being written

        assertThat(reopen()).isEqualTo(new Recovered(List.of(STATE), List.of(SECOND)));
        assertThat(leftover).doesNotExist();
    }

    @Test
    void aCorruptNewestCheckpointIsIgnored() throws IOException {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            append(journal, FIRST);
            journal.completeCheckpoint(journal.beginCheckpoint(), STATE);
            append(journal, SECOND);
        }
        Path valid = dir.resolve(JournalDirectory.checkpointName(2, "bin"));
        byte[] corrupt = Files.readAllBytes(valid);
        corrupt[corrupt.length / 2] ^= 1;
        Files.write(dir.resolve(JournalDirectory.checkpointName(9, "bin")), corrupt);

        assertThat(reopen()).isEqualTo(new Recovered(List.of(STATE), List.of(SECOND)));
    }

    @Test
    void aSecondOpenOfTheDirectoryFailsUntilTheFirstCloses() {
        SegmentLog first = SegmentLog.open(dir, SyncMode.BATCH);
        try {
            assertThatThrownBy(() -> SegmentLog.open(dir, SyncMode.BATCH))
                    .isInstanceOf(JournalException.class)
                    .hasMessageContaining("in use by another process");
        } finally {
            first.close();
        }
        SegmentLog.open(dir, SyncMode.BATCH).close();
    }

    @Test
    void appendAfterCloseThrowsAndCloseIsIdempotent() {
        SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH);
        recover(journal);
        journal.append(FIRST); // not synced: close syncs it
        journal.close();
        journal.close();

        assertThatThrownBy(() -> journal.append(SECOND)).isInstanceOf(JournalException.class)
                .hasMessageContaining("closed");
        assertThat(reopen().records()).containsExactly(FIRST);
    }

    @Test
    void aFailedWriteFailsTheJournalForGood() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            journal.append(FIRST);
            Thread.currentThread().interrupt(); // an interrupted thread's write closes the channel: an IOException
            try {
                assertThatThrownBy(journal::sync).isInstanceOf(JournalException.class);
            } finally {
                Thread.interrupted();
            }
            assertThatThrownBy(() -> journal.append(SECOND)).isInstanceOf(JournalException.class)
                    .hasMessageContaining("failed earlier");
            assertThatThrownBy(journal::sync).isInstanceOf(JournalException.class);
            assertThatThrownBy(journal::beginCheckpoint).isInstanceOf(JournalException.class);
        }
        assertThat(reopen().records()).isEmpty();
    }

    @Test
    void aRecordTooLargeIsRefusedAndNothingIsAppended() {
        Posting[] postings = new Posting[100_000]; // 1.2 MB encoded, over the 1 MiB limit
        Arrays.fill(postings, new Posting(0, 1));
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            journal.append(FIRST);
            assertThatThrownBy(() -> journal.append(new JournalRecord.MultiLegTransferred(List.of(postings))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> journal.append(new JournalRecord.Committed(String.join("", Collections.nCopies(
                    70_000, "x"))))).isInstanceOf(IllegalArgumentException.class);
            append(journal, SECOND);
        }
        assertThat(reopen().records()).containsExactly(FIRST, SECOND);
    }

    @Test
    void recoverRunsOnceBeforeTheFirstAppend() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            recover(journal);
            assertThatThrownBy(() -> recover(journal)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void toStringNamesTheDirectoryAndMode() {
        try (SegmentLog journal = SegmentLog.open(dir, SyncMode.BATCH)) {
            assertThat(journal.toString()).startsWith("file:").endsWith(dir.getFileName() + " (batch)");
        }
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.SyncMode;
import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.tx.Leg;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A durable bank over the network: a pipeline of requests costs one sync per batch read, not one per request, while
 * a client that waits for each reply still gets one sync per request; no reply leaves before its operation is
 * durable, whether the serving thread waits for the disk or hands the reply to the thread that syncs; a TRANSFERS
 * batch costs one sync and is answered after it; replies leave in order; a client that does not read its replies
 * is cut off after the request timeout; and a long pipeline whose requests keep arriving is not cut off by the
 * request timeout.
 */
@Timeout(60)
class DurableServingTest {
    private final CountingJournal journal = new CountingJournal();
    private BankServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void serve(BankServer.Builder settings) throws Exception {
        server = settings.build().start();
    }

    private Bank bank() {
        return Bank.builder().journal(journal).account("alice", 1_000_000).account("bob", 0).build();
    }

    @ParameterizedTest(name = "replies sent by the syncing thread: {0}")
    @ValueSource(booleans = {false, true})
    void aPipelineIsSyncedOncePerBatchAndEveryReplyFollowsItsSync(boolean syncOnDiskThread) throws Exception {
        journal.syncOnDiskThread = syncOnDiskThread;
        Bank bank = bank();
        serve(BankServer.builder(bank).port(0));
        int requests = 2_000;
        journal.syncNanos = TimeUnit.MILLISECONDS.toNanos(5);
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            int syncsBefore = journal.syncs.get();
            Pipeline pipeline = client.pipeline();
            List<Response<Outcome>> replies = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                replies.add(pipeline.add(Call.transfer("alice", "bob", 1)));
            }
            pipeline.sync();
            assertThat(replies).allSatisfy(reply -> assertThat(reply.get()).isEqualTo(Outcome.OK));
            int syncs = journal.syncs.get() - syncsBefore;
            assertThat(syncs).as("syncs for %d pipelined transfers", requests).isPositive().isLessThan(requests / 10);
            assertThat(journal.unsynced.get()).as("records unsynced when the client had every reply").isZero();
        }
        assertThat(bank.balance("bob")).isEqualTo(requests);
    }

    @ParameterizedTest(name = "replies sent by the syncing thread: {0}")
    @ValueSource(booleans = {false, true})
    void aClientThatWaitsForEachReplyGetsOneSyncPerOperation(boolean syncOnDiskThread) throws Exception {
        journal.syncOnDiskThread = syncOnDiskThread;
        journal.syncNanos = TimeUnit.MILLISECONDS.toNanos(1);
        Bank bank = bank();
        serve(BankServer.builder(bank).port(0));
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            int syncsBefore = journal.syncs.get();
            for (int i = 0; i < 20; i++) {
                assertThat(client.transfer("alice", "bob", 1)).isEqualTo(Outcome.OK);
                assertThat(journal.unsynced.get()).as("records unsynced when the reply arrived").isZero();
            }
            client.prepare("tx-1", List.of(Leg.debit("alice", 5)), Duration.ofMinutes(1));
            client.commit("tx-1");
            assertThat(journal.syncs.get() - syncsBefore).isEqualTo(22);
        }
    }

    @ParameterizedTest(name = "replies sent by the syncing thread: {0}")
    @ValueSource(booleans = {false, true})
    void aTransfersBatchIsAnsweredOnceDurableAfterOneSync(boolean syncOnDiskThread) throws Exception {
        journal.syncOnDiskThread = syncOnDiskThread;
        journal.syncNanos = TimeUnit.MILLISECONDS.toNanos(1);
        Bank bank = bank();
        serve(BankServer.builder(bank).port(0));
        int rounds = 5;
        int perBatch = 1_000;
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            for (int round = 0; round < rounds; round++) {
                List<Transfer> batch = new ArrayList<>(perBatch);
                for (int i = 0; i < perBatch; i++) {
                    batch.add(Transfer.of("r" + round + "-" + i, "alice", "bob", 1));
                }
                int syncsBefore = journal.syncs.get();
                assertThat(client.transfers(batch)).hasSize(perBatch).containsOnly(TransferStatus.OK);
                assertThat(journal.unsynced.get()).as("records unsynced when the reply arrived").isZero();
                assertThat(journal.syncs.get() - syncsBefore).as("syncs for a batch of %d", perBatch).isEqualTo(1);
            }
        }
        assertThat(bank.balance("bob")).isEqualTo((long) rounds * perBatch);
    }

    @Test
    void repliesLeaveInOrderWhenSomeAreSentByTheSyncingThread(@TempDir Path dir) throws Exception {
        try (FileJournal file = FileJournal.open(dir, SyncMode.BATCH)) {
            Bank bank = Bank.builder().journal(file).account("alice", 1_000_000).account("bob", 0).build();
            serve(BankServer.builder(bank).port(0));
            SplittableRandom random = new SplittableRandom(42);
            long bob = 0;
            try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
                for (int round = 0; round < 200; round++) {
                    // Writes, whose replies wait for the disk, mixed with reads, whose replies need not.
                    Pipeline pipeline = client.pipeline();
                    List<Response<?>> replies = new ArrayList<>();
                    List<Object> expected = new ArrayList<>();
                    for (int i = random.nextInt(1, 20); i > 0; i--) {
                        if (random.nextBoolean()) {
                            replies.add(pipeline.add(Call.transfer("alice", "bob", 1)));
                            expected.add(Outcome.OK);
                            bob++;
                        } else {
                            replies.add(pipeline.add(Call.balance("bob")));
                            expected.add(bob);
                        }
                    }
                    pipeline.sync();
                    List<Object> got = new ArrayList<>();
                    replies.forEach(reply -> got.add(reply.get()));
                    assertThat(got).as("round %d", round).isEqualTo(expected);
                }
            }
            assertThat(bank.balance("bob")).isEqualTo(bob);
        }
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsCutOffAfterTheRequestTimeout(@TempDir Path dir) throws Exception {
        CountDownLatch greedyClosed = new CountDownLatch(1);
        AtomicInteger greedyPort = new AtomicInteger(-1);
        try (FileJournal file = FileJournal.open(dir, SyncMode.BATCH)) {
            Bank bank = Bank.builder().journal(file).account("alice", Long.MAX_VALUE / 2).account("bob", 0).build();
            serve(BankServer.builder(bank).port(0).requestTimeout(Duration.ofMillis(500))
                    .listener(new ConnectionListener() {
                        @Override
                        public void closed(Session session) {
                            if (session.remoteAddress().getPort() == greedyPort.get()) {
                                greedyClosed.countDown();
                            }
                        }
                    }));
            try (BankClient client = BankClient.connect("127.0.0.1", server.port());
                 Socket greedy = new Socket()) {
                greedy.setReceiveBufferSize(4 * 1024); // fills soon: the server's writes to it then block
                greedy.connect(new InetSocketAddress("127.0.0.1", server.port()));
                greedyPort.set(greedy.getLocalPort());
                byte[] transfers = "TRANSFER alice bob 1\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII);
                Thread sender = new Thread(() -> {
                    try {
                        for (int i = 0; i < 1_000_000; i++) { // until the server cuts it off; bounded regardless
                            greedy.getOutputStream().write(transfers);
                        }
                    } catch (IOException cutOff) {
                        // expected
                    }
                });
                sender.start();
                assertThat(greedyClosed.await(30, TimeUnit.SECONDS)).as("the greedy client was cut off").isTrue();
                assertThat(client.transfer("alice", "bob", 1)).isEqualTo(Outcome.OK);
                greedy.close();
                sender.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(sender.isAlive()).isFalse();
            }
        }
    }

    @Test
    void aPipelineStillArrivingIsNotCutOffByTheRequestTimeout() throws Exception {
        Bank bank = bank();
        // Each SLOW request takes 60 ms, so ten of them outlast the 300 ms request timeout; the timeout must count
        // from the last whole request, not from the first byte of the partial one left over from an earlier read.
        serve(BankServer.builder(bank).port(0).requestTimeout(Duration.ofMillis(300))
                .command("SLOW", (request, reply) -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(60)); // simulated work, not a wait
                    reply.simple("DONE");
                }));
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("*1\r\n$4\r\nSL"); // half a request: the request timeout starts
            raw.send("OW\r\n" + "*1\r\n$4\r\nSLOW\r\n".repeat(10) + "*1\r\n$4\r\nPI");
            for (int i = 0; i < 11; i++) {
                assertThat(raw.readLine()).as("reply %d", i).isEqualTo("+DONE");
            }
            raw.send("NG\r\n");
            assertThat(raw.readLine()).isEqualTo("+PONG");
        }
    }

    /**
     * A journal that keeps nothing and counts appends, syncs, and the records appended since the last sync. A sync
     * takes {@code syncNanos}, like a disk, so that a reply sent before its sync would be seen by the client while
     * its record is still unsynced.
     *
     * <p>Concurrency: the counters are atomic; the server's threads call in concurrently.
     */
    private static final class CountingJournal implements Journal, RecordLog {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger syncs = new AtomicInteger();
        final AtomicInteger unsynced = new AtomicInteger();
        volatile long syncNanos;
        /** Whether whenSynced syncs and runs its action on a thread of its own, as a file journal's flusher does. */
        volatile boolean syncOnDiskThread;
        private final ExecutorService disk = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "disk");
            thread.setDaemon(true);
            return thread;
        });

        @Override
        public void append(JournalRecord record) {
            appends.incrementAndGet();
            unsynced.incrementAndGet();
        }

        @Override
        public void sync() {
            if (syncNanos > 0) {
                LockSupport.parkNanos(syncNanos); // the disk's latency, not a wait for another thread
            }
            syncs.incrementAndGet();
            unsynced.set(0);
        }

        @Override
        public void whenSynced(Consumer<? super JournalException> action) {
            if (syncOnDiskThread) {
                disk.execute(() -> {
                    sync();
                    action.accept(null);
                });
            } else {
                RecordLog.super.whenSynced(action);
            }
        }

        @Override
        public void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records) {
        }

        @Override
        public long beginCheckpoint() {
            return 0;
        }

        @Override
        public void completeCheckpoint(long token, Checkpoint state) {
        }

        @Override
        public long bytesSinceCheckpoint() {
            return 0;
        }

        @Override
        public void close() {
            disk.shutdown();
        }
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.journal.Checkpoint;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalRecord;
import dev.ledger.tx.Leg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A durable bank over the network: a pipeline of requests costs one sync per batch read, not one per request, while
 * a client that waits for each reply still gets one sync per request; and a long pipeline whose requests keep
 * arriving is not cut off by the request timeout.
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

    @Test
    void aPipelineIsSyncedOncePerBatchAndEveryReplyFollowsItsSync() throws Exception {
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

    @Test
    void aClientThatWaitsForEachReplyGetsOneSyncPerOperation() throws Exception {
        Bank bank = bank();
        serve(BankServer.builder(bank).port(0));
        try (BankClient client = BankClient.connect("127.0.0.1", server.port())) {
            int syncsBefore = journal.syncs.get();
            for (int i = 0; i < 20; i++) {
                assertThat(client.transfer("alice", "bob", 1)).isEqualTo(Outcome.OK);
            }
            client.prepare("tx-1", List.of(Leg.debit("alice", 5)), Duration.ofMinutes(1));
            client.commit("tx-1");
            assertThat(journal.syncs.get() - syncsBefore).isEqualTo(22);
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
    private static final class CountingJournal implements Journal {
        final AtomicInteger appends = new AtomicInteger();
        final AtomicInteger syncs = new AtomicInteger();
        final AtomicInteger unsynced = new AtomicInteger();
        volatile long syncNanos;

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
        }
    }
}

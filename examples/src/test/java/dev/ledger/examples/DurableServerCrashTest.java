package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.net.BankClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger server --data-dir} killed with {@code kill -9} at random moments under load, 20 times, and
 * restarted on the same directory each time. Checkpoints are taken every 64 KiB, so some kills land during one.
 *
 * <p>Each of the client threads moves 1 at a time from its own source account to its own destination, each transfer
 * under an id of its own ({@code w<worker>-<n>} for its n-th), and counts the transfers the server acknowledged; the
 * threads also make random transfers among a shared pool of accounts. After every restart the test sends each
 * worker's next transfer again under its id: the one in flight at the kill, which may or may not have been applied.
 * It must be answered REPEATED if it was and applied now if it was not, so that the destination then holds exactly
 * the worker's transfers: the ids survived the kill, from the journal or from a checkpoint. The test also checks
 * that no transfer is half applied (each pair, and the pool, still sums to what it started with), and that the
 * bank's total is conserved.
 */
@Timeout(300)
class DurableServerCrashTest {
    private static final int CRASHES = 20;
    private static final int WORKERS = 4;
    private static final int POOL = 8;
    private static final int ACCOUNTS = 2 * WORKERS + POOL;
    private static final long INITIAL = 1_000_000;
    private static final long SEED = 20261125L;

    @TempDir
    Path dataDir;

    private ServerProcess server;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyAcknowledgedTransferSurvivesKillNine() throws Exception {
        SplittableRandom random = new SplittableRandom(SEED);
        long[] acknowledged = new long[WORKERS];
        for (int crash = 0; crash <= CRASHES; crash++) {
            server = ServerProcess.start("--port", "0", "--accounts", Integer.toString(ACCOUNTS), "--initial",
                    Long.toString(INITIAL), "--data-dir", dataDir.toString(), "--checkpoint-every", "65536");
            try (BankClient auditor = server.client()) {
                checkRecovered(auditor, acknowledged, crash);
            }
            if (crash == CRASHES) {
                break; // the last restart only checks
            }
            // The kill comes after a random number of acknowledged transfers, while the workers keep sending.
            CountDownLatch progress = new CountDownLatch(random.nextInt(50, 3_000));
            List<Worker> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                workers.add(new Worker(w, server, acknowledged[w], random.split(), progress));
            }
            workers.forEach(Thread::start);
            assertThat(progress.await(60, TimeUnit.SECONDS)).as("the load reached the kill point").isTrue();
            server.kill(); // SIGKILL: no shutdown hook, no final sync
            for (Worker worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(30));
                assertThat(worker.isAlive()).as("%s stops once the server is gone", worker).isFalse();
                assertThat(worker.refused).as("%s's own transfers never lack funds", worker).isZero();
                acknowledged[worker.index] = worker.acknowledged;
            }
        }
        for (long transfers : acknowledged) {
            assertThat(transfers).as("each worker's transfers over all the runs").isGreaterThan(CRASHES);
        }
    }

    /**
     * Checks the recovered bank against what was acknowledged, and records what it actually applied: the transfer
     * in flight at the kill is now known to have happened or not.
     */
    private static void checkRecovered(BankClient auditor, long[] acknowledged, int crash) {
        Map<String, Long> balances = auditor.snapshot();
        assertThat(balances).as("accounts after restart %d", crash).hasSize(ACCOUNTS);
        long total = 0;
        for (long balance : balances.values()) {
            total += balance;
        }
        assertThat(total).as("total after restart %d", crash).isEqualTo(ACCOUNTS * INITIAL);
        for (int w = 0; w < WORKERS; w++) {
            long source = balances.get(source(w));
            long destination = balances.get(destination(w));
            assertThat(source + destination).as("pair %d after restart %d: no transfer half applied", w, crash)
                    .isEqualTo(2 * INITIAL);
            assertThat(destination - INITIAL).as("worker %d's transfers after restart %d", w, crash)
                    .isBetween(acknowledged[w], acknowledged[w] + 1);
            // The transfer in flight at the kill, sent again: applied at most once, whichever side of the kill.
            TransferStatus resent = auditor.transfer(ownTransfer(w, acknowledged[w] + 1));
            assertThat(resent).as("worker %d's transfer %d resent after restart %d", w, acknowledged[w] + 1, crash)
                    .isIn(TransferStatus.OK, TransferStatus.REPEATED);
            assertThat(resent == TransferStatus.REPEATED)
                    .as("REPEATED exactly when the balance shows it applied before the kill")
                    .isEqualTo(destination - INITIAL == acknowledged[w] + 1);
            acknowledged[w]++;
            assertThat(auditor.balance(destination(w)) - INITIAL).isEqualTo(acknowledged[w]);
        }
    }

    /** A worker's n-th transfer of 1 from its source to its destination, under its own id. */
    private static Transfer ownTransfer(int worker, long n) {
        return Transfer.of("w" + worker + "-" + n, source(worker), destination(worker), 1);
    }

    private static String source(int worker) {
        return Integer.toString(2 * worker + 1);
    }

    private static String destination(int worker) {
        return Integer.toString(2 * worker + 2);
    }

    private static String pool(int index) {
        return Integer.toString(2 * WORKERS + 1 + index);
    }

    /** One client: its own pair's transfers, counted, and random pool transfers, until the connection dies. */
    private static final class Worker extends Thread {
        final int index;
        private final ServerProcess server;
        private final SplittableRandom random;
        private final CountDownLatch progress;
        /** Written by this thread only, like {@code refused}; read by the test after join(). */
        long acknowledged;
        long refused;

        Worker(int index, ServerProcess server, long acknowledged, SplittableRandom random, CountDownLatch progress) {
            super("worker-" + index);
            this.index = index;
            this.server = server;
            this.acknowledged = acknowledged;
            this.random = random;
            this.progress = progress;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (BankClient client = server.client()) {
                while (true) {
                    if (client.transfer(ownTransfer(index, acknowledged + 1)).isApplied()) {
                        acknowledged++;
                    } else {
                        refused++;
                    }
                    progress.countDown();
                    int from = random.nextInt(POOL);
                    int to = (from + 1 + random.nextInt(POOL - 1)) % POOL;
                    client.transfer(pool(from), pool(to), 1 + random.nextInt(100));
                }
            } catch (RuntimeException connectionLost) {
                // the server was killed: the transfer in flight, if any, is unacknowledged
            }
        }
    }
}

package dev.ledger.benchmarks;

import dev.ledger.Bank;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Batches of transfers applied in the bank itself, with no network: what {@link Bank#transfers} costs per batch, and
 * so per transfer, at batch sizes 1 to 8,189, with and without transfer ids. It is the ceiling for batches sent
 * through a connection. The score is batches per second; multiply by {@code batch} for transfers per second.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BatchBenchmark -p strategy=ORDERED
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchBenchmark {

    /** The bank, shared by every thread of the trial. */
    @State(Scope.Benchmark)
    public static class SharedBank extends StrategyBank {
        /** The number of accounts. */
        @Param({"200000"})
        public int accounts;

        /** How many transfers one call applies. */
        @Param({"1", "16", "256", "8189"})
        public int batch;

        /** Whether each transfer carries a fresh id, which the bank checks and remembers. */
        @Param({"false", "true"})
        public boolean ids;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /**
     * A thread's next batch: random distinct pairs from its ring and, with ids, ids no thread used before.
     *
     * <p>Concurrency: {@link Scope#Thread}.
     */
    @State(Scope.Thread)
    public static class Batches {
        private String prefix;
        private long nextId;

        /**
         * Gives the thread a prefix of its own for ids.
         *
         * @param thread the thread's index
         */
        @Setup(Level.Trial)
        public void prefix(ThreadParams thread) {
            prefix = "t" + thread.getThreadIndex() + "-";
        }

        List<Transfer> next(SharedBank shared, Pairs pairs) {
            List<Transfer> batch = new ArrayList<>(shared.batch);
            IndexRing ring = pairs.ring;
            for (int i = 0; i < shared.batch; i++) {
                ring.advance();
                String id = shared.ids ? prefix + nextId++ : null;
                batch.add(new Transfer(id, shared.handles[ring.at(0)].id(), shared.handles[ring.at(1)].id(),
                        BenchmarkBank.AMOUNT));
            }
            return batch;
        }
    }

    /**
     * Builds and applies one batch.
     *
     * @param shared the trial's bank
     * @param batches this thread's batches
     * @param pairs this thread's pairs
     * @return the statuses, one per transfer
     */
    @Benchmark
    public List<TransferStatus> transfers(SharedBank shared, Batches batches, Pairs pairs) {
        return shared.bank.transfers(batches.next(shared, pairs));
    }
}

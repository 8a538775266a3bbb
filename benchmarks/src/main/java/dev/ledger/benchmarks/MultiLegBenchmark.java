package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Debit;
import dev.ledger.Outcome;
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
 * Throughput of multi-leg transfers: 1 from each of 3 source accounts into one destination, all four distinct and
 * random, with {@link Bank#transfer(Account, List)}. Every operation locks four accounts, so it collides more
 * often than a two-account transfer; 4 accounts means every operation locks the whole bank.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar MultiLegBenchmark -t 2 -rf json -rff benchmarks/results/multi-leg.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MultiLegBenchmark {
    /** Source legs per transfer. */
    static final int SOURCES = 3;

    /**
     * The bank of one trial, shared by all threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Benchmark)
    public static class SharedBank extends StrategyBank {
        /** The number of accounts; at least 4, since a transfer touches four distinct accounts. */
        @Param({"4", "64", "4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /** One precomputed multi-leg transfer: the request exactly as a caller passes it. */
    record Leg(Account destination, List<Debit> sources) {
    }

    /**
     * Per-thread state: the thread's own ring of random transfers, built before the measurement so that neither
     * the random generator nor building the request lists is measured.
     *
     * <p>Concurrency: {@link Scope#Thread}: each benchmark thread has its own.
     */
    @State(Scope.Thread)
    public static class Legs {
        private Leg[] ring;
        private int position;

        /**
         * Builds the ring from random picks of four distinct accounts: three sources, then the destination.
         *
         * @param shared the trial's bank, for its accounts
         * @param thread this thread's index, the seed
         */
        @Setup(Level.Trial)
        public void fill(SharedBank shared, ThreadParams thread) {
            IndexRing picks = new IndexRing(shared.accounts, SOURCES + 1, thread.getThreadIndex());
            Account[] handles = shared.handles;
            ring = new Leg[IndexRing.PICKS];
            for (int i = 0; i < ring.length; i++) {
                picks.advance();
                Debit[] sources = new Debit[SOURCES];
                for (int leg = 0; leg < SOURCES; leg++) {
                    sources[leg] = Debit.of(handles[picks.at(leg)], BenchmarkBank.AMOUNT);
                }
                ring[i] = new Leg(handles[picks.at(SOURCES)], List.of(sources));
            }
        }

        /** Returns the next transfer, wrapping around at the end of the ring. */
        Leg next() {
            int current = position;
            position = current + 1 == ring.length ? 0 : current + 1;
            return ring[current];
        }
    }

    /**
     * One multi-leg transfer of the next pick.
     *
     * @param shared the trial's bank
     * @param legs this thread's transfers
     * @return the outcome
     */
    @Benchmark
    public Outcome transfer(SharedBank shared, Legs legs) {
        Leg leg = legs.next();
        return shared.bank.transfer(leg.destination(), leg.sources());
    }
}

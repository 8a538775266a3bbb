package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of two-account transfers under each lock strategy. The number of accounts is the contention knob: with
 * 2 accounts every pair of concurrent transfers collides, with 4096 they rarely do. Each operation is one
 * {@link Bank#transfer(Account, Account, long)} of 1 between two distinct random accounts, on handles resolved
 * before the measurement.
 *
 * <p>Run it from the repository root, once per thread count (JMH takes one {@code -t} per run):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TransferBenchmark -t 1 -rf json -rff benchmarks/results/transfer-t1.json
 * java -jar benchmarks/target/benchmarks.jar TransferBenchmark -t 2 -rf json -rff benchmarks/results/transfer-t2.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransferBenchmark {
    /**
     * The bank of one trial, shared by all threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Benchmark)
    public static class SharedBank extends StrategyBank {
        /** The number of accounts: the fewer, the more often threads collide. */
        @Param({"2", "64", "4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /**
     * One transfer of 1 between the next pair of accounts.
     *
     * @param shared the trial's bank
     * @param pairs this thread's pairs
     * @return the outcome, so that JMH consumes it
     */
    @Benchmark
    public Outcome transfer(SharedBank shared, Pairs pairs) {
        return shared.transfer(pairs);
    }
}

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
 * Throughput of two-account transfers when one account is hot: {@code hotPercent} percent of the transfers have
 * account 0 (a fee account, a merchant, a treasury) as their source or destination, the other side uniform among
 * the rest; the remaining transfers are uniform, as in {@link TransferBenchmark}, which is the same bank without
 * the hot account. Each operation is one {@link Bank#transfer(Account, Account, long)} of 1 on handles resolved
 * before the measurement.
 *
 * <p>Run it from the repository root, once per thread count:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar HotAccountBenchmark -t 1 -rf json -rff benchmarks/results/hot-t1.json
 * java -jar benchmarks/target/benchmarks.jar HotAccountBenchmark -t 2 -rf json -rff benchmarks/results/hot-t2.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HotAccountBenchmark {
    /**
     * The bank of one trial, shared by all threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Benchmark)
    public static class SharedBank extends StrategyBank {
        /** The number of accounts: many, so that only the hot one makes threads collide. */
        @Param({"4096"})
        public int accounts;

        /** The percentage of transfers that touch account 0; {@link Pairs} reads it to build its ring. */
        @Param({"90"})
        public int hotPercent;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /**
     * One transfer of 1 between the next pair of accounts, most of them involving the hot account.
     *
     * @param shared the trial's bank
     * @param pairs this thread's pairs, skewed by the trial's {@code hotPercent}
     * @return the outcome, so that JMH consumes it
     */
    @Benchmark
    public Outcome transfer(SharedBank shared, Pairs pairs) {
        return shared.transfer(pairs);
    }
}

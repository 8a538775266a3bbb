package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One writer thread doing transfers and one reader thread doing {@link Bank#balance(Account)} reads on the same
 * bank, at the same time: how much each strategy's reads cost its writes and the other way round. JMH reports each
 * side on its own line ({@code mix:transfer}, {@code mix:balance}) besides their sum.
 *
 * <p>Run it from the repository root (the group sets the threads; give no {@code -t}):
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ReadWriteMixBenchmark -rf json -rff benchmarks/results/mix.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReadWriteMixBenchmark {
    /**
     * The bank of one trial, shared by the group's two threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Group)
    public static class GroupBank extends StrategyBank {
        /** The number of accounts: the fewer, the more often the reader meets the writer. */
        @Param({"2", "64", "4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }
    }

    /**
     * The writer: one transfer of 1 between the next pair of accounts.
     *
     * @param group the group's bank
     * @param pairs this thread's pairs
     * @return the outcome
     */
    @Benchmark
    @Group("mix")
    @GroupThreads(1)
    public Outcome transfer(GroupBank group, Pairs pairs) {
        return group.transfer(pairs);
    }

    /**
     * The reader: the balance of the next account, the first of the next pair.
     *
     * @param group the group's bank
     * @param pairs this thread's pairs
     * @return the balance
     */
    @Benchmark
    @Group("mix")
    @GroupThreads(1)
    public long balance(GroupBank group, Pairs pairs) {
        IndexRing ring = pairs.ring;
        ring.advance();
        return group.bank.balance(group.handles[ring.at(0)]);
    }
}

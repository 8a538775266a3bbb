package dev.ledger.benchmarks;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.jcstress.UnsynchronizedStrategy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The ceiling: {@link TransferBenchmark}'s transfers on the same {@link Bank} with no synchronization at all (the
 * jcstress negative control's {@link UnsynchronizedStrategy}). Everything else is the same: the argument checks,
 * the balance check, the debit and credit, the returned outcome, the accounts and the picks. So the gap between a
 * strategy and the ceiling is exactly what the strategy's synchronization costs.
 *
 * <p>With one thread it is the physical reference the strategies are measured against. With two threads on one
 * shared bank it loses updates, so its money is not checked; it then measures what moving the accounts' cache
 * lines between cores costs when nothing waits for anything, the bound on any strategy's parallel speed-up.
 *
 * <p>Run it from the repository root:
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CeilingBenchmark -t 1 -rf json -rff benchmarks/results/ceiling-t1.json
 * java -jar benchmarks/target/benchmarks.jar CeilingBenchmark -t 2 -rf json -rff benchmarks/results/ceiling-t2.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CeilingBenchmark {
    /**
     * The unsynchronized bank of one trial, shared by all threads.
     *
     * <p>Concurrency: none by design; with more than one thread the bank's accounts are raced on purpose.
     */
    @State(Scope.Benchmark)
    public static class SharedBank extends BenchmarkBank {
        /** The number of accounts, as in {@link TransferBenchmark}. */
        @Param({"2", "64", "4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }

        @Override
        Bank newBank() {
            return Bank.builder().strategy(new UnsynchronizedStrategy()).build();
        }

        /** Only a one-thread trial must conserve money: racing threads lose updates here on purpose. */
        @Override
        boolean mustConserveMoney(BenchmarkParams params) {
            return params.getThreads() == 1;
        }
    }

    /**
     * One unsynchronized transfer of 1 between the next pair of accounts.
     *
     * @param shared the trial's bank
     * @param pairs this thread's pairs, the same as {@link TransferBenchmark}'s
     * @return the outcome, so that JMH consumes it
     */
    @Benchmark
    public Outcome transfer(SharedBank shared, Pairs pairs) {
        return shared.transfer(pairs);
    }
}

package dev.ledger.benchmarks;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import java.time.Duration;
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
 * What two-phase commit costs on one local participant: {@code prepare} plus {@code commit} of a debit and a credit,
 * against a plain {@code transfer} of the same amount between the same accounts. Both run in one trial, side by
 * side, so the ratio is measured under the same conditions.
 *
 * <p>The 2PC path does more by design: it validates the legs by id, records the transaction, takes the holds
 * under the accounts' locks, then takes the locks again to apply them.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TwoPhaseCommitBenchmark -t 1 -rf json -rff benchmarks/results/2pc.json
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TwoPhaseCommitBenchmark {
    private static final Duration HOLD_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The bank of one trial, shared by all threads.
     *
     * <p>Concurrency: as {@link BenchmarkBank}.
     */
    @State(Scope.Benchmark)
    public static class SharedBank extends StrategyBank {
        /** The number of accounts. */
        @Param({"4096"})
        public int accounts;

        @Override
        int accounts() {
            return accounts;
        }

        /** A bank that remembers only the newest finished transactions, so memory stays flat during the run. */
        @Override
        Bank newBank() {
            return Bank.builder().strategy(strategy).rememberFinishedTransactions(10_000).build();
        }
    }

    /**
     * Per-thread state: the legs of a debit and a credit for each random pair, built once, and a transaction
     * counter. The pairs are the thread's {@link Pairs}: same accounts, same seed.
     *
     * <p>Concurrency: {@link Scope#Thread}: each benchmark thread has its own.
     */
    @State(Scope.Thread)
    public static class Transactions {
        /** A debit and a credit per pick, by pick. */
        List<Leg>[] legs;
        /** This thread's prefix of transaction ids, so that threads never share one. */
        String txPrefix;
        /** The number of transactions this thread has started. */
        long sequence;

        /**
         * Builds the legs of this thread's pairs.
         *
         * @param shared the trial's bank, for its accounts
         * @param thread this thread's index, the seed and the transaction id prefix
         */
        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void fill(SharedBank shared, ThreadParams thread) {
            IndexRing ring = new IndexRing(shared.accounts, 2, thread.getThreadIndex());
            legs = new List[IndexRing.PICKS];
            for (int pick = 0; pick < IndexRing.PICKS; pick++) {
                ring.advance();
                legs[pick] = List.of(Leg.debit(shared.handles[ring.at(0)].id(), BenchmarkBank.AMOUNT),
                        Leg.credit(shared.handles[ring.at(1)].id(), BenchmarkBank.AMOUNT));
            }
            txPrefix = "t" + thread.getThreadIndex() + "-";
        }
    }

    /**
     * A plain transfer of 1 between the next pair.
     *
     * @param shared the trial's bank
     * @param pairs this thread's pairs
     * @return the outcome
     */
    @Benchmark
    public Outcome transfer(SharedBank shared, Pairs pairs) {
        return shared.transfer(pairs);
    }

    /**
     * Prepare then commit the same movement as one transaction.
     *
     * @param shared the trial's bank
     * @param transactions this thread's legs and transaction counter
     * @return the commit's state
     */
    @Benchmark
    public TxState prepareAndCommit(SharedBank shared, Transactions transactions) {
        long sequence = transactions.sequence++;
        String txId = transactions.txPrefix + sequence;
        shared.bank.prepare(txId, transactions.legs[(int) (sequence % IndexRing.PICKS)], HOLD_TIMEOUT);
        return shared.bank.commit(txId);
    }
}

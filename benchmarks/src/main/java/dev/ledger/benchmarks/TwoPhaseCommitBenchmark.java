package dev.ledger.benchmarks;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.lock.LockStrategies;
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
import org.openjdk.jmh.annotations.TearDown;
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
@State(Scope.Benchmark)
public class TwoPhaseCommitBenchmark {
    private static final Duration HOLD_TIMEOUT = Duration.ofMinutes(10);

    /** The strategy under test; every constant of the shared registry by default. */
    @Param
    public LockStrategies strategy;

    /** The number of accounts. */
    @Param({"4096"})
    public int accounts;

    private Bank bank;
    private Account[] handles;

    /** Opens a bank that remembers only the newest finished transactions, so memory stays flat during the run. */
    @Setup(Level.Trial)
    public void openBank() {
        bank = Bank.builder().strategy(strategy).rememberFinishedTransactions(10_000).build();
        handles = BenchmarkBank.open(bank, accounts);
    }

    /** Fails the trial if money was lost or created. */
    @TearDown(Level.Trial)
    public void checkMoneyConserved() {
        BenchmarkBank.checkMoneyConserved(bank, accounts);
    }

    /** Per-thread state: random account pairs, their legs built once, and a transaction counter. */
    @State(Scope.Thread)
    public static class Picks {
        IndexRing ring;
        List<Leg>[] legs;
        String txPrefix;
        long sequence;

        /**
         * Builds this thread's picks and the legs for each.
         *
         * @param benchmark the trial's shared state
         * @param thread this thread's index, the seed and the transaction id prefix
         */
        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void fill(TwoPhaseCommitBenchmark benchmark, ThreadParams thread) {
            ring = new IndexRing(benchmark.accounts, 2, thread.getThreadIndex());
            legs = new List[IndexRing.PICKS];
            for (int pick = 0; pick < IndexRing.PICKS; pick++) {
                ring.advance();
                legs[pick] = List.of(Leg.debit(benchmark.handles[ring.at(0)].id(), BenchmarkBank.AMOUNT),
                        Leg.credit(benchmark.handles[ring.at(1)].id(), BenchmarkBank.AMOUNT));
            }
            txPrefix = "t" + thread.getThreadIndex() + "-";
        }
    }

    /**
     * A plain transfer of 1 between the next pair.
     *
     * @param picks this thread's pairs
     * @return the outcome
     */
    @Benchmark
    public Outcome transfer(Picks picks) {
        IndexRing ring = picks.ring;
        ring.advance();
        return bank.transfer(handles[ring.at(0)], handles[ring.at(1)], BenchmarkBank.AMOUNT);
    }

    /**
     * Prepare then commit the same movement as one transaction.
     *
     * @param picks this thread's pairs and legs
     * @return the commit's state
     */
    @Benchmark
    public TxState prepareAndCommit(Picks picks) {
        long sequence = picks.sequence++;
        String txId = picks.txPrefix + sequence;
        bank.prepare(txId, picks.legs[(int) (sequence % IndexRing.PICKS)], HOLD_TIMEOUT);
        return bank.commit(txId);
    }
}

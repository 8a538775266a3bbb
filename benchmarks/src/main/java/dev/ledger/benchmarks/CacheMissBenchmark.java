package dev.ledger.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one transfer between two random accounts costs before any bank logic: looking both accounts up by id and
 * taking and releasing their locks, on plain objects shaped like the bank's (an id string, a map from id to
 * account, a lock per account). With a few accounts everything stays in the processor's caches; with hundreds of
 * thousands, each step is a cache miss, and the misses, not the code, set the pace.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CacheMissBenchmark
 * </pre>
 *
 * <p>Concurrency: {@link Scope#Thread}: each benchmark thread has its own accounts; the locks are taken as a
 * transfer takes them, uncontended, for their cost alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class CacheMissBenchmark {
    /** The number of accounts. */
    @Param({"64", "4096", "200000"})
    public int accounts;

    /** An account as the bank holds one: an id, a lock, money. */
    static final class Slot {
        final String id;
        final ReentrantLock lock = new ReentrantLock();
        long balance = 1_000_000;

        Slot(String id) {
            this.id = id;
        }
    }

    private Map<String, Slot> byId;
    private String[] picks;
    private int next;

    /** Opens the accounts and draws random pairs of ids, as a batch from the wire would carry them. */
    @Setup(Level.Trial)
    public void open() {
        byId = new HashMap<>();
        String[] ids = new String[accounts];
        for (int i = 0; i < accounts; i++) {
            ids[i] = String.format("a%012d", i);
            byId.put(ids[i], new Slot(ids[i]));
        }
        SplittableRandom random = new SplittableRandom(1);
        picks = new String[1 << 20];
        for (int i = 0; i < picks.length; i++) {
            // A fresh String per pick, as parsing a request makes: its hash is computed on first use.
            picks[i] = new String(ids[random.nextInt(accounts)].toCharArray());
        }
    }

    /**
     * Looks two accounts up, locks both, moves 1, unlocks.
     *
     * @return the destination's balance
     */
    @Benchmark
    public long lookUpLockAndMove() {
        int i = next;
        next = (i + 2) & (picks.length - 1);
        Slot from = byId.get(picks[i]);
        Slot to = byId.get(picks[i + 1]);
        if (from == to) {
            return to.balance;
        }
        from.lock.lock();
        to.lock.lock();
        try {
            from.balance--;
            return ++to.balance;
        } finally {
            to.lock.unlock();
            from.lock.unlock();
        }
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.net.Call;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.TxState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Resolves the transactions a bank holds in doubt. Every {@code every}, it asks the coordinator of each transaction
 * held past its hold timeout for the decision ({@code DECISION txid} to the bank named before the id's first
 * {@code -}, or this bank's own coordinator) and applies it. A coordinator that cannot be reached leaves the
 * transaction in doubt, its money held, until a later round reaches it.
 *
 * <p>Concurrency: rounds run on one daemon thread, and on a caller's thread through {@link #resolveNow};
 * {@code waiting} is a concurrent set, so both may use it; every other field is final.
 */
final class InDoubtResolver {
    private final String name;
    private final Bank bank;
    private final Coordinator coordinator;
    private final Peers peers;
    private final Duration every;
    private final Consumer<String> events;
    private final ScheduledExecutorService rounds;
    /** In-doubt transactions already reported as waiting for an unreachable coordinator. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    /**
     * Creates a resolver; {@link #start} schedules its rounds.
     *
     * @param name the bank's name
     * @param bank the bank whose transactions are resolved
     * @param coordinator the bank's own coordinator, asked about the transactions it coordinated
     * @param peers the other banks, asked about theirs
     * @param every the delay between rounds
     * @param events told each decision applied and each coordinator that does not answer
     */
    InDoubtResolver(String name, Bank bank, Coordinator coordinator, Peers peers, Duration every,
            Consumer<String> events) {
        this.name = name;
        this.bank = bank;
        this.coordinator = coordinator;
        this.peers = peers;
        this.every = every;
        this.events = events;
        this.rounds = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "consortium-" + name + "-in-doubt");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the rounds, the first one {@code every} from now. */
    void start() {
        long millis = every.toMillis();
        rounds.scheduleWithFixedDelay(this::resolveNow, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs one round now, on this thread.
     *
     * @return the number of transactions resolved
     */
    int resolveNow() {
        List<String> decided = new ArrayList<>();
        try {
            return bank.resolveInDoubt(txId -> {
                TxState decision = decision(txId);
                if (decision != TxState.PREPARED) { // PREPARED: not decided yet, so nothing is applied
                    decided.add("in doubt: " + txId + " resolved as " + decision + ", the decision of "
                            + coordinatorOf(txId));
                }
                return decision;
            });
        } catch (RuntimeException e) {
            events.accept("resolving transactions in doubt failed: " + e); // the next round tries again
            return 0;
        } finally {
            decided.forEach(event -> { // only now: the bank has applied every decision it was given
                SecurityLog.inDoubt(name, event);
                events.accept(event);
            });
        }
    }

    /** Stops scheduling rounds and interrupts the one running, if any. */
    void shutdown() {
        rounds.shutdownNow();
    }

    /**
     * Waits for a round still running after {@link #shutdown}.
     *
     * @param timeout how long at most
     */
    void awaitTermination(Duration timeout) throws InterruptedException {
        rounds.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String coordinatorOf(String txId) {
        int dash = txId.indexOf('-');
        return dash < 0 ? "" : txId.substring(0, dash);
    }

    /** Asks the transaction's coordinator for its decision; a failure leaves the transaction in doubt. */
    private TxState decision(String txId) {
        String coordinatorName = coordinatorOf(txId);
        TxState decision;
        try {
            decision = coordinatorName.equals(name) ? coordinator.status(txId)
                    : TxState.valueOf(Replies.string(peers.link(coordinatorName).call(Call.raw("DECISION", txId)),
                            "DECISION"));
        } catch (RuntimeException unreachable) {
            if (waiting.add(txId)) {
                String event = "in doubt: " + txId + " stays held; its coordinator " + coordinatorName
                        + " did not answer (" + Texts.rootMessage(unreachable) + ")";
                SecurityLog.inDoubt(name, event);
                events.accept(event);
            }
            throw unreachable;
        }
        waiting.remove(txId);
        return decision;
    }
}

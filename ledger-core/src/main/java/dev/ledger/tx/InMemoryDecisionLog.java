package dev.ledger.tx;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link DecisionLog} in memory: decisions survive a coordinator object, not a process.
 *
 * <p>Concurrency: one {@link ConcurrentHashMap}; {@code putIfAbsent} makes the first decision win.
 */
public final class InMemoryDecisionLog implements DecisionLog {
    private final Map<String, TxState> decisions = new ConcurrentHashMap<>();

    /** Creates an empty log. */
    public InMemoryDecisionLog() {
    }

    @Override
    public TxState decide(String txId, TxState decision) {
        Objects.requireNonNull(txId, "txId");
        if (!decision.isFinal()) {
            throw new IllegalArgumentException("a decision is COMMITTED or ABORTED, not " + decision);
        }
        TxState earlier = decisions.putIfAbsent(txId, decision);
        return earlier != null ? earlier : decision;
    }

    @Override
    public Optional<TxState> decision(String txId) {
        return Optional.ofNullable(decisions.get(txId));
    }
}

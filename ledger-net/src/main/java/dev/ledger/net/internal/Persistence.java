package dev.ledger.net.internal;

import java.util.Map;

/**
 * What {@code INFO persistence} and {@code CONFIG GET appendonly} tell of how the bank keeps its operations, which
 * the server supplies.
 *
 * <p>Implementations are shared by every connection, so they are thread-safe.
 */
public interface Persistence {
    /** Returns whether the bank journals its operations, as Redis's append-only file would. */
    boolean journaled();

    /**
     * Returns the journal's figures for {@code INFO persistence}, after {@code ledger_journal}: names in Redis's
     * style, in the order to show them; empty without a journal.
     *
     * @return the figures by name
     */
    Map<String, Object> figures();
}

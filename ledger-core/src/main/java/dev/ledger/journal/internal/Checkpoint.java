package dev.ledger.journal.internal;

import java.util.List;
import java.util.Objects;

/**
 * A bank's whole state at one instant, as a checkpoint stores it: recovery starts from the latest checkpoint and
 * replays only the records written after it. Holds are not stored: they follow from the prepared transactions.
 *
 * @param accounts every account, by ascending ordinal
 * @param prepared the transactions prepared and not yet decided, their holds included in the balances
 * @param ids the operations applied under an id that the bank still remembers, oldest first
 */
public record Checkpoint(List<AccountState> accounts, List<JournalRecord.Prepared> prepared,
                         List<JournalRecord.Identified> ids) {

    /** Copies the lists. */
    public Checkpoint {
        accounts = List.copyOf(accounts);
        prepared = List.copyOf(prepared);
        ids = List.copyOf(ids);
    }

    /**
     * A checkpoint that remembers no ids.
     *
     * @param accounts every account, by ascending ordinal
     * @param prepared the transactions prepared and not yet decided
     */
    public Checkpoint(List<AccountState> accounts, List<JournalRecord.Prepared> prepared) {
        this(accounts, prepared, List.of());
    }

    /**
     * One account in a checkpoint.
     *
     * @param id the account's id; its ordinal is its position in {@link Checkpoint#accounts()}
     * @param balance its balance, held money included
     */
    public record AccountState(String id, long balance) {
        /** Checks the id is there. */
        public AccountState {
            Objects.requireNonNull(id, "id");
        }
    }
}

package dev.ledger.journal;

/** When a {@link FileJournal} forces its records to stable storage before an operation is acknowledged. */
public enum SyncMode {
    /**
     * No fsync: a record is handed to the operating system before the operation returns. It survives the process
     * being killed, not the machine losing power.
     */
    NONE,
    /**
     * Group commit, the default: a record is on stable storage before the operation returns, and operations that
     * wait at the same time share one fsync.
     */
    BATCH,
    /** One fsync per operation, none shared: the slowest mode, and the reference the others are measured against. */
    ALWAYS
}

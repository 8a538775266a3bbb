package dev.ledger.journal.internal;

import dev.ledger.journal.JournalException;
import dev.ledger.journal.SyncMode;
import java.util.function.Consumer;

/**
 * What a bank and a decision log need from a journal: append records, make them durable, recover them, and take
 * checkpoints. Behind every {@link dev.ledger.journal.Journal} of the library; see {@link RecordLogs#of}.
 *
 * <p>The bank's side of the contract:
 * <ul>
 *   <li>It calls {@link #append} inside an operation's write section, while it holds the locks of the accounts
 *       the record touches, before it changes them. So the records of two operations on one account are in the
 *       order the operations were applied, and replaying the journal in order rebuilds the same balances.</li>
 *   <li>It calls {@link #sync} after it released the locks and before it acknowledges the operation. An operation
 *       is thus acknowledged only once its record, and every record before it, is durable, and no lock is held
 *       across a disk wait.</li>
 *   <li>It calls {@link #recover} once, when it is built, before the first append.</li>
 *   <li>It calls {@link #beginCheckpoint} while no record can be appended (it holds every account's lock), copies
 *       its state, releases the locks, and passes the copy to {@link #completeCheckpoint}.</li>
 * </ul>
 *
 * <p>Implementations must be thread-safe: appends, syncs and a checkpoint's completion come from many threads.
 */
public interface RecordLog {

    /**
     * Appends a record. It must not wait for the disk: it runs under account locks.
     *
     * @param record the record
     * @throws JournalException if the journal has failed or is closed; then nothing was appended
     */
    void append(JournalRecord record);

    /**
     * Returns once every record appended before this call is durable as the journal's {@link SyncMode} promises.
     *
     * @throws JournalException if the records could not be written or forced; the journal has then failed
     */
    void sync();

    /**
     * Like {@link #sync}, but without waiting: runs {@code action} once every record appended before this call is
     * durable, either on this thread before this call returns or later on the thread whose sync covered the
     * records. The action receives null, or the error that failed the journal, in which case the records may not
     * be durable. It is how a server acknowledges an operation without parking a thread per waiting client: the
     * thread that forces the journal sends the replies it made durable.
     *
     * <p>Actions run in the order of their records, each at most once. An action may run on a thread that other
     * actions and syncs are waiting behind: it must be short and must not wait for this journal.
     *
     * <p>The default syncs, then runs the action on this thread.
     *
     * @param action receives null once the records are durable, or the journal's failure
     */
    default void whenSynced(Consumer<? super JournalException> action) {
        JournalException failure = null;
        try {
            sync();
        } catch (JournalException e) {
            failure = e;
        }
        action.accept(failure);
    }

    /**
     * Reads what an earlier run left: the latest checkpoint, if there is one, then every record appended after it,
     * in append order. A torn or corrupt tail (a record whose length or checksum does not hold) is cut off and
     * logged, never replayed.
     *
     * @param checkpoint receives the latest checkpoint; not called if there is none
     * @param records receives the records after it
     * @throws JournalException if the files cannot be read, or are corrupt before their tail
     */
    void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records);

    /**
     * Starts a checkpoint. The caller guarantees that no {@link #append} runs during this call; records appended
     * after it belong after the checkpoint.
     *
     * @return a token for {@link #completeCheckpoint}
     */
    long beginCheckpoint();

    /**
     * Writes {@code state}, the bank's state as of {@link #beginCheckpoint}, durably, and then drops the records
     * that it covers. Until this returns, recovery uses the previous checkpoint and the records after it.
     *
     * @param token what {@link #beginCheckpoint} returned
     * @param state the state to store
     * @throws JournalException if the checkpoint could not be written; the journal stays usable
     */
    void completeCheckpoint(long token, Checkpoint state);

    /** {@return the bytes of records appended since the latest checkpoint, which recovery would replay} */
    long bytesSinceCheckpoint();
}

/**
 * Durability: the {@link dev.ledger.journal.Journal} a bank writes every applied operation to, and how it recovers
 * from it on start.
 *
 * <p>A bank built without a journal lives in memory only ({@link dev.ledger.journal.Journal#inMemory()}). With a
 * {@link dev.ledger.journal.FileJournal}, every operation is acknowledged only after its record is durable, and a
 * restarted bank replays the journal, after its latest checkpoint, into the state it acknowledged. A coordinator
 * keeps its decisions durable in a {@link dev.ledger.journal.JournalDecisionLog} on a journal of its own.
 *
 * <p>How a bank uses its journal:
 * <ul>
 *   <li>It appends an operation's record inside the operation's write section, while it holds the locks of the
 *       accounts the record touches, before it changes them. So the records of two operations on one account are
 *       in the order the operations were applied, and replaying the journal in order rebuilds the same
 *       balances.</li>
 *   <li>It syncs after it released the locks and before it acknowledges the operation. An operation is thus
 *       acknowledged only once its record, and every record before it, is durable, and no lock is held across a
 *       disk wait. Threads that sync at the same time share one write and one force (group commit).</li>
 *   <li>It recovers once, when it is built, before the first append.</li>
 *   <li>A checkpoint starts while no record can be appended (the bank holds every account's lock), copies the
 *       state, releases the locks, and then writes the copy; the records it covers are then deleted.</li>
 * </ul>
 *
 * <p>The records, their encoding and the segment files are internal: the format may change between versions, and
 * a bank accepts only the library's journals.
 */
package dev.ledger.journal;

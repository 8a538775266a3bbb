/**
 * Durability: the {@link dev.ledger.journal.Journal} a bank writes every applied operation to, and how it recovers
 * from it on start.
 *
 * <p>A bank built without a journal lives in memory only ({@link dev.ledger.journal.Journal#inMemory()}). With a
 * {@link dev.ledger.journal.FileJournal}, every operation is acknowledged only after its record is durable, and a
 * restarted bank replays the journal, after its latest checkpoint, into the state it acknowledged.
 */
package dev.ledger.journal;

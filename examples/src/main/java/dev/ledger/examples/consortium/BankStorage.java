package dev.ledger.examples.consortium;

import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalDecisionLog;
import dev.ledger.journal.SyncMode;
import dev.ledger.tx.DecisionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where a consortium bank keeps what must outlive its process: nowhere (in memory), or a data directory holding
 * <ul>
 *   <li>{@code bank/}: the bank's {@link FileJournal}: accounts, balances, holds and prepared transactions;
 *   <li>{@code decisions/}: the decisions of the transfers it coordinates, a {@link JournalDecisionLog} on a
 *       journal of its own (a bank's checkpoints drop records, and a dropped COMMIT would be presumed an abort);
 *   <li>{@code customers.log}: the {@link CustomerFile}, who is registered and who owns which account.
 * </ul>
 * The bank's journal is opened first: it locks its directory, so a second process given the same data directory
 * fails before it touches the rest. Every journal syncs in {@link SyncMode#BATCH} mode (group commit).
 *
 * <p>Concurrency: its fields are set once; its parts are thread-safe. {@link #close} is called once, after the
 * bank's last use.
 */
final class BankStorage implements AutoCloseable {
    /** The bank journal's directory in the data directory. */
    static final String BANK = "bank";
    /** The decision log's directory in the data directory. */
    static final String DECISIONS = "decisions";
    /** The customer file in the data directory. */
    static final String CUSTOMERS = "customers.log";

    private final Journal bankJournal;
    private final Journal decisionJournal;
    private final DecisionLog decisions;
    private final int recoveredDecisions;
    private final CustomerFile customers;

    private BankStorage(Journal bankJournal, Journal decisionJournal, DecisionLog decisions,
            int recoveredDecisions, CustomerFile customers) {
        this.bankJournal = bankJournal;
        this.decisionJournal = decisionJournal;
        this.decisions = decisions;
        this.recoveredDecisions = recoveredDecisions;
        this.customers = customers;
    }

    /**
     * {@return storage that keeps nothing beyond the process}
     *
     * @param decisions the coordinator's decision log to use
     */
    static BankStorage inMemory(DecisionLog decisions) {
        return new BankStorage(Journal.inMemory(), Journal.inMemory(), decisions, 0, CustomerFile.inMemory());
    }

    /**
     * Opens a data directory, creating what is missing, and reads the decisions and customers it holds; the bank
     * recovers its journal when it is built on {@link #bankJournal()}.
     *
     * @param directory the data directory
     * @return the storage; the caller closes it
     * @throws IOException if the customer file cannot be read or written
     * @throws dev.ledger.journal.JournalException if a journal cannot be opened (in use by another process, say)
     *     or read
     */
    static BankStorage open(Path directory) throws IOException {
        OwnerOnly.directory(directory); // first: what is created inside is then out of other users' reach
        FileJournal bankJournal = FileJournal.open(directory.resolve(BANK), SyncMode.BATCH);
        try {
            FileJournal decisionJournal = FileJournal.open(directory.resolve(DECISIONS), SyncMode.BATCH);
            try {
                JournalDecisionLog decisions = JournalDecisionLog.open(decisionJournal);
                CustomerFile customers = CustomerFile.open(directory.resolve(CUSTOMERS));
                return new BankStorage(bankJournal, decisionJournal, decisions, decisions.size(), customers);
            } catch (IOException | RuntimeException | Error e) {
                try (decisionJournal) { // a failure to close is added to e as suppressed
                    throw e;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            try (bankJournal) {
                throw e;
            }
        }
    }

    /** {@return the journal to build the bank on; {@link Journal#inMemory()} without a data directory} */
    Journal bankJournal() {
        return bankJournal;
    }

    /** {@return the coordinator's decision log} */
    DecisionLog decisions() {
        return decisions;
    }

    /** {@return the number of decisions the decision log recovered} */
    int recoveredDecisions() {
        return recoveredDecisions;
    }

    /** {@return the customer file} */
    CustomerFile customers() {
        return customers;
    }

    /** Closes the customer file and the journals, each even if another fails. */
    @Override
    public void close() {
        try (bankJournal; decisionJournal) {
            customers.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + customers.file() + ": " + e.getMessage(), e);
        }
    }
}

package dev.ledger.net;

import dev.ledger.Bank;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.net.internal.Persistence;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The bank's journal as {@code INFO} and {@code CONFIG} show it. Stateless apart from the bank: one instance
 * serves every connection.
 */
final class JournalPersistence implements Persistence {
    private final Bank bank;

    JournalPersistence(Bank bank) {
        this.bank = bank;
    }

    @Override
    public boolean journaled() {
        return bank.journal() != Journal.inMemory();
    }

    @Override
    public Map<String, Object> figures() {
        Journal journal = bank.journal();
        Map<String, Object> figures = new LinkedHashMap<>();
        if (journal instanceof FileJournal file) {
            figures.put("ledger_journal_sync", file.mode().name().toLowerCase(Locale.ROOT));
            figures.put("ledger_journal_bytes_since_checkpoint", journal.bytesSinceCheckpoint());
            figures.put("ledger_journal_records_since_start", file.recordsAppended());
            figures.put("ledger_journal_fsyncs_since_start", file.forces());
            figures.put("ledger_last_checkpoint", file.lastCheckpoint().map(Object::toString).orElse("none"));
        } else if (journal != Journal.inMemory()) { // a journal of the application's own: its figures are unknown
            figures.put("ledger_journal_bytes_since_checkpoint", journal.bytesSinceCheckpoint());
        }
        return figures;
    }
}

package dev.ledger.journal.internal;

import dev.ledger.journal.Journal;
import java.util.Objects;
import java.util.function.Function;

/**
 * Finds the {@link RecordLog} behind a public {@link Journal}, for the code of this module that journals (a bank, a
 * decision log). The record log is not part of the exported API, so a {@link dev.ledger.journal.FileJournal}
 * cannot hand it out through a public method; it registers how to reach it instead, when its class initializes,
 * as the JDK's own modules share internals.
 *
 * <p>Concurrency: the accessor is written once, by the file journal's class initialization, which happens before
 * any file journal exists; it is volatile so that every thread that holds a journal sees it.
 */
public final class RecordLogs {
    /** Reaches the record log behind a file journal; set by its class initialization. */
    private static volatile Function<Journal, RecordLog> fileJournals;

    private RecordLogs() {
    }

    /**
     * Registers how to reach the record log behind a file journal. Called once, by the file journal class.
     *
     * @param accessor returns a file journal's record log
     */
    public static void registerFileJournals(Function<Journal, RecordLog> accessor) {
        fileJournals = Objects.requireNonNull(accessor, "accessor");
    }

    /**
     * Returns the record log behind a journal.
     *
     * @param journal a journal of this library, or one of this module's tests that implements {@link RecordLog}
     * @return its record log
     * @throws IllegalArgumentException if the journal is of another kind
     */
    public static RecordLog of(Journal journal) {
        Objects.requireNonNull(journal, "journal");
        if (journal instanceof RecordLog log) {
            return log;
        }
        Function<Journal, RecordLog> accessor = fileJournals;
        RecordLog log = accessor == null ? null : accessor.apply(journal);
        if (log == null) {
            throw new IllegalArgumentException(journal + " is not a journal of this library; use "
                    + "FileJournal.open or Journal.inMemory()");
        }
        return log;
    }
}

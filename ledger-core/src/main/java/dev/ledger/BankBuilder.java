package dev.ledger;

import dev.ledger.journal.Journal;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.RecordLogs;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds a {@link Bank}. Not thread-safe; use it on one thread, then share the bank. */
public final class BankBuilder {
    private String name = "bank";
    private LockStrategy strategy;
    private int rememberFinishedTransactions = 1_000_000;
    private int rememberTransferIds = 1_000_000;
    private Journal journal = Journal.inMemory();
    private long checkpointBytes = 64L << 20;
    private final List<Opening> openings = new ArrayList<>();

    BankBuilder() {
    }

    /**
     * Names the bank, as a participant in two-phase commit.
     *
     * @param name the name, for example {@code alpha}
     * @return this builder
     */
    public BankBuilder name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Sets how many finished two-phase-commit transactions the bank remembers, so that a repeated call about
     * one of them still gets its outcome; the oldest are forgotten first. A prepare that arrives for a
     * forgotten transaction is taken as a new one, so keep this well above the number of transactions
     * finished while a message may still be delayed or retried. Default one million.
     *
     * @param count at least 1
     * @return this builder
     */
    public BankBuilder rememberFinishedTransactions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("must remember at least 1 finished transaction, got " + count);
        }
        this.rememberFinishedTransactions = count;
        return this;
    }

    /**
     * Sets how many ids of applied transfers the bank remembers (see {@link Transfer}), so that a transfer sent
     * again under its id is answered as a repeat instead of being applied twice; the oldest are forgotten first,
     * and a transfer sent again after its id was forgotten is applied again. Keep this above the number of
     * transfers applied while a client may still retry. Each id costs about 200 bytes. Default one million.
     *
     * @param count at least 1
     * @return this builder
     */
    public BankBuilder rememberTransferIds(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("must remember at least 1 transfer id, got " + count);
        }
        this.rememberTransferIds = count;
        return this;
    }

    /**
     * Chooses the lock strategy by name.
     *
     * @param strategy one of the library's strategies; a new instance is made for this bank
     * @return this builder
     */
    public BankBuilder strategy(LockStrategies strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy").create();
        return this;
    }

    /**
     * Chooses the lock strategy instance; give each bank its own.
     *
     * @param strategy the strategy
     * @return this builder
     */
    public BankBuilder strategy(LockStrategy strategy) {
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Sets where the bank records what it applies; by default {@link Journal#inMemory()}, and nothing survives
     * the process. With a durable journal, such as a {@link dev.ledger.journal.FileJournal}, {@link #build()}
     * first recovers the state the journal holds, and every operation returns only once its record is durable.
     * The caller keeps the journal and closes it after the bank's last use.
     *
     * @param journal the journal; give each bank its own
     * @return this builder
     */
    public BankBuilder journal(Journal journal) {
        this.journal = Objects.requireNonNull(journal, "journal");
        return this;
    }

    /**
     * Sets how many bytes the journal may grow by before the bank takes a {@link Bank#checkpoint() checkpoint},
     * which bounds recovery time. Default 64 MiB.
     *
     * @param bytes at least 1
     * @return this builder
     */
    public BankBuilder checkpointEvery(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("checkpoint interval must be at least 1 byte, got " + bytes);
        }
        this.checkpointBytes = bytes;
        return this;
    }

    /**
     * Opens an account when the bank is built, with the same checks as {@link Bank#open(String, long)}, unless
     * the journal recovered an account with this id: a restarted bank keeps the balance it had.
     *
     * @param id the account's id
     * @param initialBalance its opening balance
     * @return this builder
     */
    public BankBuilder account(String id, long initialBalance) {
        openings.add(new Opening(id, initialBalance));
        return this;
    }

    /**
     * Builds the bank and opens the accounts given to {@link #account(String, long)}, in that order.
     *
     * @return the bank
     * @throws LedgerException if an initial account is invalid
     * @throws JournalException if the journal cannot be recovered
     */
    public Bank build() {
        LockStrategy chosen = strategy != null ? strategy : LockStrategies.ORDERED.create();
        RecordLog records = journal == Journal.inMemory() ? null : RecordLogs.of(journal);
        Accounts accounts = new Accounts(chosen, records);
        ConsistentReads reads = new ConsistentReads(accounts, chosen);
        TransferIds ids = new TransferIds(rememberTransferIds);
        BankJournal bankJournal = new BankJournal(name, records, accounts, ids, chosen, checkpointBytes);
        Transactions transactions = new Transactions(accounts, chosen, bankJournal, System::nanoTime,
                rememberFinishedTransactions);
        if (records != null) {
            new Recovery(accounts, chosen, transactions, ids, reads).recover(records);
        }
        int recovered = accounts.size();
        for (Opening opening : openings) {
            Account existing = accounts.find(opening.id());
            if (existing == null || existing.ordinal() >= recovered) {
                accounts.open(opening.id(), opening.initialBalance());
            }
        }
        bankJournal.durable(); // one sync for all the openings
        MoneySections sections = new MoneySections(records, ids);
        Transfers transfers = new Transfers(accounts, chosen, sections, ids, bankJournal);
        return new Bank(name, chosen, journal, accounts, sections, reads, bankJournal, transactions, transfers);
    }

    /** An account the built bank opens unless recovery found it. */
    private record Opening(String id, long initialBalance) {
    }
}

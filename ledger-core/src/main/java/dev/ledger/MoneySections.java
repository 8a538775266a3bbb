package dev.ledger;

import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.Posting;
import dev.ledger.lock.PairSection;
import java.util.Arrays;
import java.util.function.ToLongFunction;

/**
 * The write sections of a bank's money operations: each checks, journals and applies one operation, in that
 * order, inside the lock strategy's write section. A section that refuses or throws changes nothing.
 *
 * <p>Concurrency: every section runs holding the locks of the accounts it touches, as the strategy defines them,
 * and reads and writes only their money fields. It appends its record before it changes any account, so records of
 * one account are in the order its changes were applied. The fields are final.
 */
final class MoneySections {
    /** A section's result meaning the operation was applied. */
    static final long APPLIED = 0;
    /** A section's result meaning a source lacked available money. */
    static final long REFUSED = -1;

    static final ToLongFunction<Account> BALANCE = account -> account.balance;

    /** The journal, or null for a bank that lives in memory only. */
    private final RecordLog journal;
    /** Where a transfer applied under an id is remembered. */
    private final TransferIds ids;

    final PairSection transfer = this::transfer;
    final PairSection deposit = this::deposit;
    final PairSection withdraw = this::withdraw;
    final ToLongFunction<MultiLeg> multiLeg = this::multiLeg;
    final ToLongFunction<Once> transferOnce = this::transferOnce;

    MoneySections(RecordLog journal, TransferIds ids) {
        this.journal = journal;
        this.ids = ids;
    }

    /** Moves {@code amount} from the first account to the second: {@link #APPLIED} or {@link #REFUSED}. */
    private long transfer(Account from, Account to, long amount) {
        if (from.balance - from.held < amount) {
            return REFUSED;
        }
        if (amount > Money.room(to)) {
            throw Money.overflow(to, amount);
        }
        if (journal != null) { // no record to build for a bank in memory
            journal.append(new JournalRecord.Transferred(from.ordinal(), to.ordinal(), amount));
        }
        from.balance -= amount;
        to.balance += amount;
        return APPLIED;
    }

    /** Pays {@code amount} into the account: {@return its new balance} */
    private long deposit(Account account, Account unused, long amount) {
        if (amount > Money.room(account)) {
            throw Money.overflow(account, amount);
        }
        if (journal != null) { // no record to build for a bank in memory
            journal.append(new JournalRecord.Deposited(account.ordinal(), amount));
        }
        return account.balance += amount;
    }

    /** {@return the new balance, or the bitwise complement of the unchanged balance when refused} */
    private long withdraw(Account account, Account unused, long amount) {
        if (account.balance - account.held < amount) {
            return ~account.balance;
        }
        if (journal != null) { // no record to build for a bank in memory
            journal.append(new JournalRecord.Withdrawn(account.ordinal(), amount));
        }
        return account.balance -= amount;
    }

    /** Moves every source's amount into the last account: {@link #APPLIED} or {@link #REFUSED}. */
    private long multiLeg(MultiLeg leg) {
        Account[] accounts = leg.accounts;
        int sources = accounts.length - 1;
        for (int i = 0; i < sources; i++) {
            if (accounts[i].balance - accounts[i].held < leg.amounts[i]) {
                return REFUSED;
            }
        }
        Account to = accounts[sources];
        if (leg.sum > Money.room(to)) {
            throw Money.overflow(to, leg.sum);
        }
        if (journal != null) {
            journal.append(leg.record());
        }
        for (int i = 0; i < sources; i++) {
            accounts[i].balance -= leg.amounts[i];
        }
        to.balance += leg.sum;
        return APPLIED;
    }

    /**
     * Moves the amount of a transfer with an id and remembers the id, in the same section, so that a checkpoint
     * has the id exactly when it has the transfer: {@link #APPLIED} or {@link #REFUSED}.
     */
    private long transferOnce(Once once) {
        Account from = once.accounts[0];
        Account to = once.accounts[1];
        long amount = once.content.amount();
        if (from.balance - from.held < amount) {
            return REFUSED;
        }
        if (amount > Money.room(to)) {
            throw Money.overflow(to, amount);
        }
        if (journal != null) {
            journal.append(new JournalRecord.Identified(once.entry.id, once.content));
        }
        from.balance -= amount;
        to.balance += amount;
        ids.remember(once.entry, once.content);
        return APPLIED;
    }

    /**
     * The argument of the section of a transfer with an id. Immutable.
     *
     * @param accounts the source, then the destination
     * @param content the transfer, as the journal records it
     * @param entry the id's entry, owned by this attempt
     */
    record Once(Account[] accounts, JournalRecord.Transferred content, TransferIds.Entry entry) {
    }

    /** The argument of the multi-leg section: sources first, destination last. Immutable once built. */
    static final class MultiLeg {
        final Account[] accounts;
        final long[] amounts;
        final long sum;

        MultiLeg(Account[] accounts, long[] amounts, long sum) {
            this.accounts = accounts;
            this.amounts = amounts;
            this.sum = sum;
        }

        JournalRecord record() {
            Posting[] postings = new Posting[accounts.length];
            for (int i = 0; i < amounts.length; i++) {
                postings[i] = new Posting(accounts[i].ordinal(), -amounts[i]);
            }
            postings[amounts.length] = new Posting(accounts[amounts.length].ordinal(), sum);
            return new JournalRecord.MultiLegTransferred(Arrays.asList(postings));
        }
    }
}

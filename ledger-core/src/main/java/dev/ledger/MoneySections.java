package dev.ledger;

import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.Posting;
import dev.ledger.lock.PairSection;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
    final ToLongFunction<Once> once = this::once;
    final ToLongFunction<Chain> chain = this::chain;

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
     * Applies an operation with an id, as signed amounts on its accounts, and remembers the id in the same section,
     * so that a checkpoint has the id exactly when it has the operation: {@link #APPLIED}, {@link #REFUSED} if a
     * debited account lacks available money, or {@link Money#overflow} if a credited one has no room.
     */
    private long once(Once once) {
        Account[] accounts = once.accounts;
        long[] amounts = once.amounts;
        for (int i = 0; i < accounts.length; i++) {
            if (amounts[i] < 0 && accounts[i].balance - accounts[i].held < -amounts[i]) {
                return REFUSED;
            }
        }
        for (int i = 0; i < accounts.length; i++) {
            if (amounts[i] > 0 && amounts[i] > Money.room(accounts[i])) {
                throw Money.overflow(accounts[i], amounts[i]);
            }
        }
        if (journal != null) {
            journal.append(new JournalRecord.Identified(once.entry.id, once.content));
        }
        for (int i = 0; i < accounts.length; i++) {
            accounts[i].balance += amounts[i];
        }
        ids.remember(once.entry, once.content);
        return APPLIED;
    }

    /**
     * Applies a linked chain's transfers in order, all or none, so a link may spend what an earlier one paid in; the
     * chain is one journal record, and its ids are remembered in the same section: {@link #APPLIED}, or
     * {@link #chainFailure} naming the first link that cannot be applied.
     */
    private long chain(Chain chain) {
        Account[] accounts = chain.accounts;
        long[] change = new long[accounts.length];
        for (int i = 0; i < chain.amounts.length; i++) {
            int from = chain.from[i];
            int to = chain.to[i];
            long amount = chain.amounts[i];
            if (accounts[from].balance - accounts[from].held + change[from] < amount) {
                return chainFailure(i, false);
            }
            if (amount > Money.room(accounts[to]) - change[to]) {
                return chainFailure(i, true);
            }
            change[from] -= amount;
            change[to] += amount;
        }
        if (journal != null) {
            journal.append(chain.record());
        }
        for (int k = 0; k < accounts.length; k++) {
            accounts[k].balance += change[k];
        }
        for (int i = 0; i < chain.entries.length; i++) {
            if (chain.entries[i] != null) {
                ids.remember(chain.entries[i], chain.contents[i]);
            }
        }
        return APPLIED;
    }

    /** {@return the chain section's result when link {@code link} lacks money, or would overflow its destination} */
    static long chainFailure(int link, boolean overflow) {
        return -(2L * link + (overflow ? 2 : 1));
    }

    /** {@return the link a failed chain section's result names} */
    static int failedLink(long result) {
        return (int) ((-result - 1) / 2);
    }

    /** {@return whether a failed chain section's result is an overflow rather than a lack of money} */
    static boolean failedForOverflow(long result) {
        return -result % 2 == 0;
    }

    /**
     * The argument of a linked chain's section. Immutable.
     *
     * @param accounts the accounts the chain touches, each once
     * @param from each link's source, an index into {@code accounts}
     * @param to each link's destination, an index into {@code accounts}
     * @param amounts each link's amount
     * @param contents each link's transfer, as the journal records it
     * @param entries each link's id entry, owned by this attempt, or null for a link without an id
     */
    record Chain(Account[] accounts, int[] from, int[] to, long[] amounts, JournalRecord[] contents,
            TransferIds.Entry[] entries) {
        JournalRecord.Chained record() {
            JournalRecord[] links = new JournalRecord[contents.length];
            for (int i = 0; i < links.length; i++) {
                links[i] = entries[i] == null ? contents[i] : new JournalRecord.Identified(entries[i].id, contents[i]);
            }
            return new JournalRecord.Chained(Arrays.asList(links));
        }
    }

    /**
     * The argument of the section of an operation with an id. Immutable.
     *
     * @param accounts the accounts it changes, each once
     * @param amounts what it adds to each, in the same order: negative for a debit
     * @param content the operation, as the journal records it
     * @param entry the id's entry, owned by this attempt
     */
    record Once(Account[] accounts, long[] amounts, JournalRecord content, TransferIds.Entry entry) {
    }

    /** The argument of the multi-leg section: sources first, destination last. Immutable once built. */
    static final class MultiLeg {
        /**
         * Checks a multi-leg transfer's arguments and builds its argument: the one rule for them.
         *
         * @throws LedgerException {@code INVALID_REQUEST} without sources, {@code FOREIGN_ACCOUNT},
         *     {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT} if an account appears twice, or {@code OVERFLOW} if the
         *     amounts' sum does not fit a long
         */
        static MultiLeg of(Account to, List<Debit> sources, Accounts registry) {
            if (sources == null || sources.isEmpty()) {
                throw new LedgerException(ErrorCode.INVALID_REQUEST, "a multi-leg transfer needs at least one source");
            }
            int legs = sources.size();
            Account[] accounts = new Account[legs + 1];
            long[] amounts = new long[legs];
            Set<Account> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            seen.add(to);
            long sum = 0;
            for (int i = 0; i < legs; i++) {
                Debit debit = sources.get(i);
                Account from = registry.own(debit.account());
                Money.checkPositive(debit.amount());
                if (!seen.add(from)) {
                    throw new LedgerException(ErrorCode.SAME_ACCOUNT, "account '" + from.id()
                            + "' appears more than once in a multi-leg transfer to '" + to.id() + "'");
                }
                sum = Money.addChecked(sum, debit.amount(), "the multi-leg transfer's total");
                accounts[i] = from;
                amounts[i] = debit.amount();
            }
            accounts[legs] = to;
            return new MultiLeg(accounts, amounts, sum);
        }

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

package dev.ledger;

import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.lock.LockStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Applies {@link Transfer} requests, one or a batch: each is checked, applied at most once per id, and answered with
 * its own {@link TransferStatus}, so that one bad transfer does not refuse the others, except inside a linked chain,
 * which is applied all or none. A batch's records are synced once, at its end.
 *
 * <p>Concurrency: stateless apart from its final parts. Each transfer of a batch is applied in its own write section,
 * as a single transfer is, and each linked chain in one write section over all its accounts, so snapshots stay
 * consistent while batches run and no transfer or chain is half applied; {@link TransferIds} keeps one id from being
 * applied twice.
 */
final class Transfers {
    private final Accounts accounts;
    private final LockStrategy strategy;
    private final MoneySections sections;
    private final TransferIds ids;
    private final BankJournal journal;

    Transfers(Accounts accounts, LockStrategy strategy, MoneySections sections, TransferIds ids,
            BankJournal journal) {
        this.accounts = accounts;
        this.strategy = strategy;
        this.sections = sections;
        this.ids = ids;
        this.journal = journal;
    }

    /** Applies a batch: see {@link Bank#transfers}. */
    List<TransferStatus> apply(List<Transfer> batch) {
        Objects.requireNonNull(batch, "transfers");
        if (batch.size() > Bank.MAX_TRANSFERS_PER_BATCH) {
            throw new LedgerException(ErrorCode.INVALID_REQUEST, "a batch holds at most " + Bank.MAX_TRANSFERS_PER_BATCH
                    + " transfers, got " + batch.size());
        }
        int size = batch.size();
        for (int i = 0; i < size; i++) {
            Objects.requireNonNull(batch.get(i), "transfer");
        }
        TransferStatus[] statuses = new TransferStatus[size];
        try (Batch synced = new Batch(journal)) {
            int i = 0;
            while (i < size) {
                if (!batch.get(i).linked()) {
                    statuses[i] = apply(batch.get(i));
                    i++;
                    continue;
                }
                int last = i;
                while (last < size && batch.get(last).linked()) {
                    last++;
                }
                if (last == size) {
                    Arrays.fill(statuses, i, size, TransferStatus.CHAIN_OPEN);
                    break;
                }
                applyChain(batch.subList(i, last + 1), statuses, i);
                i = last + 1;
            }
        }
        return List.of(statuses);
    }

    /** {@return why a transfer cannot be applied whatever the balances, or null if it can be tried} */
    private TransferStatus malformed(Transfer transfer, Account from, Account to) {
        String id = transfer.id();
        if (id != null && !Account.isValidId(id)) {
            return TransferStatus.INVALID_ID;
        }
        if (from == null || to == null) {
            return TransferStatus.UNKNOWN_ACCOUNT;
        }
        if (from == to) {
            return TransferStatus.SAME_ACCOUNT;
        }
        return transfer.amount() <= 0 ? TransferStatus.INVALID_AMOUNT : null;
    }

    private TransferStatus apply(Transfer transfer) {
        Account from = accounts.find(transfer.from());
        Account to = accounts.find(transfer.to());
        TransferStatus malformed = malformed(transfer, from, to);
        if (malformed != null) {
            return malformed;
        }
        String id = transfer.id();
        long amount = transfer.amount();
        if (id == null) {
            TransferStatus status;
            try {
                status = strategy.write(from, to, amount, sections.transfer) == MoneySections.APPLIED
                        ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS;
            } catch (LedgerException e) {
                return overflow(e);
            }
            if (status.isApplied()) {
                journal.durable();
            }
            return status;
        }
        return once(id, new Account[] {from, to}, new long[] {-amount, amount},
                new JournalRecord.Transferred(from.ordinal(), to.ordinal(), amount));
    }

    /**
     * Applies a linked chain, all or none, writing its statuses into {@code statuses} from {@code offset} on: the
     * failing link's reason and {@link TransferStatus#CHAIN_FAILED} for the others, or OK for all.
     */
    private void applyChain(List<Transfer> chain, TransferStatus[] statuses, int offset) {
        int links = chain.size();
        Map<Account, Integer> indexes = new IdentityHashMap<>();
        List<Account> touched = new ArrayList<>();
        int[] from = new int[links];
        int[] to = new int[links];
        long[] amounts = new long[links];
        String[] linkIds = new String[links];
        JournalRecord[] contents = new JournalRecord[links];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < links; i++) {
            Transfer transfer = chain.get(i);
            Account source = accounts.find(transfer.from());
            Account destination = accounts.find(transfer.to());
            TransferStatus malformed = malformed(transfer, source, destination);
            if (malformed == null && transfer.id() != null && !seen.add(transfer.id())) {
                malformed = TransferStatus.ID_CONFLICT; // one id for two links would apply it twice
            }
            if (malformed != null) {
                TransferStatus[] failed = new TransferStatus[links];
                failed[i] = malformed;
                copyChainStatuses(failed, statuses, offset);
                return;
            }
            from[i] = indexes.computeIfAbsent(source, account -> add(touched, account));
            to[i] = indexes.computeIfAbsent(destination, account -> add(touched, account));
            amounts[i] = transfer.amount();
            linkIds[i] = transfer.id();
            contents[i] = new JournalRecord.Transferred(source.ordinal(), destination.ordinal(), amounts[i]);
        }
        Account[] chainAccounts = touched.toArray(new Account[0]);
        TransferStatus[] result = ids.onceAll(linkIds, contents, entries -> chainStatuses(links,
                strategy.writeAll(chainAccounts, new MoneySections.Chain(chainAccounts, from, to, amounts, contents,
                        entries), sections.chain)));
        copyChainStatuses(result, statuses, offset);
    }

    private static int add(List<Account> touched, Account account) {
        touched.add(account);
        return touched.size() - 1;
    }

    private static TransferStatus[] chainStatuses(int links, long result) {
        TransferStatus[] statuses = new TransferStatus[links];
        if (result == MoneySections.APPLIED) {
            Arrays.fill(statuses, TransferStatus.OK);
        } else {
            statuses[MoneySections.failedLink(result)] = MoneySections.failedForOverflow(result)
                    ? TransferStatus.OVERFLOW : TransferStatus.INSUFFICIENT_FUNDS;
        }
        return statuses;
    }

    /**
     * Copies a chain's statuses, the links without one being {@link TransferStatus#CHAIN_FAILED}, and makes the
     * chain durable if any of it was applied, now or before (a repeat's first record may not be synced yet).
     */
    private void copyChainStatuses(TransferStatus[] chain, TransferStatus[] statuses, int offset) {
        boolean applied = false;
        for (int i = 0; i < chain.length; i++) {
            TransferStatus status = chain[i] == null ? TransferStatus.CHAIN_FAILED : chain[i];
            statuses[offset + i] = status;
            applied |= status.isApplied();
        }
        if (applied) {
            journal.durable();
        }
    }

    /** A deposit under an id: see {@link Bank#depositOnce}. */
    TransferStatus deposit(String id, String account, long amount) {
        return single(id, account, amount, true);
    }

    /** A withdrawal under an id: see {@link Bank#withdrawOnce}. */
    TransferStatus withdraw(String id, String account, long amount) {
        return single(id, account, amount, false);
    }

    private TransferStatus single(String id, String accountId, long amount, boolean deposit) {
        if (!Account.isValidId(id)) {
            return TransferStatus.INVALID_ID;
        }
        Account account = accounts.find(accountId);
        if (account == null) {
            return TransferStatus.UNKNOWN_ACCOUNT;
        }
        if (amount <= 0) {
            return TransferStatus.INVALID_AMOUNT;
        }
        JournalRecord content = deposit ? new JournalRecord.Deposited(account.ordinal(), amount)
                : new JournalRecord.Withdrawn(account.ordinal(), amount);
        return once(id, new Account[] {account}, new long[] {deposit ? amount : -amount}, content);
    }

    /** A multi-leg transfer under an id: see {@link Bank#transferOnce(String, Account, List)}. */
    TransferStatus multiLeg(String id, Account to, List<Debit> sources) {
        if (!Account.isValidId(id)) {
            return TransferStatus.INVALID_ID;
        }
        accounts.own(to);
        MoneySections.MultiLeg leg = MoneySections.MultiLeg.of(to, sources, accounts);
        long[] amounts = new long[leg.accounts.length];
        for (int i = 0; i < leg.amounts.length; i++) {
            amounts[i] = -leg.amounts[i];
        }
        amounts[leg.amounts.length] = leg.sum;
        return once(id, leg.accounts, amounts, leg.record());
    }

    /**
     * Applies an operation at most once per id and makes it durable, a repeat too: the first one's record may not
     * be synced yet.
     */
    private TransferStatus once(String id, Account[] touched, long[] amounts, JournalRecord content) {
        TransferStatus status;
        try {
            status = ids.once(id, content, entry -> strategy.writeAll(touched,
                    new MoneySections.Once(touched, amounts, content, entry), sections.once) == MoneySections.APPLIED
                    ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS);
        } catch (LedgerException e) {
            return overflow(e);
        }
        if (status.isApplied()) {
            journal.durable();
        }
        return status;
    }

    private static TransferStatus overflow(LedgerException e) {
        if (e.code() != ErrorCode.OVERFLOW) {
            throw e;
        }
        return TransferStatus.OVERFLOW;
    }
}

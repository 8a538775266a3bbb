package dev.ledger;

import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.lock.LockStrategy;
import java.util.List;
import java.util.Objects;

/**
 * Applies {@link Transfer} requests, one or a batch: each is checked, applied at most once per id, and answered with
 * its own {@link TransferStatus}, so that one bad transfer does not refuse the others. A batch's records are synced
 * once, at its end.
 *
 * <p>Concurrency: stateless apart from its final parts. Each transfer of a batch is applied in its own write section,
 * as a single transfer is, so snapshots stay consistent while batches run and no transfer is half applied;
 * {@link TransferIds} keeps one id from being applied twice.
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
        TransferStatus[] statuses = new TransferStatus[batch.size()];
        try (Batch synced = new Batch(journal)) {
            for (int i = 0; i < statuses.length; i++) {
                statuses[i] = apply(Objects.requireNonNull(batch.get(i), "transfer"));
            }
        }
        return List.of(statuses);
    }

    private TransferStatus apply(Transfer transfer) {
        String id = transfer.id();
        if (id != null && !Account.isValidId(id)) {
            return TransferStatus.INVALID_ID;
        }
        Account from = accounts.find(transfer.from());
        Account to = accounts.find(transfer.to());
        if (from == null || to == null) {
            return TransferStatus.UNKNOWN_ACCOUNT;
        }
        if (from == to) {
            return TransferStatus.SAME_ACCOUNT;
        }
        long amount = transfer.amount();
        if (amount <= 0) {
            return TransferStatus.INVALID_AMOUNT;
        }
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

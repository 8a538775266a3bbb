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
        TransferStatus status;
        try {
            if (id == null) {
                status = strategy.write(from, to, amount, sections.transfer) == MoneySections.APPLIED
                        ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS;
            } else {
                JournalRecord.Transferred content = new JournalRecord.Transferred(from.ordinal(), to.ordinal(), amount);
                Account[] pair = {from, to};
                status = ids.once(id, content, entry -> strategy.writeAll(pair,
                        new MoneySections.Once(pair, content, entry), sections.transferOnce) == MoneySections.APPLIED
                        ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS);
            }
        } catch (LedgerException e) {
            if (e.code() != ErrorCode.OVERFLOW) {
                throw e;
            }
            return TransferStatus.OVERFLOW;
        }
        if (status.isApplied()) {
            journal.durable(); // a repeat too: the first transfer's record may not be synced yet
        }
        return status;
    }
}

package dev.ledger;

import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.Posting;
import dev.ledger.lock.LockStrategy;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Rebuilds a bank's state from its journal: the latest checkpoint, then every record after it, in order. A journal
 * that names an unknown account, opens one out of order, settles a transaction it did not prepare or leaves a
 * balance beyond a long is refused with a {@link JournalException}.
 *
 * <p>Concurrency: runs once, on the thread that builds the bank, before the bank is published. It still changes
 * money through the lock strategy's sections, as every other writer does, so the fields are guarded as usual.
 */
final class Recovery {
    /** Replays journaled postings. No checks: they were checked when first applied, and the journal is in order. */
    private static final ToLongFunction<Postings> POST = postings -> {
        for (int i = 0; i < postings.accounts.length; i++) {
            postings.accounts[i].balance += postings.amounts[i];
        }
        return MoneySections.APPLIED;
    };

    private final Accounts accounts;
    private final LockStrategy strategy;
    private final Transactions transactions;
    private final TransferIds ids;
    private final ConsistentReads reads;

    Recovery(Accounts accounts, LockStrategy strategy, Transactions transactions, TransferIds ids,
            ConsistentReads reads) {
        this.accounts = accounts;
        this.ids = ids;
        this.strategy = strategy;
        this.transactions = transactions;
        this.reads = reads;
    }

    /** Recovers the state {@code journal} holds into the empty registry. */
    void recover(RecordLog journal) {
        journal.recover(this::restore, this::replay);
        for (Account account : accounts.toArray()) {
            Position position = reads.position(account);
            if (position.balance() < 0 || position.incoming() < 0
                    || position.balance() > Long.MAX_VALUE - position.incoming()) {
                throw new JournalException("the journal leaves account '" + account.id() + "' with balance "
                        + position.balance() + " and incoming " + position.incoming() + ", beyond a long", null);
            }
        }
    }

    private void restore(Checkpoint checkpoint) {
        for (Checkpoint.AccountState state : checkpoint.accounts()) {
            if (!accounts.reopen(accounts.size(), state.id(), state.balance())) {
                throw new JournalException("the checkpoint opens account '" + state.id() + "' twice", null);
            }
        }
        for (JournalRecord.Prepared prepared : checkpoint.prepared()) {
            transactions.restorePrepared(prepared, accounts(prepared.postings()));
        }
        for (JournalRecord.Identified identified : checkpoint.ids()) {
            ids.restore(identified);
        }
    }

    private void replay(JournalRecord record) {
        if (record instanceof JournalRecord.AccountOpened opened) {
            if (!accounts.reopen(opened.account(), opened.id(), opened.initialBalance())) {
                throw new JournalException("the journal opens account " + opened.account() + " '" + opened.id()
                        + "' when the bank has " + accounts.size() + " accounts", null);
            }
        } else if (record instanceof JournalRecord.Deposited deposited) {
            post(List.of(new Posting(deposited.account(), deposited.amount())));
        } else if (record instanceof JournalRecord.Withdrawn withdrawn) {
            post(List.of(new Posting(withdrawn.account(), -withdrawn.amount())));
        } else if (record instanceof JournalRecord.Transferred transferred) {
            post(List.of(new Posting(transferred.from(), -transferred.amount()),
                    new Posting(transferred.to(), transferred.amount())));
        } else if (record instanceof JournalRecord.MultiLegTransferred multiLeg) {
            post(multiLeg.postings());
        } else if (record instanceof JournalRecord.Identified identified) {
            replay(identified.applied());
            ids.restore(identified);
        } else if (record instanceof JournalRecord.Chained chained) {
            chained.links().forEach(this::replay);
        } else if (record instanceof JournalRecord.Prepared prepared) {
            transactions.restorePrepared(prepared, accounts(prepared.postings()));
        } else if (record instanceof JournalRecord.Committed committed) {
            transactions.restoreDecision(committed.txId(), true);
        } else if (record instanceof JournalRecord.Aborted aborted) {
            transactions.restoreDecision(aborted.txId(), false);
        }
        // Decided records belong to a coordinator's log; a bank's journal has none to replay.
    }

    private void post(List<Posting> postings) {
        long[] amounts = new long[postings.size()];
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = postings.get(i).amount();
        }
        Account[] touched = accounts(postings);
        strategy.writeAll(touched, new Postings(touched, amounts), POST);
    }

    private Account[] accounts(List<Posting> postings) {
        Account[] resolved = new Account[postings.size()];
        for (int i = 0; i < resolved.length; i++) {
            int ordinal = postings.get(i).account();
            resolved[i] = accounts.byOrdinal(ordinal);
            if (resolved[i] == null) {
                throw new JournalException("the journal names account " + ordinal + " of " + accounts.size(), null);
            }
        }
        return resolved;
    }

    /** The argument of the replay section. */
    private record Postings(Account[] accounts, long[] amounts) {
    }
}

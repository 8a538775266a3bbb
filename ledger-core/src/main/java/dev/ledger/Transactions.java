package dev.ledger;

import dev.ledger.journal.JournalException;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.Posting;
import dev.ledger.lock.LockStrategy;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.DecisionResolver;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The bank's side of two-phase commit: prepared transactions, their holds, and the decisions applied to them.
 *
 * <p>Concurrency: {@code byId} maps each transaction id to one {@link Tx}; {@code putIfAbsent} decides which
 * object stands for an id. A {@code Tx}'s state is changed only while holding its monitor, and the money moves
 * (holds taken, applied or released) happen inside that monitor through the bank's lock strategy. Lock order: a
 * {@code Tx} monitor, then account locks; nothing takes them the other way round, and no thread holds two
 * {@code Tx} monitors. Locks are held only inside one call, never across a network wait. Finished transactions
 * are remembered, so that repeated calls stay idempotent, up to {@code rememberFinished} of them: {@code finished}
 * queues them in the order they finished and the oldest are forgotten first. Prepared ones are never forgotten.
 * Invariant: a {@code Tx} in {@code PREPARED} has exactly its debits counted in its accounts' {@code held} and its
 * credits in their {@code incoming}; in any other state it has nothing counted. A credit is counted only if it fits
 * ({@code balance + incoming} stays within a long), so a commit never overflows. The sections that take, apply or
 * release holds also append the journal record (see {@link BankJournal#appendPrepared}), under the same account locks; each
 * step syncs the journal after its locks and monitor are released, before it answers.
 */
final class Transactions {
    private static final long APPLIED = 0;

    private final Accounts accounts;
    private final LockStrategy strategy;
    private final BankJournal journal;
    private final LongSupplier nanoTime;
    private final int rememberFinished;
    private final Map<String, Tx> byId = new ConcurrentHashMap<>();
    /** Finished transactions, oldest first; {@code finishedCount} is its size, kept apart to stay O(1). */
    private final Queue<Tx> finished = new ConcurrentLinkedQueue<>();
    private final AtomicInteger finishedCount = new AtomicInteger();

    /** The write sections of two-phase commit, run under the transaction's account locks. */
    private final ToLongFunction<Tx> hold = this::hold;
    private final ToLongFunction<Tx> apply = this::apply;
    private final ToLongFunction<Tx> release = this::release;

    Transactions(Accounts accounts, LockStrategy strategy, BankJournal journal, LongSupplier nanoTime,
            int rememberFinished) {
        this.accounts = accounts;
        this.strategy = strategy;
        this.journal = journal;
        this.nanoTime = nanoTime;
        this.rememberFinished = rememberFinished;
    }

    // Each step is acknowledged only once durable, repeats included: a repeat may overtake the first call's sync.

    Vote prepare(String txId, List<Leg> legs, Duration timeout) {
        Vote vote = prepareUnsynced(txId, legs, timeout);
        journal.durableNow();
        return vote;
    }

    TxState commit(String txId) {
        TxState state = commitUnsynced(txId);
        journal.durableNow();
        return state;
    }

    TxState abort(String txId) {
        TxState state = abortUnsynced(txId);
        journal.durableNow();
        return state;
    }

    private Vote prepareUnsynced(String txId, List<Leg> legs, Duration timeout) {
        checkTxId(txId);
        List<Leg> request = List.copyOf(legs);
        Tx existing = byId.get(txId);
        if (existing != null) {
            return existing.repeatedPrepare(request);
        }
        Tx tx = new Tx(txId, request, nanoTime.getAsLong() + saturatedNanos(timeout));
        synchronized (tx) {
            Tx raced = byId.putIfAbsent(txId, tx);
            if (raced != null) {
                return raced.repeatedPrepare(request); // tx was never published: holding its monitor is harmless
            }
            try {
                tx.vote = holdOrRefuse(tx);
            } catch (RuntimeException | Error unexpected) {
                byId.remove(txId, tx); // no vote was given: forget the attempt rather than answer without one
                throw unexpected;
            }
            tx.state = tx.vote.commit() ? TxState.PREPARED : TxState.ABORTED;
            if (!tx.vote.commit()) {
                finished(tx);
            }
            return tx.vote;
        }
    }

    /** Validates the legs, then holds the debits and reserves the credits. Runs under tx's monitor. */
    private Vote holdOrRefuse(Tx tx) {
        List<Leg> legs = tx.legs;
        if (legs.isEmpty()) {
            return Vote.abortVote(AbortReason.INVALID, "a prepare needs at least one leg");
        }
        Account[] accounts = new Account[legs.size()];
        long[] amounts = new long[legs.size()];
        Set<Account> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            Account account = this.accounts.find(leg.account());
            if (account == null) {
                return Vote.abortVote(AbortReason.UNKNOWN_ACCOUNT, "unknown account '" + leg.account() + "'");
            }
            if (leg.amount() == 0 || leg.amount() == Long.MIN_VALUE) {
                return Vote.abortVote(AbortReason.INVALID, "leg on '" + leg.account() + "' has amount " + leg.amount());
            }
            if (!seen.add(account)) {
                return Vote.abortVote(AbortReason.INVALID, "account '" + leg.account() + "' appears twice");
            }
            accounts[i] = account;
            amounts[i] = leg.amount();
        }
        tx.accounts = accounts;
        tx.amounts = amounts;
        long refusedLeg = strategy.writeAll(accounts, tx, hold); // if the journal throws, nothing was held
        if (refusedLeg > 0) {
            Leg leg = legs.get((int) refusedLeg - 1);
            return Vote.abortVote(AbortReason.INSUFFICIENT_FUNDS,
                    "insufficient funds in '" + leg.account() + "' for " + -leg.amount());
        }
        if (refusedLeg < 0) {
            int leg = (int) -refusedLeg - 1;
            return Vote.abortVote(AbortReason.INVALID, Money.overflowMessage(accounts[leg], amounts[leg]));
        }
        return Vote.commitVote();
    }

    private TxState commitUnsynced(String txId) {
        Tx tx = byId.get(txId);
        if (tx == null) {
            throw new LedgerException(ErrorCode.UNKNOWN_TRANSACTION, "unknown transaction '" + txId + "'");
        }
        synchronized (tx) {
            switch (tx.state) {
                case COMMITTED:
                    return TxState.COMMITTED;
                case PREPARED:
                    strategy.writeAll(tx.accounts, tx, apply);
                    tx.state = TxState.COMMITTED;
                    finished(tx);
                    return TxState.COMMITTED;
                default:
                    throw new LedgerException(ErrorCode.TRANSACTION_CONFLICT,
                            "transaction '" + txId + "' was aborted and cannot commit");
            }
        }
    }

    private TxState abortUnsynced(String txId) {
        Tx tx = byId.get(txId);
        if (tx == null) {
            checkTxId(txId);
            Tx tombstone = Tx.abortedUnseen(txId);
            tx = byId.putIfAbsent(txId, tombstone);
            if (tx == null) {
                finished(tombstone);
                return TxState.ABORTED; // remembered, so a late prepare votes ABORT
            }
        }
        synchronized (tx) {
            switch (tx.state) {
                case ABORTED:
                    return TxState.ABORTED;
                case PREPARED:
                    strategy.writeAll(tx.accounts, tx, release);
                    tx.state = TxState.ABORTED;
                    finished(tx);
                    return TxState.ABORTED;
                default:
                    throw new LedgerException(ErrorCode.TRANSACTION_CONFLICT,
                            "transaction '" + txId + "' was committed and cannot abort");
            }
        }
    }

    /**
     * Takes the holds, or returns the index + 1 of the first leg refused: positive for a debit the available money
     * does not cover, negative for a credit that its account has no room for.
     */
    private long hold(Tx tx) {
        for (int i = 0; i < tx.accounts.length; i++) {
            Account account = tx.accounts[i];
            long amount = tx.amounts[i];
            if (amount < 0 && account.balance - account.held < -amount) {
                return i + 1;
            }
            if (amount > 0 && amount > Money.room(account)) {
                return -(i + 1);
            }
        }
        journalPrepare(tx);
        return takeHolds(tx);
    }

    private long apply(Tx tx) {
        journalSettlement(tx, true);
        return applyHolds(tx);
    }

    private long release(Tx tx) {
        journalSettlement(tx, false);
        return releaseHolds(tx);
    }

    private static long takeHolds(Tx tx) {
        for (int i = 0; i < tx.accounts.length; i++) {
            if (tx.amounts[i] < 0) {
                tx.accounts[i].held -= tx.amounts[i];
            } else {
                tx.accounts[i].incoming += tx.amounts[i];
            }
        }
        return APPLIED;
    }

    private static long applyHolds(Tx tx) {
        for (int i = 0; i < tx.accounts.length; i++) {
            Account account = tx.accounts[i];
            long amount = tx.amounts[i];
            if (amount < 0) {
                account.held += amount;
            } else {
                account.incoming -= amount;
            }
            account.balance += amount; // a debit was held, a credit's room was reserved in incoming
        }
        return APPLIED;
    }

    private static long releaseHolds(Tx tx) {
        for (int i = 0; i < tx.accounts.length; i++) {
            if (tx.amounts[i] < 0) {
                tx.accounts[i].held += tx.amounts[i];
            } else {
                tx.accounts[i].incoming -= tx.amounts[i];
            }
        }
        return APPLIED;
    }

    /** Journals a prepare inside its section, under the transaction's account locks. A bank in memory builds no record. */
    private void journalPrepare(Tx tx) {
        if (journal.isEnabled()) {
            journal.appendPrepared(tx.preparedRecord());
        }
    }

    /** Journals a commit or an abort inside its section, under the transaction's account locks. */
    private void journalSettlement(Tx tx, boolean commit) {
        journal.appendSettled(tx.id, commit);
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Restores a prepared transaction from the journal: its holds are taken again and it is in doubt at once,
     * since its coordinator may have decided while this bank was down.
     */
    void restorePrepared(JournalRecord.Prepared record, Account[] accounts) {
        List<Leg> legs = new ArrayList<>();
        long[] amounts = new long[accounts.length];
        for (int i = 0; i < accounts.length; i++) {
            amounts[i] = record.postings().get(i).amount();
            legs.add(new Leg(accounts[i].id(), amounts[i]));
        }
        Tx tx = new Tx(record.txId(), List.copyOf(legs), nanoTime.getAsLong());
        tx.accounts = accounts;
        tx.amounts = amounts;
        tx.vote = Vote.commitVote();
        strategy.writeAll(accounts, tx, Transactions::takeHolds);
        journal.recoveredPrepared(record);
        tx.state = TxState.PREPARED;
        if (byId.putIfAbsent(tx.id, tx) != null) {
            throw new JournalException("the journal prepares transaction '" + tx.id + "' twice", null);
        }
    }

    /** Replays a participant's decision on a transaction the journal prepared earlier. */
    void restoreDecision(String txId, boolean commit) {
        Tx tx = byId.get(txId);
        if (tx == null || tx.state != TxState.PREPARED) {
            throw new JournalException("the journal " + (commit ? "commits" : "aborts") + " transaction '" + txId
                    + "', which it did not prepare", null);
        }
        strategy.writeAll(tx.accounts, tx, commit ? Transactions::applyHolds : Transactions::releaseHolds);
        journal.recoveredSettled(txId);
        tx.state = commit ? TxState.COMMITTED : TxState.ABORTED;
        finished(tx);
    }

    /** Queues a transaction that just became final, and forgets the oldest beyond the limit. */
    private void finished(Tx tx) {
        finished.add(tx);
        if (finishedCount.incrementAndGet() > rememberFinished) {
            Tx oldest = finished.poll();
            if (oldest != null) {
                finishedCount.decrementAndGet();
                byId.remove(oldest.id, oldest);
            }
        }
    }

    TxState status(String txId) {
        Tx tx = txId == null ? null : byId.get(txId);
        TxState state = tx == null ? null : tx.state;
        return state == null ? TxState.UNKNOWN : state; // null: its prepare is still running
    }

    List<String> inDoubt() {
        long now = nanoTime.getAsLong();
        List<String> ids = new ArrayList<>();
        for (Tx tx : byId.values()) {
            if (tx.state == TxState.PREPARED && now - tx.deadline >= 0) {
                ids.add(tx.id);
            }
        }
        Collections.sort(ids);
        return ids;
    }

    List<String> preparedIds() {
        List<String> ids = new ArrayList<>();
        for (Tx tx : byId.values()) {
            if (tx.state == TxState.PREPARED) {
                ids.add(tx.id);
            }
        }
        Collections.sort(ids);
        return ids;
    }

    int prepared() {
        int prepared = 0;
        for (Tx tx : byId.values()) {
            if (tx.state == TxState.PREPARED) {
                prepared++;
            }
        }
        return prepared;
    }

    int resolveInDoubt(DecisionResolver resolver) {
        int resolved = 0;
        for (String txId : inDoubt()) {
            TxState decision;
            try {
                decision = resolver.decision(txId);
            } catch (RuntimeException unreachable) {
                continue; // stays in doubt; never decided here
            }
            if (decision == TxState.COMMITTED) {
                commit(txId);
                resolved++;
            } else if (decision == TxState.ABORTED || decision == TxState.UNKNOWN) {
                abort(txId);
                resolved++;
            }
        }
        return resolved;
    }

    private static void checkTxId(String txId) {
        if (txId == null || txId.isEmpty() || txId.length() > 128 || txId.chars().anyMatch(c -> c <= ' ')) {
            throw new LedgerException(ErrorCode.INVALID_REQUEST,
                    "a transaction id is 1 to 128 characters without spaces, got '" + txId + "'");
        }
    }

    private static long saturatedNanos(Duration timeout) {
        try {
            return Math.max(0, timeout.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** One transaction at this bank. Fields other than the id and legs are guarded by the object's monitor. */
    private static final class Tx {
        final String id;
        final List<Leg> legs;
        final long deadline;
        /** Null until the first prepare voted. Read without the monitor by status() and inDoubt(); written under it. */
        volatile TxState state;
        Vote vote;
        Account[] accounts;
        long[] amounts;

        Tx(String id, List<Leg> legs, long deadline) {
            this.id = id;
            this.legs = legs;
            this.deadline = deadline;
        }

        static Tx abortedUnseen(String id) {
            Tx tx = new Tx(id, null, 0);
            tx.state = TxState.ABORTED;
            tx.vote = Vote.abortVote(AbortReason.ALREADY_ABORTED, "transaction '" + id + "' was already aborted");
            return tx;
        }

        synchronized Vote repeatedPrepare(List<Leg> request) {
            if (legs != null && !legs.equals(request)) {
                throw new LedgerException(ErrorCode.TRANSACTION_CONFLICT,
                        "transaction '" + id + "' was prepared with other legs");
            }
            return vote;
        }

        /** The journal record of this transaction's holds. */
        JournalRecord.Prepared preparedRecord() {
            List<Posting> postings = new ArrayList<>(accounts.length);
            for (int i = 0; i < accounts.length; i++) {
                postings.add(new Posting(accounts[i].ordinal(), amounts[i]));
            }
            return new JournalRecord.Prepared(id, postings);
        }
    }
}

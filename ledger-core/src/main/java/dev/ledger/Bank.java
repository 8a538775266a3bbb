package dev.ledger;

import dev.ledger.journal.Checkpoint;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.JournalRecord;
import dev.ledger.journal.Posting;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import dev.ledger.lock.PairSection;
import dev.ledger.tx.DecisionResolver;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A bank: accounts holding money as a {@code long} count of minor units, and thread-safe, linearizable operations
 * that move it. How operations are synchronized is the {@link LockStrategy} chosen when the bank is built; every
 * strategy gives the same results and guarantees.
 *
 * <pre>{@code
 * Bank bank = Bank.builder().strategy(LockStrategies.ORDERED).build();
 * Account alice = bank.open("alice", 100_00);
 * Account bob = bank.open("bob", 0);
 * Outcome outcome = bank.transfer(alice, bob, 25_00);   // OK, or INSUFFICIENT_FUNDS
 * Snapshot cut = bank.snapshot();                         // cut.total() == 100_00
 * }</pre>
 *
 * <p><b>Outcomes and errors.</b> Insufficient funds is a business outcome and is returned ({@link Outcome},
 * {@link Receipt}). Misuse is thrown as a {@link LedgerException} with an {@link ErrorCode}: a non-positive
 * amount, an unknown or foreign account, the same account twice, a malformed id, or an overflow. Either way a
 * refused call changes nothing: arguments are checked before any account is changed.
 *
 * <p><b>Overflow.</b> Money never wraps around, and it is a property of each account, not of the bank: an operation
 * that pays into an account (a deposit, a transfer, a prepared credit) fails with {@link ErrorCode#OVERFLOW} if that
 * account's balance plus the credits prepared transactions promise it would pass {@link Long#MAX_VALUE}; no other
 * account is affected. The bank's total is a sum it reports and may exceed a long: see {@link #totalExact()}.
 *
 * <p><b>Handles.</b> {@link #account(String)} resolves an id once; the handle-taking overloads skip the lookup.
 * The id-taking overloads are for convenience and cost one hash lookup per id.
 *
 * <p><b>Durability.</b> A bank lives in memory unless it is built with a durable {@link Journal}: then it recovers
 * its state from the journal when built, and each operation returns only once its record is durable. See
 * {@link dev.ledger.journal}.
 *
 * <p><b>Two-phase commit.</b> A bank is a {@link Participant}: {@link #prepare} holds debits (available =
 * balance &minus; holds) so no other operation can spend them, and counts credits as their accounts' incoming
 * money so that no other operation can take their room; {@link #commit} or {@link #abort} settles them. Ordinary
 * operations, snapshots and holds stay consistent with each other; see {@link dev.ledger.tx}.
 *
 * <p>Concurrency: account fields are guarded as the strategy defines. {@code openLock} serializes openings;
 * {@code table} and {@code count} publish accounts by ordinal (an opening writes the slot, then the volatile
 * {@code count}), and {@code byId} publishes them by id. Accounts are never removed, so {@code count} only grows: a
 * snapshot that finds {@code count} unchanged after its consistent read knows no account was opened during it.
 * There is no bank-wide counter: the overflow check reads only the destination account's {@code balance} and
 * {@code incoming}, under its lock, before the section writes or journals anything. With a {@link Journal}, a write
 * section appends its record before it changes any account, under the same locks, so records of one account are in
 * the order its changes were applied; the operation syncs the journal after the locks are released and only then
 * returns. A checkpoint holds {@code checkpointLock} throughout, and {@code openLock} and then every account's lock
 * while it copies the state, so no record is appended meanwhile and checkpoints complete in the order they began.
 */
public final class Bank implements Participant {
    private static final System.Logger LOG = System.getLogger(Bank.class.getName());
    /** A write section's result meaning the operation was applied. */
    private static final long APPLIED = 0;
    /** A write section's result meaning a source lacked available money. */
    private static final long REFUSED = -1;

    private static final PairSection TRANSFER = (from, to, amount) -> {
        if (from.balance - from.held < amount) {
            return REFUSED;
        }
        if (amount > room(to)) {
            throw overflow(to, amount);
        }
        Journal journal = from.bank.journal;
        if (journal != null) {
            journal.append(new JournalRecord.Transferred(from.ordinal(), to.ordinal(), amount));
        }
        from.balance -= amount;
        to.balance += amount;
        return APPLIED;
    };

    private static final PairSection DEPOSIT = (account, unused, amount) -> {
        if (amount > room(account)) {
            throw overflow(account, amount);
        }
        Journal journal = account.bank.journal;
        if (journal != null) {
            journal.append(new JournalRecord.Deposited(account.ordinal(), amount));
        }
        return account.balance += amount;
    };

    /** {@return the new balance, or the bitwise complement of the unchanged balance when refused} */
    private static final PairSection WITHDRAW = (account, unused, amount) -> {
        if (account.balance - account.held < amount) {
            return ~account.balance;
        }
        Journal journal = account.bank.journal;
        if (journal != null) {
            journal.append(new JournalRecord.Withdrawn(account.ordinal(), amount));
        }
        return account.balance -= amount;
    };

    private static final ToLongFunction<Account> BALANCE = account -> account.balance;

    private static final ToLongFunction<MultiLeg> MULTI_LEG = leg -> {
        Account[] accounts = leg.accounts;
        int sources = accounts.length - 1;
        for (int i = 0; i < sources; i++) {
            if (accounts[i].balance - accounts[i].held < leg.amounts[i]) {
                return REFUSED;
            }
        }
        Account to = accounts[sources];
        if (leg.sum > room(to)) {
            throw overflow(to, leg.sum);
        }
        Journal journal = to.bank.journal;
        if (journal != null) {
            journal.append(leg.record());
        }
        for (int i = 0; i < sources; i++) {
            accounts[i].balance -= leg.amounts[i];
        }
        to.balance += leg.sum;
        return APPLIED;
    };

    /** Replays journaled postings. No checks: they were checked when first applied, and the journal is in order. */
    static final ToLongFunction<Postings> POST = postings -> {
        for (int i = 0; i < postings.accounts.length; i++) {
            postings.accounts[i].balance += postings.amounts[i];
        }
        return APPLIED;
    };

    private final String name;
    private final LockStrategy strategy;
    private final Transactions transactions;
    private final Map<String, Account> byId = new ConcurrentHashMap<>();
    private final Object openLock = new Object();
    /** Accounts by ordinal; slots below {@code count} are filled. Replaced (grown) and written under openLock. */
    private volatile Account[] table = new Account[64];
    /** The number of open accounts. Written under openLock, after the slot it publishes. */
    private volatile int count;
    /** Where applied operations are recorded, or null for a bank that lives in memory only. Appended to inside
     * write sections, under the locks of the accounts a record touches; synced after they are released. */
    final Journal journal;
    /** A checkpoint is taken once the journal holds this many bytes since the last one. */
    private final long checkpointBytes;
    /** Held by the one checkpoint running, from its copy to its file; taken before openLock. */
    private final ReentrantLock checkpointLock = new ReentrantLock();
    /** The batch open on each thread, if any: its operations do not sync one by one. Confined to its thread. */
    private final ThreadLocal<Batch> openBatch = new ThreadLocal<>();

    private Bank(Builder builder) {
        this.name = builder.name;
        this.strategy = builder.strategy != null ? builder.strategy : LockStrategies.ORDERED.create();
        this.transactions = new Transactions(this, System::nanoTime, builder.rememberFinishedTransactions);
        this.journal = builder.journal == Journal.inMemory() ? null : builder.journal;
        this.checkpointBytes = builder.checkpointBytes;
    }

    /** {@return a builder; the default strategy is {@link LockStrategies#ORDERED}} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the bank's name, {@code bank} unless the builder set one} */
    @Override
    public String name() {
        return name;
    }

    /** {@return the lock strategy this bank was built with} */
    public LockStrategy strategy() {
        return strategy;
    }

    // ---------------------------------------------------------------- accounts

    /**
     * Opens an account. Safe while the bank is in use.
     *
     * @param id the new account's id, matching {@code [A-Za-z0-9_.-]{1,64}}
     * @param initialBalance its opening balance, zero or more
     * @return the account's handle
     * @throws LedgerException {@code INVALID_ID}, {@code INVALID_AMOUNT} or {@code DUPLICATE_ACCOUNT}
     */
    public Account open(String id, long initialBalance) {
        Account account = openInMemory(id, initialBalance);
        durable();
        return account;
    }

    /** Opens an account and journals it, without waiting for the record to be durable. */
    private Account openInMemory(String id, long initialBalance) {
        checkId(id);
        if (initialBalance < 0) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT,
                    "initial balance must be zero or more, got " + initialBalance);
        }
        Account account;
        synchronized (openLock) {
            if (byId.containsKey(id)) {
                throw new LedgerException(ErrorCode.DUPLICATE_ACCOUNT, "account '" + id + "' already exists");
            }
            if (journal != null) {
                journal.append(new JournalRecord.AccountOpened(count, id, initialBalance));
            }
            account = publish(id, initialBalance);
        }
        return account;
    }

    /** Creates the next account and publishes it by ordinal and by id. Runs under openLock. */
    private Account publish(String id, long initialBalance) {
        int ordinal = count;
        Account account = new Account(this, id, ordinal, strategy.newLock(), initialBalance);
        Account[] slots = table;
        if (ordinal == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
            table = slots;
        }
        slots[ordinal] = account;
        count = ordinal + 1;
        byId.put(id, account);
        return account;
    }

    /**
     * Resolves an id into a handle.
     *
     * @param id the account's id
     * @return the handle
     * @throws LedgerException {@code UNKNOWN_ACCOUNT} if no account has this id
     */
    public Account account(String id) {
        Account account = id == null ? null : byId.get(id);
        if (account == null) {
            throw new LedgerException(ErrorCode.UNKNOWN_ACCOUNT, "unknown account '" + id + "'");
        }
        return account;
    }

    /**
     * Looks an id up.
     *
     * @param id the account's id
     * @return the handle, or empty if no account has this id
     */
    public Optional<Account> find(String id) {
        return Optional.ofNullable(id == null ? null : byId.get(id));
    }

    /** {@return the number of open accounts} */
    public int size() {
        return count;
    }

    /** {@return every account, in opening order (ascending ordinal)} */
    public List<Account> accounts() {
        return Collections.unmodifiableList(Arrays.asList(openAccounts()));
    }

    // ---------------------------------------------------------------- single-account operations

    /**
     * Returns an account's balance, held money included.
     *
     * @param account the account
     * @return its balance
     */
    public long balance(Account account) {
        return strategy.read(own(account), BALANCE);
    }

    /**
     * Returns an account's balance, held money included.
     *
     * @param id the account's id
     * @return its balance
     * @throws LedgerException {@code UNKNOWN_ACCOUNT}
     */
    public long balance(String id) {
        return balance(account(id));
    }

    /**
     * Adds money to an account.
     *
     * @param account the account
     * @param amount a positive amount
     * @return the account's new balance
     * @throws LedgerException {@code INVALID_AMOUNT}, {@code FOREIGN_ACCOUNT}, or {@code OVERFLOW} if the account's
     *     balance plus the credits promised to it would pass {@link Long#MAX_VALUE}
     */
    public long deposit(Account account, long amount) {
        own(account);
        checkPositive(amount);
        long balance = strategy.write(account, null, amount, DEPOSIT);
        durable();
        return balance;
    }

    /**
     * Adds money to an account.
     *
     * @param id the account's id
     * @param amount a positive amount
     * @return the account's new balance
     * @throws LedgerException {@code UNKNOWN_ACCOUNT}, {@code INVALID_AMOUNT}, or {@code OVERFLOW} if the account's
     *     balance plus the credits promised to it would pass {@link Long#MAX_VALUE}
     */
    public long deposit(String id, long amount) {
        return deposit(account(id), amount);
    }

    /**
     * Takes money from an account if its available money (balance less holds) covers it. There is no overdraft.
     *
     * @param account the account
     * @param amount a positive amount
     * @return the outcome and the balance after it
     * @throws LedgerException {@code INVALID_AMOUNT} or {@code FOREIGN_ACCOUNT}
     */
    public Receipt withdraw(Account account, long amount) {
        own(account);
        checkPositive(amount);
        long result = strategy.write(account, null, amount, WITHDRAW);
        if (result < 0) {
            return new Receipt(Outcome.INSUFFICIENT_FUNDS, ~result);
        }
        durable();
        return new Receipt(Outcome.OK, result);
    }

    /**
     * Takes money from an account if its available money covers it.
     *
     * @param id the account's id
     * @param amount a positive amount
     * @return the outcome and the balance after it
     * @throws LedgerException {@code UNKNOWN_ACCOUNT} or {@code INVALID_AMOUNT}
     */
    public Receipt withdraw(String id, long amount) {
        return withdraw(account(id), amount);
    }

    // ---------------------------------------------------------------- transfers

    /**
     * Moves money between two accounts: done, or refused for insufficient funds, never half-done.
     *
     * @param from the source account
     * @param to the destination account, not the source
     * @param amount a positive amount
     * @return {@link Outcome#OK}, or {@link Outcome#INSUFFICIENT_FUNDS} if the source's available money is short
     * @throws LedgerException {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT}, {@code FOREIGN_ACCOUNT}, or
     *     {@code OVERFLOW} if the destination's balance plus the credits promised to it would pass
     *     {@link Long#MAX_VALUE}
     */
    public Outcome transfer(Account from, Account to, long amount) {
        own(from);
        own(to);
        if (from == to) {
            throw new LedgerException(ErrorCode.SAME_ACCOUNT,
                    "cannot transfer from account '" + from.id() + "' to itself");
        }
        checkPositive(amount);
        if (strategy.write(from, to, amount, TRANSFER) != APPLIED) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        durable();
        return Outcome.OK;
    }

    /**
     * Moves money between two accounts: done, or refused for insufficient funds, never half-done.
     *
     * @param from the source account's id
     * @param to the destination account's id
     * @param amount a positive amount
     * @return the outcome
     * @throws LedgerException {@code UNKNOWN_ACCOUNT}, {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT} or
     *     {@code OVERFLOW} (the destination's)
     */
    public Outcome transfer(String from, String to, long amount) {
        return transfer(account(from), account(to), amount);
    }

    /**
     * Takes money from several source accounts, each its own amount, and pays the sum into one destination: all
     * or nothing.
     *
     * @param to the destination account
     * @param sources the source legs: at least one, each a distinct account other than {@code to}, each with a
     *     positive amount
     * @return {@link Outcome#OK}, or {@link Outcome#INSUFFICIENT_FUNDS} if any source is short, in which case no
     *     account changed
     * @throws LedgerException {@code INVALID_REQUEST} (no sources), {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT},
     *     {@code FOREIGN_ACCOUNT}, or {@code OVERFLOW} if the amounts' sum does not fit a long or the destination's
     *     balance plus the credits promised to it would pass {@link Long#MAX_VALUE} with it
     */
    public Outcome transfer(Account to, List<Debit> sources) {
        own(to);
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
            Account from = own(debit.account());
            checkPositive(debit.amount());
            if (!seen.add(from)) {
                throw new LedgerException(ErrorCode.SAME_ACCOUNT, "account '" + from.id()
                        + "' appears more than once in a multi-leg transfer to '" + to.id() + "'");
            }
            sum = addChecked(sum, debit.amount(), "the multi-leg transfer's total");
            accounts[i] = from;
            amounts[i] = debit.amount();
        }
        accounts[legs] = to;
        if (strategy.writeAll(accounts, new MultiLeg(accounts, amounts, sum), MULTI_LEG) != APPLIED) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        durable();
        return Outcome.OK;
    }

    // ---------------------------------------------------------------- consistent reads

    /**
     * Returns a consistent cut of every account: balances and holds as they all were at one instant, even while
     * transfers run. Its cost grows with the number of accounts.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        while (true) {
            int n = count;
            Account[] accounts = Arrays.copyOf(table, n);
            long[] balances = new long[n];
            long[] held = new long[n];
            strategy.readAll(accounts, accounts, all -> {
                for (int i = 0; i < all.length; i++) {
                    balances[i] = all[i].balance;
                    held[i] = all[i].held;
                }
                return n;
            });
            if (count == n) {
                String[] ids = new String[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = accounts[i].id();
                }
                return new Snapshot(ids, balances, held);
            }
        }
    }

    /**
     * Returns the bank's money at one instant: the sum of all balances, held money included. It costs a consistent
     * read of every account, like {@link #snapshot()}, without copying balances. Each balance fits a long but their
     * sum may not; {@link #totalExact()} always answers.
     *
     * @return the total
     * @throws LedgerException {@code OVERFLOW} if the total is more than {@link Long#MAX_VALUE}
     */
    public long total() {
        return sum().toLong("the bank's total money");
    }

    /**
     * Returns the bank's money at one instant, exactly, however large: see {@link #total()}.
     *
     * @return the total
     */
    public BigInteger totalExact() {
        return sum().exact();
    }

    private Total sum() {
        Total total = new Total();
        while (true) {
            int n = count;
            Account[] accounts = Arrays.copyOf(table, n);
            strategy.readAll(accounts, total, sum -> {
                sum.clear(); // a read section may run again after a torn read
                for (Account account : accounts) {
                    sum.add(account.balance);
                }
                return 0;
            });
            if (count == n) {
                return total;
            }
        }
    }

    /**
     * Returns an account's balance, held money and incoming money, all as of one instant.
     *
     * @param account the account
     * @return its position
     */
    public Position position(Account account) {
        long[] position = new long[3];
        strategy.readAll(new Account[] {own(account)}, position, out -> {
            out[0] = account.balance;
            out[1] = account.held;
            out[2] = account.incoming;
            return 0;
        });
        return new Position(position[0], position[1], position[2]);
    }

    /**
     * Returns an account's balance, held money and incoming money, all as of one instant.
     *
     * @param id the account's id
     * @return its position
     * @throws LedgerException {@code UNKNOWN_ACCOUNT}
     */
    public Position position(String id) {
        return position(account(id));
    }

    // ---------------------------------------------------------------- two-phase commit participant

    /**
     * {@inheritDoc}
     *
     * <p>The vote is ABORT with {@code INSUFFICIENT_FUNDS}, {@code UNKNOWN_ACCOUNT} or {@code INVALID} (a zero
     * amount, an account twice, no legs, a credit that would take its account's balance plus the credits promised
     * to it past {@link Long#MAX_VALUE}). The holds are taken under the accounts' locks, a credit is reserved in its
     * account's incoming money so that the commit cannot overflow, and the locks are released before this method
     * returns.
     *
     * @throws LedgerException {@code INVALID_REQUEST} for a malformed transaction id, or
     *     {@code TRANSACTION_CONFLICT} if the id was prepared before with other legs
     */
    @Override
    public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
        Objects.requireNonNull(legs, "legs");
        Objects.requireNonNull(timeout, "timeout");
        return transactions.prepare(txId, legs, timeout);
    }

    @Override
    public TxState commit(String txId) {
        return transactions.commit(txId);
    }

    @Override
    public TxState abort(String txId) {
        return transactions.abort(txId);
    }

    @Override
    public TxState status(String txId) {
        return transactions.status(txId);
    }

    /**
     * Returns the number of transactions prepared here and not yet committed or aborted, in doubt or not: a figure
     * for operators, counted without locks, so it may be stale by the time it returns.
     *
     * @return the number
     */
    public int prepared() {
        return transactions.prepared();
    }

    /**
     * Returns the prepared transactions that have outlived their timeout and wait for a decision, by id. They keep
     * their holds: they are never committed or dropped without a decision.
     *
     * @return the ids, sorted
     */
    public List<String> inDoubt() {
        return transactions.inDoubt();
    }

    /**
     * Asks {@code resolver} for the decision on every transaction in doubt and applies it: commit, or abort when
     * the coordinator decided abort or does not know the transaction (presumed abort). A transaction whose
     * coordinator cannot be reached, or has not decided yet, stays in doubt.
     *
     * @param resolver how to reach the coordinator
     * @return the number of transactions resolved
     */
    public int resolveInDoubt(DecisionResolver resolver) {
        return transactions.resolveInDoubt(Objects.requireNonNull(resolver, "resolver"));
    }

    // ---------------------------------------------------------------- durability

    /** {@return the journal this bank records its operations in; {@link Journal#inMemory()} if it has none} */
    public Journal journal() {
        return journal != null ? journal : Journal.inMemory();
    }

    /**
     * Stores the bank's whole state as a checkpoint, so that recovery replays only what comes after it; the
     * records before it are dropped. The bank takes one on its own once the journal has grown by the builder's
     * {@link Builder#checkpointEvery(long) checkpointEvery} bytes. Every account is locked while the state is
     * copied, and only then: the checkpoint is written after the locks are released. Does nothing without a
     * journal.
     *
     * @throws JournalException if the checkpoint could not be written; the journal still holds everything
     */
    public void checkpoint() {
        if (journal == null) {
            return;
        }
        checkpointLock.lock();
        try {
            takeCheckpoint();
        } finally {
            checkpointLock.unlock();
        }
    }

    /** Copies the state and writes it; one at a time, so checkpoints complete in the order they began. */
    private void takeCheckpoint() {
        assert checkpointLock.isHeldByCurrentThread();
        CheckpointCopy copy;
        synchronized (openLock) { // no account opens meanwhile: an opening appends outside any account lock
            copy = new CheckpointCopy(openAccounts());
            strategy.writeAll(copy.accounts, copy, CheckpointCopy::take);
        }
        journal.completeCheckpoint(copy.token, copy.checkpoint());
    }

    /**
     * Opens a batch on this thread: until it is closed, this thread's operations on this bank return as soon as
     * they are applied, without waiting for the disk, and {@link Batch#close()} then waits once until all of them
     * are durable. It is how a server answers a pipeline of requests with one fsync instead of one per request.
     * The caller must not acknowledge an operation of the batch before {@link Batch#sync()} or
     * {@link Batch#close()} returned. Two-phase-commit calls are never deferred: a participant's vote and its
     * settlement are durable before they return, batch or not. Without a journal, or inside a batch already open
     * on this thread, the batch does nothing of its own.
     *
     * <pre>{@code
     * try (Bank.Batch batch = bank.batch()) {
     *     for (Request request : pipelined) {
     *         replies.add(execute(request));
     *     }
     * }                      // every transfer above is on disk
     * send(replies);
     * }</pre>
     *
     * <p>{@link Batch#closeThen} closes a batch without waiting: the thread that makes the operations durable then
     * runs an action, such as sending the replies, while this thread goes on.
     *
     * @return the batch, to close on this thread
     */
    public Batch batch() {
        if (journal == null || openBatch.get() != null) {
            return Batch.NESTED;
        }
        Batch batch = new Batch(this);
        openBatch.set(batch);
        return batch;
    }

    /**
     * Operations of one thread whose records are synced together: see {@link Bank#batch()}. Used by the thread
     * that opened it, only.
     */
    public static final class Batch implements AutoCloseable {
        /** A batch inside another, or of a bank without a journal: the outer one, if any, syncs. */
        static final Batch NESTED = new Batch(null);

        private final Bank bank;
        /** Whether an operation of the batch was journaled since the last sync: reads need none. */
        private boolean unsynced;

        private Batch(Bank bank) {
            this.bank = bank;
        }

        /**
         * Returns once every operation of the batch so far is durable; the batch stays open.
         *
         * @throws JournalException if the journal failed
         */
        public void sync() {
            if (unsynced) {
                bank.durableNow();
                unsynced = false;
            }
        }

        /**
         * Returns whether every operation of the batch so far is durable: none wrote to the journal since the last
         * sync (reads only), or the bank has no journal. A nested batch answers true: its operations are the outer
         * batch's to sync.
         *
         * @return true if acknowledging the batch's operations needs no sync
         */
        public boolean isDurable() {
            return !unsynced;
        }

        /**
         * Closes the batch, then returns once all its operations are durable.
         *
         * @throws JournalException if the journal failed
         */
        @Override
        public void close() {
            if (bank != null && bank.openBatch.get() == this) {
                bank.openBatch.remove();
                sync();
            }
        }

        /**
         * Closes the batch without waiting for the disk: {@code whenDurable} runs once all the batch's operations
         * are durable, on this thread before this returns if they already are, else later on the thread that makes
         * them so (see {@link Journal#whenSynced}). It receives null, or the journal's failure: then the
         * operations must not be acknowledged. A server acknowledges with it without parking a thread per
         * client; the action must be short and must not wait for the bank.
         *
         * @param whenDurable receives null once the operations are durable, or the journal's failure
         */
        public void closeThen(Consumer<? super JournalException> whenDurable) {
            Objects.requireNonNull(whenDurable, "whenDurable");
            if (bank != null && bank.openBatch.get() == this) {
                bank.openBatch.remove();
                if (unsynced) {
                    unsynced = false;
                    bank.durableLater(whenDurable);
                    return;
                }
            }
            whenDurable.accept(null);
        }
    }

    /**
     * Makes what this thread just applied durable before the operation is acknowledged, unless a batch open on
     * this thread will, and takes a checkpoint when one is due. Called with no lock held.
     */
    void durable() {
        if (journal == null) {
            return;
        }
        Batch batch = openBatch.get();
        if (batch != null) {
            batch.unsynced = true;
            return;
        }
        durableNow();
    }

    /** {@link #durable()}, batch or not: for two-phase commit, whose every step must be durable before it answers. */
    void durableNow() {
        if (journal == null) {
            return;
        }
        journal.sync();
        checkpointIfDue();
    }

    /** {@link #durableNow()} without waiting: {@code action} runs once this thread's operations are durable. */
    private void durableLater(Consumer<? super JournalException> action) {
        journal.whenSynced(action);
        checkpointIfDue();
    }

    /** Takes a checkpoint if the journal has grown enough since the last, unless one is being taken. */
    private void checkpointIfDue() {
        if (journal.bytesSinceCheckpoint() >= checkpointBytes && checkpointLock.tryLock()) {
            try {
                if (journal.bytesSinceCheckpoint() >= checkpointBytes) { // not taken by the holder before us
                    takeCheckpoint();
                }
            } catch (JournalException e) {
                // The operations are journaled; only the compaction failed, and the next due checkpoint retries it.
                LOG.log(System.Logger.Level.WARNING, "bank " + name + ": checkpoint failed", e);
            } finally {
                checkpointLock.unlock();
            }
        }
    }

    /** What a checkpoint copies while it holds every account's lock. */
    private final class CheckpointCopy {
        final Account[] accounts;
        final long[] balances;
        long token;
        List<JournalRecord.Prepared> prepared;

        CheckpointCopy(Account[] accounts) {
            this.accounts = accounts;
            this.balances = new long[accounts.length];
        }

        /** Runs under every account's lock, so no record is appended meanwhile. */
        long take() {
            token = journal.beginCheckpoint();
            for (int i = 0; i < accounts.length; i++) {
                balances[i] = accounts[i].balance;
            }
            prepared = transactions.holdingRecords();
            return APPLIED;
        }

        Checkpoint checkpoint() {
            List<Checkpoint.AccountState> states = new ArrayList<>(accounts.length);
            for (int i = 0; i < accounts.length; i++) {
                states.add(new Checkpoint.AccountState(accounts[i].id(), balances[i]));
            }
            return new Checkpoint(states, prepared);
        }
    }

    /**
     * Rebuilds the state the journal holds: the latest checkpoint, then every record after it, in order. Runs
     * once, in the builder, before the bank is shared; it changes accounts through the strategy all the same, so
     * that the state is published to the threads that lock the accounts later.
     */
    private void recover() {
        journal.recover(this::restore, this::replay);
        for (Account account : openAccounts()) {
            Position position = position(account);
            if (position.balance() < 0 || position.incoming() < 0
                    || position.balance() > Long.MAX_VALUE - position.incoming()) {
                throw new JournalException("the journal leaves account '" + account.id() + "' with balance "
                        + position.balance() + " and incoming " + position.incoming() + ", beyond a long", null);
            }
        }
    }

    private void restore(Checkpoint checkpoint) {
        synchronized (openLock) {
            for (Checkpoint.AccountState state : checkpoint.accounts()) {
                publish(state.id(), state.balance());
            }
        }
        for (JournalRecord.Prepared prepared : checkpoint.prepared()) {
            transactions.restorePrepared(prepared, accounts(prepared.postings()));
        }
    }

    private void replay(JournalRecord record) {
        if (record instanceof JournalRecord.AccountOpened opened) {
            synchronized (openLock) {
                if (opened.account() != count || byId.containsKey(opened.id())) {
                    throw new JournalException("the journal opens account " + opened.account() + " '" + opened.id()
                            + "' when the bank has " + count + " accounts", null);
                }
                publish(opened.id(), opened.initialBalance());
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
        Account[] accounts = accounts(postings);
        strategy.writeAll(accounts, new Postings(accounts, amounts), POST);
    }

    /** Resolves the ordinals of journaled postings. */
    private Account[] accounts(List<Posting> postings) {
        Account[] accounts = new Account[postings.size()];
        int n = count;
        for (int i = 0; i < accounts.length; i++) {
            int ordinal = postings.get(i).account();
            if (ordinal < 0 || ordinal >= n) {
                throw new JournalException("the journal names account " + ordinal + " of " + n, null);
            }
            accounts[i] = table[ordinal];
        }
        return accounts;
    }

    // ---------------------------------------------------------------- checks and helpers

    private Account[] openAccounts() {
        int n = count; // read count before table: the table then has at least n filled slots
        return Arrays.copyOf(table, n);
    }

    private Account own(Account account) {
        Objects.requireNonNull(account, "account");
        if (account.bank != this) {
            throw new LedgerException(ErrorCode.FOREIGN_ACCOUNT,
                    "account '" + account.id() + "' belongs to another bank");
        }
        return account;
    }

    /**
     * Returns how much more may be paid into an account: {@code Long.MAX_VALUE} less its balance and the credits
     * promised to it, never negative since {@code balance + incoming <= Long.MAX_VALUE}. Run under its lock.
     */
    static long room(Account account) {
        return Long.MAX_VALUE - account.balance - account.incoming;
    }

    /** {@return the error for paying {@code amount} into an account that has no room for it} */
    static LedgerException overflow(Account account, long amount) {
        return new LedgerException(ErrorCode.OVERFLOW, overflowMessage(account, amount));
    }

    static String overflowMessage(Account account, long amount) {
        return "adding " + amount + " to account '" + account.id()
                + "' would take its balance plus the credits promised to it past " + Long.MAX_VALUE;
    }

    static void checkPositive(long amount) {
        if (amount <= 0) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT, "amount must be positive, got " + amount);
        }
    }

    static long addChecked(long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new LedgerException(ErrorCode.OVERFLOW, what + " overflows a long");
        }
    }

    static void checkId(String id) {
        if (!Account.isValidId(id)) {
            throw new LedgerException(ErrorCode.INVALID_ID,
                    "account id must be 1 to 64 characters of [A-Za-z0-9_.-], got " + quote(id));
        }
    }

    private static String quote(String id) {
        if (id == null) {
            return "null";
        }
        String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
        return "'" + shown + "'";
    }

    /** The argument of the multi-leg section: sources first, destination last. Immutable once built. */
    private static final class MultiLeg {
        final Account[] accounts;
        final long[] amounts;
        final long sum;

        MultiLeg(Account[] accounts, long[] amounts, long sum) {
            this.accounts = accounts;
            this.amounts = amounts;
            this.sum = sum;
        }

        /** The journal record: a negative posting per source, the positive sum on the destination. */
        JournalRecord record() {
            Posting[] postings = new Posting[accounts.length];
            for (int i = 0; i < amounts.length; i++) {
                postings[i] = new Posting(accounts[i].ordinal(), -amounts[i]);
            }
            postings[amounts.length] = new Posting(accounts[amounts.length].ordinal(), sum);
            return new JournalRecord.MultiLegTransferred(Arrays.asList(postings));
        }
    }

    /** Signed amounts on accounts, to replay: the argument of {@link #POST}. */
    static final class Postings {
        final Account[] accounts;
        final long[] amounts;

        Postings(Account[] accounts, long[] amounts) {
            this.accounts = accounts;
            this.amounts = amounts;
        }
    }

    private record Opening(String id, long initialBalance) {
    }

    /** Builds a {@link Bank}. Not thread-safe; use it on one thread, then share the bank. */
    public static final class Builder {
        private String name = "bank";
        private LockStrategy strategy;
        private int rememberFinishedTransactions = 1_000_000;
        private Journal journal = Journal.inMemory();
        private long checkpointBytes = 64L << 20;
        private final List<Opening> openings = new ArrayList<>();

        private Builder() {
        }

        /**
         * Names the bank, as a participant in two-phase commit.
         *
         * @param name the name, for example {@code alpha}
         * @return this builder
         */
        public Builder name(String name) {
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
        public Builder rememberFinishedTransactions(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("must remember at least 1 finished transaction, got " + count);
            }
            this.rememberFinishedTransactions = count;
            return this;
        }

        /**
         * Chooses the lock strategy by name.
         *
         * @param strategy one of the library's strategies; a new instance is made for this bank
         * @return this builder
         */
        public Builder strategy(LockStrategies strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy").create();
            return this;
        }

        /**
         * Chooses the lock strategy instance; give each bank its own.
         *
         * @param strategy the strategy
         * @return this builder
         */
        public Builder strategy(LockStrategy strategy) {
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
        public Builder journal(Journal journal) {
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
        public Builder checkpointEvery(long bytes) {
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
        public Builder account(String id, long initialBalance) {
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
            Bank bank = new Bank(this);
            if (bank.journal != null) {
                bank.recover();
            }
            int recovered = bank.size();
            for (Opening opening : openings) {
                Account existing = bank.find(opening.id()).orElse(null);
                if (existing == null || existing.ordinal() >= recovered) {
                    bank.openInMemory(opening.id(), opening.initialBalance());
                }
            }
            bank.durable(); // one sync for all the openings
            return bank;
        }
    }
}

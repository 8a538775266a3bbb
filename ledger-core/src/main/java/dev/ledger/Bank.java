package dev.ledger;

import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;
import dev.ledger.tx.DecisionResolver;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * <p>Outcomes and errors, overflow, handles, ids, durability and two-phase commit: see the
 * {@linkplain dev.ledger package documentation}.
 *
 * <p>Concurrency: the bank holds no mutable state of its own; it checks arguments and runs each operation through
 * its parts, whose notes say what guards what. {@link Accounts} publishes accounts; {@link MoneySections} and
 * {@link Transactions} change money inside the strategy's write sections, appending each record before any account
 * changes, under the same locks; {@link BankJournal} syncs after the locks are released, before the operation
 * returns, and takes checkpoints; {@link ConsistentReads} reads many accounts at one instant; {@link TransferIds}
 * keeps one id from being applied twice. Lock order: a checkpoint's lock, the registry's opening lock, a
 * transaction's or an id's monitor, then account locks in the strategy's order.
 */
public final class Bank implements Participant {
    /** The most transfers one call of {@link #transfers} applies: as many as TigerBeetle puts in one request. */
    public static final int MAX_TRANSFERS_PER_BATCH = 8_189;

    private final String name;
    private final LockStrategy strategy;
    /** The journal the builder was given, {@link Journal#inMemory()} by default. */
    private final Journal publicJournal;
    private final Accounts accounts;
    private final MoneySections sections;
    private final ConsistentReads reads;
    private final BankJournal journal;
    private final Transactions transactions;
    private final Transfers transfers;

    Bank(String name, LockStrategy strategy, Journal publicJournal, Accounts accounts, MoneySections sections,
            ConsistentReads reads, BankJournal journal, Transactions transactions, Transfers transfers) {
        this.name = name;
        this.strategy = strategy;
        this.publicJournal = publicJournal;
        this.accounts = accounts;
        this.sections = sections;
        this.reads = reads;
        this.journal = journal;
        this.transactions = transactions;
        this.transfers = transfers;
    }

    /** {@return a builder; the default strategy is {@link LockStrategies#ORDERED}} */
    public static BankBuilder builder() {
        return new BankBuilder();
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
        Account account = accounts.open(id, initialBalance);
        journal.durable();
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
        return accounts.get(id);
    }

    /**
     * Looks an id up.
     *
     * @param id the account's id
     * @return the handle, or empty if no account has this id
     */
    public Optional<Account> find(String id) {
        return Optional.ofNullable(accounts.find(id));
    }

    /** {@return the number of open accounts} */
    public int size() {
        return accounts.size();
    }

    /** {@return every account, in opening order (ascending ordinal)} */
    public List<Account> accounts() {
        return Collections.unmodifiableList(Arrays.asList(accounts.toArray()));
    }

    // ---------------------------------------------------------------- single-account operations

    /**
     * Returns an account's balance, held money included.
     *
     * @param account the account
     * @return its balance
     */
    public long balance(Account account) {
        return strategy.read(accounts.own(account), MoneySections.BALANCE);
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
        accounts.own(account);
        Money.checkPositive(amount);
        long balance = strategy.write(account, null, amount, sections.deposit);
        journal.durable();
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
        accounts.own(account);
        Money.checkPositive(amount);
        long result = strategy.write(account, null, amount, sections.withdraw);
        if (result < 0) {
            return new Receipt(Outcome.INSUFFICIENT_FUNDS, ~result);
        }
        journal.durable();
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
        accounts.own(from);
        accounts.own(to);
        if (from == to) {
            throw new LedgerException(ErrorCode.SAME_ACCOUNT,
                    "cannot transfer from account '" + from.id() + "' to itself");
        }
        Money.checkPositive(amount);
        if (strategy.write(from, to, amount, sections.transfer) != MoneySections.APPLIED) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        journal.durable();
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
        MoneySections.MultiLeg multiLeg = MoneySections.MultiLeg.of(accounts.own(to), sources, accounts);
        if (strategy.writeAll(multiLeg.accounts, multiLeg, sections.multiLeg) != MoneySections.APPLIED) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        journal.durable();
        return Outcome.OK;
    }

    /**
     * Applies a transfer given by account ids, at most once per transfer id: see {@link Transfer}. Unlike the
     * other operations it does not throw for a malformed transfer; it answers with a status.
     *
     * @param transfer the transfer
     * @return what became of it
     */
    public TransferStatus transfer(Transfer transfer) {
        return transfers.apply(List.of(transfer)).get(0);
    }

    /**
     * Applies a batch of transfers in order, each on its own and at most once per transfer id (see
     * {@link Transfer}), and makes them durable with one sync before it returns. Each transfer is atomic; the batch
     * is not: a refused transfer leaves the others applied. A transfer whose id appeared earlier in the batch is a
     * repeat of it.
     *
     * @param transfers at most {@value #MAX_TRANSFERS_PER_BATCH} transfers
     * @return each transfer's status, in order
     * @throws LedgerException {@code INVALID_REQUEST} if the batch is larger; nothing was applied
     */
    public List<TransferStatus> transfers(List<Transfer> transfers) {
        return this.transfers.apply(transfers);
    }

    /**
     * A multi-leg transfer applied at most once per id: see {@link Transfer} for ids and
     * {@link #transfer(Account, List)} for the transfer, whose misuse it throws alike.
     *
     * @param id the client's id for the transfer
     * @param to the destination
     * @param sources the sources and their amounts
     * @return {@code OK}, {@code REPEATED}, {@code ID_CONFLICT}, {@code INSUFFICIENT_FUNDS}, {@code OVERFLOW} or
     *     {@code INVALID_ID}
     */
    public TransferStatus transferOnce(String id, Account to, List<Debit> sources) {
        return transfers.multiLeg(id, to, sources);
    }

    /**
     * A deposit applied at most once per id (see {@link Transfer} for ids).
     *
     * @param id the client's id for the deposit
     * @param account the account's id
     * @param amount the amount, positive
     * @return {@code OK}, {@code REPEATED}, {@code ID_CONFLICT}, {@code OVERFLOW}, {@code UNKNOWN_ACCOUNT},
     *     {@code INVALID_AMOUNT} or {@code INVALID_ID}
     */
    public TransferStatus depositOnce(String id, String account, long amount) {
        return transfers.deposit(id, account, amount);
    }

    /**
     * A withdrawal applied at most once per id (see {@link Transfer} for ids).
     *
     * @param id the client's id for the withdrawal
     * @param account the account's id
     * @param amount the amount, positive
     * @return {@code OK}, {@code REPEATED}, {@code ID_CONFLICT}, {@code INSUFFICIENT_FUNDS},
     *     {@code UNKNOWN_ACCOUNT}, {@code INVALID_AMOUNT} or {@code INVALID_ID}
     */
    public TransferStatus withdrawOnce(String id, String account, long amount) {
        return transfers.withdraw(id, account, amount);
    }

    // ---------------------------------------------------------------- consistent reads

    /**
     * Returns a consistent cut of every account: balances and holds as they all were at one instant, even while
     * transfers run. Its cost grows with the number of accounts.
     *
     * @return the snapshot
     */
    public Snapshot snapshot() {
        return reads.snapshot();
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
        return reads.sum().toLong("the bank's total money");
    }

    /**
     * Returns the bank's money at one instant, exactly, however large: see {@link #total()}.
     *
     * @return the total
     */
    public BigInteger totalExact() {
        return reads.sum().exact();
    }

    /**
     * Returns an account's balance, held money and incoming money, all as of one instant.
     *
     * @param account the account
     * @return its position
     */
    public Position position(Account account) {
        return reads.position(accounts.own(account));
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
     * Returns every transaction prepared here and not yet committed or aborted, in doubt or not, by id: what a
     * transaction manager's recovery asks a resource for (see {@code dev.ledger.xa}). Read without locks, so a
     * transaction settled meanwhile may still be listed; its holds are never released without a decision.
     *
     * @return the ids, sorted
     */
    @Override
    public List<String> preparedTransactions() {
        return transactions.preparedIds();
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
        return publicJournal;
    }

    /**
     * Stores the bank's whole state as a checkpoint, so that recovery replays only what comes after it; the
     * records before it are dropped. The bank takes one on its own once the journal has grown by the builder's
     * {@link BankBuilder#checkpointEvery(long) checkpointEvery} bytes. Every account is locked while the state is
     * copied, and only then: the checkpoint is written after the locks are released. Does nothing without a
     * journal.
     *
     * @throws JournalException if the checkpoint could not be written; the journal still holds everything
     */
    public void checkpoint() {
        journal.checkpoint();
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
     * try (Batch batch = bank.batch()) {
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
        return new Batch(journal);
    }
}

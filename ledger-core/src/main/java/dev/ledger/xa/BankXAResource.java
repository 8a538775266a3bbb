package dev.ledger.xa;

import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A {@link Bank} as a resource of a JTA transaction manager, beside a database: money moved inside a global
 * transaction is held, not applied, until the transaction manager decides.
 *
 * <p>Concurrency: thread-safe. {@code branches} (concurrent) maps each unprepared branch's transaction id to its
 * {@link Branch}, whose monitor guards its state and operations; {@code associations} (concurrent) maps each thread
 * to the branch associated with it, written by {@code start}, {@code end} and {@code rollback}. Once prepared, a
 * branch lives in the bank alone, which settles it under its own locks; no lock of this class is held while the
 * bank works. {@code timeoutSeconds} is volatile.
 *
 * <pre>{@code
 * BankXAResource bankXa = BankXAResource.of(bank);        // one per bank is enough; it is thread-safe
 * tm.begin();
 * tm.getTransaction().enlistResource(bankXa);              // start(xid): this thread's branch
 * bankXa.withdraw("alice", 25_00);                         // recorded for the branch, not applied
 * insertOrder(dataSource, "alice", 25_00);                 // the database's branch
 * tm.commit();                                             // both prepare, then both commit; or neither
 * }</pre>
 *
 * <p><b>Operations.</b> {@link #deposit}, {@link #withdraw} and {@link #transfer} are recorded for the branch that
 * {@code start} associated with the calling thread, and summed per account. Nothing is held before
 * {@code prepare}: then the bank holds each account's net debit and reserves its net credit in one atomic step,
 * durably with a journal, and votes. A branch is all or nothing; insufficient funds is judged on the net amounts,
 * against the money available at prepare. The calls check their arguments at once (a positive amount, a known
 * account, two distinct accounts) and throw {@link LedgerException} as the bank's own operations do.
 *
 * <p><b>Votes.</b> {@code prepare} returns {@link #XA_OK} with the holds in place, {@link #XA_RDONLY} for a branch
 * that recorded nothing (or whose operations cancel out), or throws {@code XA_RBROLLBACK} for insufficient funds,
 * {@code XA_RBINTEGRITY} for a credit its account has no room for, {@code XA_RBTIMEOUT} for a branch past its
 * timeout; after any of these the branch is rolled back and forgotten. Misuse is {@code XAER_PROTO} (prepare before
 * end, commit before prepare, join a branch that is active); a branch id the bank does not know is
 * {@code XAER_NOTA}; a malformed one or unknown flags are {@code XAER_INVAL}; a failure of the bank (its journal,
 * say) is {@code XAER_RMERR}, and a remote bank that cannot be reached {@code XAER_RMFAIL}. {@code commit(xid, true)} prepares and commits in one call, or throws an
 * {@code XA_RB*} code and has changed nothing. Commit and rollback of a settled branch repeat their answer.
 *
 * <p><b>No heuristic outcomes.</b> The bank never decides a prepared branch on its own: it never commits or rolls
 * back a branch after prepare unless the transaction manager tells it, so no call ever throws {@code XA_HEUR*} and
 * {@link #forget} has nothing to forget. If the transaction manager never comes back, the branch stays prepared:
 * its money stays held (not spendable, not paid in), {@link Bank#prepared()} counts it,
 * {@link Bank#preparedTransactions()} and {@link #recover} list it, and once its timeout has passed
 * {@link Bank#inDoubt()} lists it too. A journaled bank keeps it across restarts. Only a commit or rollback for its
 * branch id, from the transaction manager's recovery or an operator, releases it. A branch that times out before
 * {@code prepare} holds nothing and is rolled back: its operations are refused, and {@code end} or {@code prepare}
 * report {@code XA_RBTIMEOUT}. A branch that is started and never ended, prepared or rolled back holds no money
 * either, only the memory of its recorded operations.
 *
 * <p><b>Branch ids.</b> Each branch is a transaction of the bank whose id encodes the XA branch id ({@code xa.}
 * then the format id, global id and qualifier, or a dense form for long ids), so that {@link #recover} finds the
 * prepared branches in a restarted bank; do not use ids starting {@code xa.} or {@code xa~} for other transactions
 * of a bank used through XA. The branch's transaction timeout ({@link #setTransactionTimeout}, 60 seconds by
 * default) also bounds how long the prepared branch waits before {@link Bank#inDoubt()} lists it.
 *
 * <p><b>Same resource manager.</b> {@link #isSameRM} is true only for this object: two resources over one bank keep
 * their unprepared branches apart, so a transaction manager gives each its own branch. Use one resource per bank.
 */
public final class BankXAResource implements XAResource {
    /** The transaction timeout of a branch when none was set, in seconds. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 60;

    /** The bank: a {@link Bank} in this process, or a bank in another one behind a {@link Participant}. */
    private final Participant bank;
    private final LongSupplier nanoTime;
    /** The branches started and not yet prepared or rolled back, by transaction id. Concurrent. */
    private final Map<String, Branch> branches = new ConcurrentHashMap<>();
    /** The branch each thread is associated with, between start and end. Concurrent. */
    private final Map<Thread, Branch> associations = new ConcurrentHashMap<>();
    /** The timeout of the branches started from now on. Volatile. */
    private volatile int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

    BankXAResource(Participant bank, LongSupplier nanoTime) {
        this.bank = Objects.requireNonNull(bank, "bank");
        this.nanoTime = nanoTime;
    }

    /**
     * Returns a resource over a bank. The bank's prepared XA branches, from this resource or from one before a
     * restart, are visible to it through {@link #recover}.
     *
     * @param bank the bank
     * @return the resource
     */
    public static BankXAResource of(Bank bank) {
        return new BankXAResource(bank, System::nanoTime);
    }

    /**
     * Returns a resource over a bank in another process, such as ledger-net's {@code RemoteParticipant} for a bank
     * server: the branch's operations are recorded here and sent with the prepare, and {@link #recover} asks the
     * bank for its prepared transactions ({@link Participant#preparedTransactions}). Accounts are checked when the
     * branch prepares rather than when an operation is recorded: an unknown one votes no. A lost connection is
     * {@code XAER_RMFAIL}, which tells the transaction manager to try again or recover later.
     *
     * @param bank the remote bank
     * @return the resource
     */
    public static BankXAResource of(Participant bank) {
        return new BankXAResource(bank, System::nanoTime);
    }

    /** {@return the bank this resource works on} */
    public Participant bank() {
        return bank;
    }

    // ---------------------------------------------------------------- the application's operations

    /**
     * Records a deposit for the branch associated with this thread.
     *
     * @param account the account's id
     * @param amount a positive amount in minor units
     * @throws LedgerException for a non-positive amount, an unknown account, or a net amount past a long
     * @throws IllegalStateException if no active branch of this resource is associated with this thread
     */
    public void deposit(String account, long amount) {
        checkAmount(amount);
        currentBranch().record(nanoTime.getAsLong(), known(account), amount, null, 0);
    }

    /**
     * Records a withdrawal for the branch associated with this thread; whether the money is there is decided at
     * prepare, which votes {@code XA_RBROLLBACK} if it is not.
     *
     * @param account the account's id
     * @param amount a positive amount in minor units
     * @throws LedgerException for a non-positive amount, an unknown account, or a net amount past a long
     * @throws IllegalStateException if no active branch of this resource is associated with this thread
     */
    public void withdraw(String account, long amount) {
        checkAmount(amount);
        currentBranch().record(nanoTime.getAsLong(), known(account), -amount, null, 0);
    }

    /**
     * Records a transfer for the branch associated with this thread.
     *
     * @param from the account to take from
     * @param to the account to pay into
     * @param amount a positive amount in minor units
     * @throws LedgerException for a non-positive amount, an unknown account, the same account twice, or a net
     *     amount past a long
     * @throws IllegalStateException if no active branch of this resource is associated with this thread
     */
    public void transfer(String from, String to, long amount) {
        checkAmount(amount);
        if (known(from).equals(known(to))) {
            throw new LedgerException(ErrorCode.SAME_ACCOUNT, "cannot transfer from '" + from + "' to itself");
        }
        currentBranch().record(nanoTime.getAsLong(), from, -amount, to, amount);
    }

    private static void checkAmount(long amount) {
        if (amount <= 0) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT, "amount must be positive, got " + amount);
        }
    }

    private String known(String account) {
        Objects.requireNonNull(account, "account");
        if (bank instanceof Bank local && local.find(account).isEmpty()) {
            throw new LedgerException(ErrorCode.UNKNOWN_ACCOUNT, "no account '" + account + "' in " + bank.name());
        }
        return account;
    }

    private Branch currentBranch() {
        Branch branch = associations.get(Thread.currentThread());
        if (branch == null) {
            throw new IllegalStateException("no transaction branch of " + this + " is associated with this thread:"
                    + " enlist the resource in the current transaction first");
        }
        return branch;
    }

    // ---------------------------------------------------------------- XAResource

    @Override
    public void start(Xid xid, int flags) throws XAException {
        String txId = txId(xid);
        Thread current = Thread.currentThread();
        if (associations.containsKey(current)) {
            throw xaError(XAException.XAER_PROTO, "this thread is already associated with a branch of " + this);
        }
        Branch branch;
        switch (flags) {
            case TMNOFLAGS:
                if (status(txId) != TxState.UNKNOWN) {
                    throw xaError(XAException.XAER_DUPID, "transaction branch " + txId + " was already prepared");
                }
                int timeout = timeoutSeconds;
                branch = new Branch(xid, txId, nanoTime.getAsLong() + Duration.ofSeconds(timeout).toNanos(), timeout,
                        current);
                if (branches.putIfAbsent(txId, branch) != null) {
                    throw xaError(XAException.XAER_DUPID, "transaction branch " + txId + " was already started");
                }
                break;
            case TMJOIN:
            case TMRESUME:
                branch = branches.get(txId);
                if (branch == null) {
                    throw xaError(XAException.XAER_NOTA, "no transaction branch " + txId + " to join or resume");
                }
                branch.associate(flags == TMRESUME);
                break;
            default:
                throw xaError(XAException.XAER_INVAL, "start takes TMNOFLAGS, TMJOIN or TMRESUME, got " + flags);
        }
        associations.put(current, branch);
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        if (flags != TMSUCCESS && flags != TMFAIL && flags != TMSUSPEND) {
            throw xaError(XAException.XAER_INVAL, "end takes TMSUCCESS, TMFAIL or TMSUSPEND, got " + flags);
        }
        Branch branch = unprepared(xid);
        Thread associated = branch.thread();
        try {
            branch.end(nanoTime.getAsLong(), flags == TMSUSPEND, flags == TMFAIL);
        } finally {
            if (associated != null && branch.thread() == null) {
                associations.remove(associated, branch);
            }
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        Branch branch = unprepared(xid);
        List<Leg> legs = legsOrForget(branch);
        if (legs.isEmpty()) {
            branches.remove(branch.txId, branch);
            return XA_RDONLY;
        }
        Vote vote;
        try {
            vote = bank.prepare(branch.txId, legs, Duration.ofSeconds(branch.timeoutSeconds));
        } catch (RuntimeException failed) {
            throw failure("prepare " + branch.txId, failed);
        } finally {
            branches.remove(branch.txId, branch); // the bank has it now, as prepared or aborted; or it never will
        }
        if (!vote.commit()) {
            throw xaError(rollbackCode(vote), "transaction branch " + branch.txId + " votes no: " + vote.message());
        }
        return XA_OK;
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        String txId = txId(xid);
        Branch branch = branches.get(txId);
        if (onePhase) {
            if (branch == null) {
                throw xaError(status(txId) == TxState.UNKNOWN ? XAException.XAER_NOTA : XAException.XAER_PROTO,
                        "no unprepared transaction branch " + txId + " to commit in one phase");
            }
            commitOnePhase(branch);
            return;
        }
        if (branch != null) {
            throw xaError(XAException.XAER_PROTO, "transaction branch " + txId + " was not prepared");
        }
        settle(txId, true);
    }

    private void commitOnePhase(Branch branch) throws XAException {
        List<Leg> legs = legsOrForget(branch);
        try {
            if (!legs.isEmpty()) {
                Vote vote = bank.prepare(branch.txId, legs, Duration.ofSeconds(branch.timeoutSeconds));
                if (!vote.commit()) {
                    throw xaError(rollbackCode(vote), "transaction branch " + branch.txId + " rolled back: "
                            + vote.message());
                }
                bank.commit(branch.txId);
            }
        } catch (RuntimeException failed) {
            throw failure("commit " + branch.txId, failed);
        } finally {
            branches.remove(branch.txId, branch);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        String txId = txId(xid);
        Branch branch = branches.remove(txId);
        if (branch != null) {
            Thread associated = branch.dissociate();
            if (associated != null) {
                associations.remove(associated, branch);
            }
        }
        TxState state = status(txId);
        if (state == TxState.UNKNOWN && branch == null) {
            throw xaError(XAException.XAER_NOTA, "no transaction branch " + txId + " to roll back");
        }
        if (state == TxState.UNKNOWN || state == TxState.PREPARED) {
            // An unprepared branch is aborted at the bank too, so that a prepare racing this rollback votes no.
            settle(txId, false);
        } else if (state == TxState.COMMITTED) {
            throw xaError(XAException.XAER_PROTO, "transaction branch " + txId + " was committed");
        }
    }

    /** Commits or aborts at the bank, which repeats its answer for a branch it already settled the same way. */
    private void settle(String txId, boolean commit) throws XAException {
        if (commit && status(txId) == TxState.UNKNOWN) {
            throw xaError(XAException.XAER_NOTA, "no prepared transaction branch " + txId);
        }
        try {
            if (commit) {
                bank.commit(txId);
            } else {
                bank.abort(txId);
            }
        } catch (LedgerException conflict) {
            int code = conflict.code() == ErrorCode.UNKNOWN_TRANSACTION ? XAException.XAER_NOTA
                    : conflict.code() == ErrorCode.TRANSACTION_CONFLICT ? XAException.XAER_PROTO
                    : XAException.XAER_RMERR;
            throw xaError(code, conflict.getMessage(), conflict);
        } catch (RuntimeException failed) {
            throw failure((commit ? "commit " : "roll back ") + txId, failed);
        }
    }

    /**
     * Lists the branches prepared at the bank and not yet settled, the whole list at the start of a scan.
     *
     * @param flags {@code TMSTARTRSCAN} (with or without {@code TMENDRSCAN}) for the list; {@code TMNOFLAGS} or
     *     {@code TMENDRSCAN} alone continue or end a scan, which has nothing more
     */
    @Override
    public Xid[] recover(int flags) throws XAException {
        if ((flags & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw xaError(XAException.XAER_INVAL, "recover takes TMSTARTRSCAN, TMENDRSCAN or TMNOFLAGS, got " + flags);
        }
        if ((flags & TMSTARTRSCAN) == 0) {
            return new Xid[0];
        }
        List<Xid> prepared = new ArrayList<>();
        List<String> preparedIds;
        try {
            preparedIds = bank.preparedTransactions();
        } catch (RuntimeException failed) {
            throw failure("list its prepared transactions", failed);
        }
        for (String txId : preparedIds) {
            Xid xid = XidCodec.decode(txId);
            if (xid != null) {
                prepared.add(xid);
            }
        }
        return prepared.toArray(new Xid[0]);
    }

    /**
     * There is never anything to forget: the bank takes no heuristic decision.
     *
     * @throws XAException {@code XAER_PROTO} for a prepared branch, which must be committed or rolled back;
     *     {@code XAER_NOTA} for any other
     */
    @Override
    public void forget(Xid xid) throws XAException {
        String txId = txId(xid);
        if (status(txId) == TxState.PREPARED) {
            throw xaError(XAException.XAER_PROTO, "transaction branch " + txId
                    + " is prepared, not heuristically completed: commit or roll it back");
        }
        throw xaError(XAException.XAER_NOTA, "no heuristically completed branch " + txId + ": the bank takes none");
    }

    /** {@return whether {@code other} is this very resource; see the class comment} */
    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    /** {@return the transaction timeout, in seconds, of the branches started from now on} */
    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /**
     * Sets the transaction timeout of the branches started from now on: a branch not prepared by then is rolled
     * back, and a prepared one is listed by {@link Bank#inDoubt()} once it has waited that long for the decision.
     *
     * @param seconds a positive number of seconds, or 0 for {@link #DEFAULT_TIMEOUT_SECONDS}
     * @return {@code true}
     * @throws XAException {@code XAER_INVAL} for a negative number
     */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw xaError(XAException.XAER_INVAL, "a transaction timeout cannot be negative, got " + seconds);
        }
        timeoutSeconds = seconds == 0 ? DEFAULT_TIMEOUT_SECONDS : seconds;
        return true;
    }

    @Override
    public String toString() {
        return "BankXAResource[" + bank.name() + "]";
    }

    // ---------------------------------------------------------------- branch ids, lookups and error codes

    private static String txId(Xid xid) throws XAException {
        if (xid == null) {
            throw xaError(XAException.XAER_INVAL, "no branch id");
        }
        try {
            return XidCodec.encode(xid);
        } catch (IllegalArgumentException malformed) {
            throw xaError(XAException.XAER_INVAL, malformed.getMessage(), malformed);
        }
    }

    private Branch unprepared(Xid xid) throws XAException {
        String txId = txId(xid);
        Branch branch = branches.get(txId);
        if (branch == null) {
            throw xaError(status(txId) == TxState.UNKNOWN ? XAException.XAER_NOTA : XAException.XAER_PROTO,
                    "no unprepared transaction branch " + txId);
        }
        return branch;
    }

    /** The branch's legs, or, if it can only roll back, forgets it and throws its {@code XA_RB*} code. */
    private List<Leg> legsOrForget(Branch branch) throws XAException {
        try {
            return branch.legsToPrepare(nanoTime.getAsLong());
        } catch (XAException refused) {
            if (refused.errorCode >= XAException.XA_RBBASE && refused.errorCode <= XAException.XA_RBEND) {
                branches.remove(branch.txId, branch);
                bank.abort(branch.txId); // a racing prepare of the same branch then votes no
            }
            throw refused;
        }
    }

    private static int rollbackCode(Vote vote) {
        switch (vote.reason()) {
            case INSUFFICIENT_FUNDS:
            case ALREADY_ABORTED:
                return XAException.XA_RBROLLBACK;
            case INVALID:
            case UNKNOWN_ACCOUNT:
                return XAException.XA_RBINTEGRITY;
            case TIMEOUT:
                return XAException.XA_RBTIMEOUT;
            default:
                return XAException.XA_RBOTHER;
        }
    }

    static XAException xaError(int code, String message) {
        XAException error = new XAException(message);
        error.errorCode = code;
        return error;
    }

    /**
     * A failure of the bank rather than a refusal: {@code XAER_RMFAIL} when it cannot be reached (the transaction
     * manager tries again, or recovers later), else {@code XAER_RMERR}.
     */
    private XAException failure(String what, RuntimeException failed) {
        boolean unreachable = failed instanceof UncheckedIOException;
        return xaError(unreachable ? XAException.XAER_RMFAIL : XAException.XAER_RMERR,
                bank.name() + (unreachable ? " unreachable" : " failed") + " to " + what + ": " + failed.getMessage(),
                failed);
    }

    /** The bank's state of a transaction, its failures as {@link #failure}. */
    private TxState status(String txId) throws XAException {
        try {
            return bank.status(txId);
        } catch (RuntimeException failed) {
            throw failure("report transaction " + txId, failed);
        }
    }

    private static XAException xaError(int code, String message, Throwable cause) {
        XAException error = xaError(code, message);
        error.initCause(cause);
        return error;
    }
}

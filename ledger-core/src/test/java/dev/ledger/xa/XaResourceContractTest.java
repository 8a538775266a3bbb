package dev.ledger.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.Concurrently;
import dev.ledger.ErrorCode;
import dev.ledger.Invariants;
import dev.ledger.LedgerException;
import dev.ledger.Position;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The XA contract of {@link BankXAResource}, driven directly as a transaction manager would, against every lock
 * strategy: two-phase and one-phase commit, rollback, read-only branches, votes and error codes, timeouts, recovery
 * (also across a restart of a journaled bank) and forget. After each test the bank's invariants are checked.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
@Timeout(60)
class XaResourceContractTest {
    private static final long ALICE = 100;
    private static final long BOB = 50;

    @Parameter
    LockStrategies strategy;

    /** The resource's clock: tests move it forward to time a branch out. */
    private final AtomicLong now = new AtomicLong(System.nanoTime());
    private Bank bank;
    private BankXAResource xa;
    private long expectedTotal = ALICE + BOB;

    private void bank() {
        bank = Bank.builder().name("alpha").strategy(strategy).account("alice", ALICE).account("bob", BOB).build();
        xa = new BankXAResource(bank, now::get);
    }

    @AfterEach
    void invariantsHold() {
        if (bank != null) {
            Invariants.check(bank, expectedTotal);
        }
    }

    /** Starts a branch on this thread, records a payment of {@code amount} from alice to bob, and ends it. */
    private void pay(Xid xid, long amount) throws XAException {
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.transfer("alice", "bob", amount);
        xa.end(xid, XAResource.TMSUCCESS);
    }

    private static void assertXaError(ThrowingCallable call, int code) {
        assertThatThrownBy(call).isInstanceOf(XAException.class)
                .satisfies(e -> assertThat(((XAException) e).errorCode).as("XA error code").isEqualTo(code));
    }

    private Position position(String account) {
        return bank.position(account);
    }

    @Test
    void twoPhaseCommitHoldsAtPrepareAndAppliesAtCommit() throws XAException {
        bank();
        Xid xid = TestXid.of(1);
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 30);
        xa.deposit("bob", 10);
        xa.transfer("alice", "bob", 5);
        assertThat(bank.balance("alice")).as("recorded, not applied").isEqualTo(ALICE);
        assertThat(position("alice").held()).as("nothing held before prepare").isZero();
        xa.end(xid, XAResource.TMSUCCESS);

        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        assertThat(position("alice").held()).as("the net debit is held").isEqualTo(35);
        assertThat(position("bob").incoming()).as("the net credit is reserved").isEqualTo(15);
        assertThat(bank.balance("alice")).isEqualTo(ALICE);
        assertThat(bank.withdraw("alice", ALICE - 34).outcome()).as("held money cannot be spent")
                .isEqualTo(dev.ledger.Outcome.INSUFFICIENT_FUNDS);

        xa.commit(xid, false);
        assertThat(bank.balance("alice")).isEqualTo(ALICE - 35);
        assertThat(bank.balance("bob")).isEqualTo(BOB + 15);
        expectedTotal = ALICE + BOB - 20;
        xa.commit(xid, false); // a repeated commit is answered the same
        Invariants.checkSettled(bank);
    }

    @Test
    void onePhaseCommitAppliesAtOnce() throws XAException {
        bank();
        Xid xid = TestXid.of(2);
        pay(xid, 40);
        xa.commit(xid, true);
        assertThat(bank.balance("alice")).isEqualTo(ALICE - 40);
        assertThat(bank.balance("bob")).isEqualTo(BOB + 40);
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        Invariants.checkSettled(bank);
    }

    @Test
    void onePhaseCommitOfAnInsufficientBranchRollsBack() throws XAException {
        bank();
        Xid xid = TestXid.of(3);
        pay(xid, ALICE + 1);
        assertXaError(() -> xa.commit(xid, true), XAException.XA_RBROLLBACK);
        assertThat(bank.balance("alice")).isEqualTo(ALICE);
        Invariants.checkSettled(bank);
    }

    @Test
    void rollbackAfterPrepareReleasesTheHolds() throws XAException {
        bank();
        Xid xid = TestXid.of(4);
        pay(xid, 60);
        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        xa.rollback(xid);
        xa.rollback(xid); // repeated
        assertThat(bank.balance("alice")).isEqualTo(ALICE);
        assertXaError(() -> xa.commit(xid, false), XAException.XAER_PROTO);
        Invariants.checkSettled(bank);
    }

    @Test
    void rollbackBeforePrepareDropsTheOperations() throws XAException {
        bank();
        Xid xid = TestXid.of(5);
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 10);
        xa.rollback(xid); // still associated: a timeout reaper may do this
        assertThatThrownBy(() -> xa.withdraw("alice", 10)).as("the thread has no branch any more")
                .isInstanceOf(IllegalStateException.class);
        assertXaError(() -> xa.prepare(xid), XAException.XAER_PROTO);
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        Invariants.checkSettled(bank);
    }

    @Test
    void aBranchThatDidNothingIsReadOnly() throws XAException {
        bank();
        Xid idle = TestXid.of(6);
        xa.start(idle, XAResource.TMNOFLAGS);
        xa.end(idle, XAResource.TMSUCCESS);
        assertThat(xa.prepare(idle)).isEqualTo(XAResource.XA_RDONLY);

        Xid cancelled = TestXid.of(7);
        xa.start(cancelled, XAResource.TMNOFLAGS);
        xa.transfer("alice", "bob", 10);
        xa.transfer("bob", "alice", 10);
        xa.end(cancelled, XAResource.TMSUCCESS);
        assertThat(xa.prepare(cancelled)).as("operations that cancel out").isEqualTo(XAResource.XA_RDONLY);
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        assertXaError(() -> xa.commit(idle, false), XAException.XAER_NOTA);
        Invariants.checkSettled(bank);
    }

    @Test
    void insufficientFundsVotesRollbackAndHoldsNothing() throws XAException {
        bank();
        Xid xid = TestXid.of(8);
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.withdraw("alice", ALICE);
        xa.withdraw("alice", 1); // each fits, the sum does not
        xa.end(xid, XAResource.TMSUCCESS);
        assertXaError(() -> xa.prepare(xid), XAException.XA_RBROLLBACK);
        assertThat(position("alice").held()).isZero();
        xa.rollback(xid); // a transaction manager may still roll back; it is answered
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        Invariants.checkSettled(bank);
    }

    @Test
    void anUnknownBranchIsNota() throws XAException {
        bank();
        Xid unknown = TestXid.of(9);
        assertXaError(() -> xa.prepare(unknown), XAException.XAER_NOTA);
        assertXaError(() -> xa.commit(unknown, false), XAException.XAER_NOTA);
        assertXaError(() -> xa.commit(unknown, true), XAException.XAER_NOTA);
        assertXaError(() -> xa.rollback(unknown), XAException.XAER_NOTA);
        assertXaError(() -> xa.end(unknown, XAResource.TMSUCCESS), XAException.XAER_NOTA);
        assertXaError(() -> xa.start(unknown, XAResource.TMJOIN), XAException.XAER_NOTA);
        assertXaError(() -> xa.forget(unknown), XAException.XAER_NOTA);
        assertXaError(() -> xa.start(null, XAResource.TMNOFLAGS), XAException.XAER_INVAL);
        assertXaError(() -> xa.start(new TestXid(1, new byte[65], new byte[1]), XAResource.TMNOFLAGS),
                XAException.XAER_INVAL);
        assertXaError(() -> xa.recover(XAResource.TMJOIN), XAException.XAER_INVAL);
    }

    @Test
    void misuseIsAProtocolError() throws XAException {
        bank();
        Xid xid = TestXid.of(10);
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 10);
        assertXaError(() -> xa.prepare(xid), XAException.XAER_PROTO);
        assertXaError(() -> xa.commit(xid, true), XAException.XAER_PROTO);
        assertXaError(() -> xa.start(TestXid.of(11), XAResource.TMNOFLAGS), XAException.XAER_PROTO);
        assertXaError(() -> xa.start(xid, XAResource.TMNOFLAGS), XAException.XAER_PROTO);
        xa.end(xid, XAResource.TMSUCCESS);
        assertXaError(() -> xa.start(xid, XAResource.TMNOFLAGS), XAException.XAER_DUPID);
        assertXaError(() -> xa.start(xid, XAResource.TMRESUME), XAException.XAER_PROTO);
        assertXaError(() -> xa.commit(xid, false), XAException.XAER_PROTO);
        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        assertXaError(() -> xa.prepare(xid), XAException.XAER_PROTO);
        assertXaError(() -> xa.commit(xid, true), XAException.XAER_PROTO);
        assertXaError(() -> xa.start(xid, XAResource.TMNOFLAGS), XAException.XAER_DUPID);
        assertXaError(() -> xa.forget(xid), XAException.XAER_PROTO);
        xa.commit(xid, false);
        assertXaError(() -> xa.rollback(xid), XAException.XAER_PROTO);
        expectedTotal -= 10;
        assertThatThrownBy(() -> xa.withdraw("alice", 1)).as("no branch on this thread")
                .isInstanceOf(IllegalStateException.class);
        Invariants.checkSettled(bank);
    }

    @Test
    void operationsAreCheckedWhenRecorded() throws XAException {
        bank();
        Xid xid = TestXid.of(12);
        xa.start(xid, XAResource.TMNOFLAGS);
        assertThatThrownBy(() -> xa.withdraw("alice", 0)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.INVALID_AMOUNT);
        assertThatThrownBy(() -> xa.deposit("nobody", 1)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.UNKNOWN_ACCOUNT);
        assertThatThrownBy(() -> xa.transfer("bob", "bob", 1)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.SAME_ACCOUNT);
        xa.deposit("bob", Long.MAX_VALUE);
        assertThatThrownBy(() -> xa.deposit("bob", 1)).as("a net amount past a long")
                .isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
        assertXaError(() -> xa.end(xid, XAResource.TMSUCCESS), XAException.XA_RBINTEGRITY);
        assertXaError(() -> xa.prepare(xid), XAException.XA_RBINTEGRITY);
        xa.rollback(xid);
        Invariants.checkSettled(bank);
    }

    @Test
    void aCreditPastALongVotesIntegrityRollback() throws XAException {
        bank();
        bank.deposit("bob", Long.MAX_VALUE - BOB);
        Xid xid = TestXid.of(13);
        pay(xid, 1);
        assertXaError(() -> xa.prepare(xid), XAException.XA_RBINTEGRITY);
        Invariants.checkSettled(bank);
        Invariants.check(bank, BigInteger.valueOf(ALICE).add(BigInteger.valueOf(Long.MAX_VALUE)));
        bank = null; // checked here: the total does not fit the long the other tests expect
    }

    @Test
    void suspendResumeAndJoinAddToOneBranch() throws Exception {
        bank();
        Xid xid = TestXid.of(14);
        xa.start(xid, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 1);
        xa.end(xid, XAResource.TMSUSPEND);
        assertThatThrownBy(() -> xa.withdraw("alice", 1)).isInstanceOf(IllegalStateException.class);
        xa.start(xid, XAResource.TMRESUME);
        xa.withdraw("alice", 2);
        xa.end(xid, XAResource.TMSUCCESS);
        Concurrently.run(1, Duration.ofSeconds(10), thread -> {
            try {
                xa.start(xid, XAResource.TMJOIN); // another thread joins the same branch
                xa.withdraw("alice", 4);
                xa.end(xid, XAResource.TMSUCCESS);
            } catch (XAException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        assertThat(position("alice").held()).isEqualTo(7);
        xa.commit(xid, false);
        expectedTotal -= 7;
    }

    @Test
    void aBranchPastItsTimeoutBeforePrepareRollsBack() throws XAException {
        bank();
        assertThat(xa.getTransactionTimeout()).isEqualTo(BankXAResource.DEFAULT_TIMEOUT_SECONDS);
        assertThat(xa.setTransactionTimeout(5)).isTrue();
        assertThat(xa.getTransactionTimeout()).isEqualTo(5);
        assertXaError(() -> xa.setTransactionTimeout(-1), XAException.XAER_INVAL);

        Xid lateOperation = TestXid.of(15);
        xa.start(lateOperation, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThatThrownBy(() -> xa.withdraw("alice", 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("timed out");
        assertXaError(() -> xa.end(lateOperation, XAResource.TMSUCCESS), XAException.XA_RBTIMEOUT);
        assertXaError(() -> xa.prepare(lateOperation), XAException.XA_RBTIMEOUT);
        assertXaError(() -> xa.prepare(lateOperation), XAException.XAER_PROTO); // rolled back: now aborted

        Xid latePrepare = TestXid.of(16);
        pay(latePrepare, 10);
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertXaError(() -> xa.prepare(latePrepare), XAException.XA_RBTIMEOUT);
        assertXaError(() -> xa.commit(latePrepare, false), XAException.XAER_PROTO);

        assertThat(xa.setTransactionTimeout(0)).isTrue();
        assertThat(xa.getTransactionTimeout()).as("0 restores the default")
                .isEqualTo(BankXAResource.DEFAULT_TIMEOUT_SECONDS);
        Invariants.checkSettled(bank);
    }

    @Test
    void aPreparedBranchPastItsTimeoutIsInDoubtAndStillHeld() throws Exception {
        bank();
        xa.setTransactionTimeout(1);
        Xid xid = TestXid.of(17);
        pay(xid, 30);
        assertThat(xa.prepare(xid)).isEqualTo(XAResource.XA_OK);
        String txId = XidCodec.encode(xid);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        CountDownLatch never = new CountDownLatch(1);
        while (!bank.inDoubt().contains(txId)) { // the bank's own clock: poll it, bounded; nothing to be woken by
            assertThat(System.nanoTime() - deadline).as("in doubt within 20 s").isNegative();
            assertThat(never.await(10, TimeUnit.MILLISECONDS)).isFalse();
        }
        assertThat(bank.status(txId)).as("never decided by the bank").isEqualTo(TxState.PREPARED);
        assertThat(position("alice").held()).isEqualTo(30);
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).containsExactly(XidCodec.decode(txId));
        xa.commit(xid, false);
        expectedTotal = ALICE + BOB;
        assertThat(bank.balance("alice")).isEqualTo(ALICE - 30);
        Invariants.checkSettled(bank);
    }

    @Test
    void recoverListsThePreparedBranchesOnly() throws XAException {
        bank();
        Xid prepared1 = TestXid.of(18);
        Xid prepared2 = new TestXid(0x4c454447, new byte[64], new byte[64]); // the longest: the dense form
        Xid active = TestXid.of(20);
        Xid committed = TestXid.of(21);
        pay(prepared1, 1);
        xa.prepare(prepared1);
        pay(prepared2, 2);
        xa.prepare(prepared2);
        pay(committed, 3);
        xa.prepare(committed);
        xa.commit(committed, false);
        xa.start(active, XAResource.TMNOFLAGS);
        xa.withdraw("alice", 4);
        xa.end(active, XAResource.TMSUCCESS);
        assertThat(bank.prepare("not-xa", List.of(Leg.debit("bob", 1)), Duration.ofMinutes(1)).commit()).isTrue();

        BankXAResource other = BankXAResource.of(bank);
        assertThat(other.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN))
                .containsExactlyInAnyOrder(prepared1, prepared2);
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).containsExactlyInAnyOrder(prepared1, prepared2);
        assertThat(xa.recover(XAResource.TMNOFLAGS)).as("the scan has nothing more").isEmpty();
        assertThat(xa.recover(XAResource.TMENDRSCAN)).isEmpty();
        assertThat(xa.isSameRM(xa)).isTrue();
        assertThat(xa.isSameRM(other)).isFalse();

        other.commit(prepared2, false); // any resource of the bank settles a prepared branch
        other.rollback(prepared1);
        xa.rollback(active);
        bank.abort("not-xa");
        Invariants.checkSettled(bank);
    }

    @Test
    void aJournaledBankRestartedWithPreparedBranchesStillHoldsTheirMoneyAndRecoversThem(@TempDir Path data)
            throws XAException {
        Xid toCommit = TestXid.of(22);
        Xid toRollBack = new TestXid(7, new byte[] {1, 2, 3}, new byte[60]);
        try (FileJournal journal = FileJournal.open(data, SyncMode.ALWAYS)) {
            Bank before = Bank.builder().name("alpha").strategy(strategy).journal(journal)
                    .account("alice", ALICE).account("bob", BOB).build();
            BankXAResource xaBefore = BankXAResource.of(before);
            xaBefore.start(toCommit, XAResource.TMNOFLAGS);
            xaBefore.transfer("alice", "bob", 30);
            xaBefore.end(toCommit, XAResource.TMSUCCESS);
            assertThat(xaBefore.prepare(toCommit)).isEqualTo(XAResource.XA_OK);
            xaBefore.start(toRollBack, XAResource.TMNOFLAGS);
            xaBefore.withdraw("bob", 20);
            xaBefore.end(toRollBack, XAResource.TMSUCCESS);
            assertThat(xaBefore.prepare(toRollBack)).isEqualTo(XAResource.XA_OK);
        } // the bank is gone without a decision

        try (FileJournal journal = FileJournal.open(data, SyncMode.ALWAYS)) {
            bank = Bank.builder().name("alpha").strategy(strategy).journal(journal).build();
            xa = BankXAResource.of(bank);
            assertThat(position("alice").held()).as("still held after the restart").isEqualTo(30);
            assertThat(position("bob").held()).isEqualTo(20);
            assertThat(position("bob").incoming()).isEqualTo(30);
            assertThat(xa.recover(XAResource.TMSTARTRSCAN)).containsExactlyInAnyOrder(toCommit, toRollBack);
            assertThat(bank.inDoubt()).hasSize(2);
            xa.commit(toCommit, false);
            xa.rollback(toRollBack);
            assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
            assertThat(bank.balance("alice")).isEqualTo(ALICE - 30);
            assertThat(bank.balance("bob")).isEqualTo(BOB + 30);
            Invariants.checkSettled(bank);
            Invariants.check(bank, expectedTotal);
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.ALWAYS)) {
            bank = Bank.builder().name("alpha").strategy(strategy).journal(journal).build();
            assertThat(bank.balance("alice")).as("the decisions are durable too").isEqualTo(ALICE - 30);
            assertThat(BankXAResource.of(bank).recover(XAResource.TMSTARTRSCAN)).isEmpty();
            Invariants.checkSettled(bank);
        }
    }

    @Test
    void forgetHasNothingToForget() throws XAException {
        bank();
        Xid xid = TestXid.of(23);
        pay(xid, 5);
        assertXaError(() -> xa.forget(xid), XAException.XAER_NOTA);
        xa.prepare(xid);
        assertXaError(() -> xa.forget(xid), XAException.XAER_PROTO);
        xa.commit(xid, false);
        assertXaError(() -> xa.forget(xid), XAException.XAER_NOTA);
        assertThat(bank.balance("alice")).isEqualTo(ALICE - 5);
    }

    @Test
    void concurrentBranchesOnOneResourceConserveMoney() throws XAException {
        bank = Bank.builder().name("alpha").strategy(strategy).build();
        String[] accounts = {"a", "b", "c", "d"};
        for (String account : accounts) {
            bank.open(account, 1_000);
        }
        expectedTotal = 4_000;
        xa = BankXAResource.of(bank);
        AtomicLong ids = new AtomicLong();
        Concurrently.run(4, Duration.ofSeconds(40), thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 500; i++) {
                Xid xid = TestXid.of(ids.incrementAndGet());
                String from = accounts[random.nextInt(4)];
                String to = accounts[(List.of(accounts).indexOf(from) + 1 + random.nextInt(3)) % 4];
                try {
                    xa.start(xid, XAResource.TMNOFLAGS);
                    xa.transfer(from, to, 1 + random.nextInt(400));
                    xa.end(xid, XAResource.TMSUCCESS);
                    int choice = random.nextInt(3);
                    if (choice == 0) {
                        xa.commit(xid, true);
                    } else if (xa.prepare(xid) == XAResource.XA_OK) {
                        if (choice == 1) {
                            xa.commit(xid, false);
                        } else {
                            xa.rollback(xid);
                        }
                    }
                } catch (XAException e) {
                    if (e.errorCode != XAException.XA_RBROLLBACK) {
                        throw new AssertionError("XA error " + e.errorCode, e);
                    }
                }
            }
        });
        assertThat(xa.recover(XAResource.TMSTARTRSCAN)).isEmpty();
        Invariants.checkSettled(bank);
    }
}

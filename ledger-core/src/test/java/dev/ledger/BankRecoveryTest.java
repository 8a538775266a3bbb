package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.journal.internal.Checkpoint;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.Journal;
import dev.ledger.journal.JournalException;
import dev.ledger.journal.internal.JournalRecord;
import dev.ledger.journal.internal.RecordLog;
import dev.ledger.journal.internal.RecordLogs;
import dev.ledger.journal.SyncMode;
import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A bank rebuilt from its journal has exactly the state the old one acknowledged: accounts, balances, holds and
 * prepared transactions, with or without checkpoints, and while operations race checkpoints. The journal here is a
 * list, so these tests check the bank's side of the contract; the file format has its own tests.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
class BankRecoveryTest {
    private static final Duration HOLD = Duration.ofMinutes(5);

    @Parameter
    LockStrategies strategy;

    private final RecordingJournal journal = new RecordingJournal();

    private Bank bank(Journal journal) {
        return Bank.builder().name("alpha").strategy(strategy).journal(journal).build();
    }

    /** Every account's id, balance, held and incoming money, in ordinal order. */
    private static List<String> state(Bank bank) {
        List<String> state = new ArrayList<>();
        for (Account account : bank.accounts()) {
            Position p = bank.position(account);
            state.add(account.id() + "#" + account.ordinal() + "=" + p.balance() + "/" + p.held() + "/" + p.incoming());
        }
        return state;
    }

    @Test
    void replayRebuildsEveryAcknowledgedOperationAndNoRefusedOne() {
        Bank before = bank(journal);
        Account alice = before.open("alice", 100);
        Account bob = before.open("bob", 0);
        Account carol = before.open("carol", 50);
        before.deposit(bob, 30);
        before.withdraw(alice, 10);
        before.transfer(alice, bob, 25);
        before.transfer(carol, List.of(new Debit(alice, 5), new Debit(bob, 7)));
        assertThat(before.transfer(bob, alice, 1_000)).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(before.withdraw(carol, 1_000).outcome()).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(before.transfer(carol, List.of(new Debit(alice, 1_000)))).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThatThrownBy(() -> before.transfer(alice, alice, 1)).isInstanceOf(LedgerException.class);

        assertThat(journal.records()).as("one record per applied operation").hasSize(3 + 4);
        Bank after = bank(journal);
        assertThat(state(after)).isEqualTo(state(before)).containsExactly(
                "alice#0=60/0/0", "bob#1=48/0/0", "carol#2=62/0/0");
        Invariants.check(after, 170);
        assertThat(after.deposit("alice", Long.MAX_VALUE - 60)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> after.deposit("alice", 1)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
        assertThat(after.deposit("bob", 1)).as("only the full account is refused").isEqualTo(49);
    }

    @Test
    void accountsNearTheLimitAndTheCreditsPromisedToThemSurviveRestarts() {
        Bank before = bank(journal);
        before.open("alice", Long.MAX_VALUE - 50);
        before.open("bob", 0);
        before.deposit("bob", Long.MAX_VALUE - 10);
        before.open("carol", 100);
        assertThat(before.prepare("to-bob", List.of(Leg.debit("carol", 10), Leg.credit("bob", 10)), HOLD).commit())
                .isTrue();
        assertThat(before.prepare("to-alice", List.of(Leg.debit("carol", 20), Leg.credit("alice", 20)), HOLD)
                .commit()).isTrue();
        BigInteger total = BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(1).add(BigInteger.valueOf(100 - 60));

        Bank after = bank(journal);
        assertThat(state(after)).isEqualTo(state(before)).containsExactly(
                "alice#0=" + (Long.MAX_VALUE - 50) + "/0/20", "bob#1=" + (Long.MAX_VALUE - 10) + "/0/10",
                "carol#2=100/30/0");
        Invariants.check(after, total);
        assertThatThrownBy(() -> after.deposit("bob", 1)).as("bob's room is promised to to-bob")
                .isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
        assertThat(after.deposit("alice", 30)).as("alice has 30 of room left").isEqualTo(Long.MAX_VALUE - 20);

        after.checkpoint();
        Bank restored = bank(journal);
        assertThat(state(restored)).as("from the checkpoint").isEqualTo(state(after));
        assertThatThrownBy(() -> restored.deposit("alice", 1)).isInstanceOf(LedgerException.class)
                .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
        assertThat(restored.resolveInDoubt(txId -> TxState.COMMITTED)).isEqualTo(2);
        assertThat(state(restored)).containsExactly(
                "alice#0=" + Long.MAX_VALUE + "/0/0", "bob#1=" + Long.MAX_VALUE + "/0/0", "carol#2=70/0/0");
        Invariants.check(restored, total.add(BigInteger.valueOf(30)));
        Invariants.checkSettled(restored);
        assertThat(state(bank(journal))).isEqualTo(state(restored));
    }

    @Test
    void everyOperationSyncsBeforeItReturns() {
        Bank bank = bank(journal);
        Account alice = bank.open("alice", 100);
        Account bob = bank.open("bob", 0);
        int syncs = journal.syncs();
        bank.transfer(alice, bob, 1);
        bank.deposit(alice, 1);
        bank.withdraw(bob, 1);
        bank.transfer(bob, List.of(new Debit(alice, 1)));
        bank.prepare("tx-1", List.of(Leg.debit("alice", 1)), HOLD);
        bank.commit("tx-1");
        assertThat(journal.syncs() - syncs).isEqualTo(6);
    }

    @Test
    void preparedTransactionsComeBackInDoubtWithTheirHolds() {
        Bank before = bank(journal);
        before.open("alice", 100);
        before.open("bob", 0);
        assertThat(before.prepare("tx-open", List.of(Leg.debit("alice", 30), Leg.credit("bob", 30)), HOLD).commit())
                .isTrue();
        before.prepare("tx-committed", List.of(Leg.debit("alice", 10)), HOLD);
        before.commit("tx-committed");
        before.prepare("tx-aborted", List.of(Leg.credit("bob", 5)), HOLD);
        before.abort("tx-aborted");

        Bank after = bank(journal);
        assertThat(state(after)).isEqualTo(state(before)).containsExactly("alice#0=90/30/0", "bob#1=0/0/30");
        assertThat(after.inDoubt()).as("a restored prepare is in doubt at once").containsExactly("tx-open");
        assertThat(after.status("tx-committed")).isEqualTo(TxState.COMMITTED);
        assertThat(after.status("tx-aborted")).isEqualTo(TxState.ABORTED);
        assertThat(after.withdraw("alice", 61).outcome()).as("held money stays unavailable")
                .isEqualTo(Outcome.INSUFFICIENT_FUNDS);

        assertThat(after.resolveInDoubt(txId -> TxState.COMMITTED)).isEqualTo(1);
        assertThat(state(after)).containsExactly("alice#0=60/0/0", "bob#1=30/0/0");
        Invariants.checkSettled(after);
        assertThat(state(bank(journal))).as("the commit after recovery is journaled too")
                .containsExactly("alice#0=60/0/0", "bob#1=30/0/0");
    }

    @Test
    void checkpointDropsTheRecordsItCoversAndRecoveryReplaysOnlyTheRest() {
        Bank before = bank(journal);
        Account alice = before.open("alice", 100);
        Account bob = before.open("bob", 0);
        before.transfer(alice, bob, 10);
        before.prepare("tx-open", List.of(Leg.debit("alice", 20)), HOLD);
        before.checkpoint();
        assertThat(journal.records()).isEmpty();
        before.transfer(alice, bob, 5);
        before.open("carol", 7);

        Bank after = bank(journal);
        assertThat(state(after)).isEqualTo(state(before))
                .containsExactly("alice#0=85/20/0", "bob#1=15/0/0", "carol#2=7/0/0");
        assertThat(after.inDoubt()).containsExactly("tx-open");
        after.abort("tx-open");
        assertThat(after.position("alice").held()).isZero();
    }

    @Test
    void theBankCheckpointsOnItsOwnOnceTheJournalGrows() {
        Bank bank = Bank.builder().strategy(strategy).journal(journal).checkpointEvery(10).build();
        Account alice = bank.open("alice", 1_000);
        Account bob = bank.open("bob", 0);
        for (int i = 0; i < 25; i++) {
            bank.transfer(alice, bob, 1);
        }
        assertThat(journal.checkpoints()).isEqualTo(2);
        assertThat(journal.records()).hasSizeLessThan(10);
        assertThat(state(bank(journal))).containsExactly("alice#0=975/0/0", "bob#1=25/0/0");
    }

    @Test
    void theBuilderOpensOnlyTheAccountsTheJournalLacks() {
        Bank first = Bank.builder().strategy(strategy).journal(journal).account("alice", 100).build();
        first.withdraw("alice", 40);
        Bank second = Bank.builder().strategy(strategy).journal(journal)
                .account("alice", 100).account("bob", 5).build();
        assertThat(state(second)).containsExactly("alice#0=60/0/0", "bob#1=5/0/0");
    }

    @Test
    void aRefusedAppendChangesNothing() {
        AtomicBoolean failing = new AtomicBoolean();
        Journal flaky = new ForwardingJournal(journal) {
            @Override
            public void append(JournalRecord record) {
                if (failing.get()) {
                    throw new JournalException("disk full", null);
                }
                super.append(record);
            }
        };
        Bank bank = bank(flaky);
        Account alice = bank.open("alice", 100);
        Account bob = bank.open("bob", 0);
        failing.set(true);
        assertThatThrownBy(() -> bank.transfer(alice, bob, 10)).isInstanceOf(JournalException.class);
        assertThatThrownBy(() -> bank.deposit(bob, 10)).isInstanceOf(JournalException.class);
        assertThatThrownBy(() -> bank.open("carol", 10)).isInstanceOf(JournalException.class);
        assertThatThrownBy(() -> bank.prepare("tx", List.of(Leg.debit("alice", 1), Leg.credit("bob", 1)), HOLD))
                .isInstanceOf(JournalException.class);
        failing.set(false);
        assertThat(state(bank)).containsExactly("alice#0=100/0/0", "bob#1=0/0/0");
        assertThat(bank.status("tx")).isEqualTo(TxState.UNKNOWN);
        bank.deposit(bob, Long.MAX_VALUE); // the failed prepare reserved no room on bob
        assertThat(state(bank(journal))).isEqualTo(state(bank));
    }

    @Test
    void aJournalThatNamesAnUnknownAccountIsRefused() {
        journal.append(new JournalRecord.AccountOpened(0, "alice", 10));
        journal.append(new JournalRecord.Transferred(0, 1, 5));
        assertThatThrownBy(() -> bank(journal)).isInstanceOf(JournalException.class)
                .hasMessageContaining("account 1 of 1");
    }

    @Test
    @Timeout(60)
    void operationsRacingCheckpointsRecoverToTheFinalState() {
        Bank before = bank(journal);
        int accounts = 16;
        for (int i = 0; i < accounts; i++) {
            before.open("acct-" + i, 1_000);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Concurrently.run(4, Duration.ofSeconds(50), thread -> {
            if (thread == 0) {
                int round = 0;
                do { // at least once: on a busy machine the writers may all finish before this thread starts
                    before.checkpoint();
                } while (++round < 30 && writing.get());
                return;
            }
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 3_000; i++) {
                int from = random.nextInt(accounts);
                int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                String txId = "tx-" + thread + "-" + i;
                switch (i % 3) {
                    case 0 -> before.transfer("acct-" + from, "acct-" + to, 1 + random.nextInt(20));
                    case 1 -> before.prepare(txId, List.of(Leg.debit("acct-" + from, 3), Leg.credit("acct-" + to, 3)),
                            HOLD);
                    default -> {
                        String earlier = "tx-" + thread + "-" + (i - 1);
                        if (random.nextBoolean() && before.status(earlier) == TxState.PREPARED) {
                            before.commit(earlier);
                        } else {
                            before.abort(earlier);
                        }
                    }
                }
            }
            writing.set(false);
        });
        assertThat(journal.checkpoints()).isPositive();
        Bank after = bank(journal);
        assertThat(state(after)).isEqualTo(state(before));
        Invariants.check(after, accounts * 1_000L);
        Invariants.checkSettled(after);
    }

    @Test
    @Timeout(60)
    void explicitAndAutomaticCheckpointsOnAFileJournalDoNotCross(@TempDir Path data) {
        Bank before;
        List<String> expected;
        try (FileJournal file = FileJournal.open(data, SyncMode.NONE)) {
            BankBuilder builder = Bank.builder().strategy(strategy).journal(file).checkpointEvery(2_048);
            for (int i = 0; i < 8; i++) {
                builder.account("acct-" + i, 1_000);
            }
            before = builder.build();
            Concurrently.run(3, Duration.ofSeconds(50), thread -> {
                SplittableRandom random = new SplittableRandom(thread);
                for (int i = 0; i < 2_000; i++) {
                    if (thread == 0) {
                        if (i % 20 == 0) {
                            before.checkpoint();
                        }
                        continue;
                    }
                    int from = random.nextInt(8);
                    before.transfer("acct-" + from, "acct-" + (from + 1 + random.nextInt(7)) % 8, 1);
                }
            });
            expected = state(before);
        }
        try (FileJournal file = FileJournal.open(data, SyncMode.NONE)) {
            assertThat(state(bank(file))).isEqualTo(expected);
        }
    }

    /** Delegates every call, for tests that change one. */
    private static class ForwardingJournal implements Journal, RecordLog {
        private final Journal journal;
        private final RecordLog delegate;

        ForwardingJournal(Journal journal) {
            this.journal = journal;
            this.delegate = RecordLogs.of(journal);
        }

        @Override
        public void append(JournalRecord record) {
            delegate.append(record);
        }

        @Override
        public void sync() {
            delegate.sync();
        }

        @Override
        public void recover(Consumer<Checkpoint> checkpoint, Consumer<JournalRecord> records) {
            delegate.recover(checkpoint, records);
        }

        @Override
        public long beginCheckpoint() {
            return delegate.beginCheckpoint();
        }

        @Override
        public void completeCheckpoint(long token, Checkpoint state) {
            delegate.completeCheckpoint(token, state);
        }

        @Override
        public long bytesSinceCheckpoint() {
            return delegate.bytesSinceCheckpoint();
        }

        @Override
        public void close() {
            journal.close();
        }
    }
}

package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every lock strategy keeps, run against each of them: money is conserved, no balance goes negative,
 * opposing transfers finish, snapshots are consistent cuts, multi-leg transfers are atomic, double spends are
 * impossible and invalid calls change nothing. After each test the bank's invariants are checked.
 *
 * <p>Every concurrent test is bounded in operations and in time.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
class LockStrategyContractTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final int THREADS = 8;
    private static final Duration HOLD = Duration.ofMinutes(5);

    @Parameter
    LockStrategies strategy;

    private Bank bank;
    private long expectedTotal;
    /** The expected total when it may not fit a long; if set, it is checked instead of {@code expectedTotal}. */
    private BigInteger expectedExact;

    private Bank bank(int accounts, long initial) {
        bank = Bank.builder().strategy(strategy).build();
        for (int i = 0; i < accounts; i++) {
            bank.open("acct-" + i, initial);
        }
        expectedTotal = accounts * initial;
        return bank;
    }

    @AfterEach
    void invariantsHold() {
        if (bank != null) {
            Invariants.check(bank, expectedExact != null ? expectedExact : BigInteger.valueOf(expectedTotal));
        }
    }

    @Test
    @Timeout(60)
    void moneyIsConservedAmongFewAccounts() {
        randomTransfers(bank(4, 1_000), 20_000);
    }

    @Test
    @Timeout(60)
    void moneyIsConservedAmongManyAccounts() {
        randomTransfers(bank(1_000, 1_000), 20_000);
    }

    private void randomTransfers(Bank bank, int perThread) {
        List<Account> accounts = bank.accounts();
        LongAdder refused = new LongAdder();
        Concurrently.run(THREADS, LIMIT, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < perThread; i++) {
                Account from = accounts.get(random.nextInt(accounts.size()));
                Account to = accounts.get(random.nextInt(accounts.size()));
                if (from != to && bank.transfer(from, to, 1 + random.nextInt(400)) != Outcome.OK) {
                    refused.increment();
                }
            }
        });
        // Transfers of up to 400 out of balances averaging 1000 must sometimes be refused: the check is exercised.
        assertThat(refused.sum()).as("refused transfers").isPositive();
    }

    @Test
    @Timeout(60)
    void opposingTransfersFinish() {
        Bank bank = bank(2, 1_000_000);
        Account a = bank.account("acct-0");
        Account b = bank.account("acct-1");
        Concurrently.run(THREADS, LIMIT, thread -> {
            Account from = thread % 2 == 0 ? a : b;
            Account to = thread % 2 == 0 ? b : a;
            for (int i = 0; i < 50_000; i++) {
                bank.transfer(from, to, 1);
            }
        });
    }

    @Test
    @Timeout(60)
    void opposingMultiLegTransfersFinish() {
        Bank bank = bank(3, 1_000_000);
        Account a = bank.account("acct-0");
        Account b = bank.account("acct-1");
        Account c = bank.account("acct-2");
        Concurrently.run(THREADS, LIMIT, thread -> {
            for (int i = 0; i < 10_000; i++) {
                switch (thread % 3) {
                    case 0 -> bank.transfer(c, List.of(Debit.of(a, 2), Debit.of(b, 1)));
                    case 1 -> bank.transfer(a, List.of(Debit.of(c, 2), Debit.of(b, 1)));
                    default -> bank.transfer(b, List.of(Debit.of(c, 1), Debit.of(a, 2)));
                }
            }
        });
    }

    @Test
    @Timeout(60)
    void everySnapshotSumsToTheTotalWhileTransfersRun() {
        Bank bank = bank(16, 1_000);
        List<Account> accounts = bank.accounts();
        int writers = THREADS - 2;
        AtomicInteger writersLeft = new AtomicInteger(writers);
        AtomicLong snapshots = new AtomicLong();
        long total = expectedTotal;
        Concurrently.run(THREADS, LIMIT, thread -> {
            if (thread < writers) {
                SplittableRandom random = new SplittableRandom(thread);
                for (int i = 0; i < 30_000; i++) {
                    int from = random.nextInt(accounts.size());
                    int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                    bank.transfer(accounts.get(from), accounts.get(to), 1 + random.nextInt(300));
                }
                writersLeft.decrementAndGet();
                return;
            }
            // Readers: at least 50 reads each, and on until the writers are done.
            for (int i = 0; i < 50 || writersLeft.get() > 0; i++) {
                Snapshot snapshot = thread % 2 == 0 ? bank.snapshot() : null;
                if (snapshot != null) {
                    assertThat(snapshot.total()).as("snapshot total").isEqualTo(total);
                    for (int k = 0; k < snapshot.size(); k++) {
                        assertThat(snapshot.balance(k)).as("balance in a snapshot").isNotNegative();
                    }
                } else {
                    assertThat(bank.total()).as("total()").isEqualTo(total);
                }
                snapshots.incrementAndGet();
            }
        });
        assertThat(snapshots.get()).isGreaterThanOrEqualTo(100);
    }

    @Test
    @Timeout(60)
    void snapshotsStayConsistentWhileAccountsOpen() {
        Bank bank = bank(8, 1_000);
        AtomicBoolean opening = new AtomicBoolean(true);
        long total = expectedTotal;
        Concurrently.run(3, LIMIT, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            if (thread == 0) {
                // Open empty accounts and pay into each at once: money moves from old accounts into new ones.
                for (int i = 0; i < 2_000; i++) {
                    Account fresh = bank.open("new-" + i, 0);
                    bank.transfer(bank.account("acct-" + random.nextInt(8)), fresh, 1);
                }
                opening.set(false);
            } else if (thread == 1) {
                while (opening.get()) {
                    assertThat(bank.snapshot().total()).isEqualTo(total);
                }
            } else {
                while (opening.get()) {
                    List<Account> all = bank.accounts();
                    Account from = all.get(random.nextInt(all.size()));
                    Account to = all.get(random.nextInt(all.size()));
                    if (from != to) {
                        bank.transfer(from, to, 1);
                    }
                }
            }
        });
        assertThat(bank.size()).isEqualTo(2_008);
    }

    @Test
    void snapshotCoversManyAccounts() {
        Bank bank = bank(5_000, 7);
        Snapshot snapshot = bank.snapshot();
        assertThat(snapshot.size()).isEqualTo(5_000);
        assertThat(snapshot.id(4_999)).isEqualTo("acct-4999");
        assertThat(snapshot.balances()).hasSize(5_000).containsEntry("acct-0", 7L);
    }

    @Test
    void multiLegTransferWithOneUnderfundedLegChangesNothing() {
        Bank bank = bank(4, 100);
        Map<String, Long> before = bank.snapshot().balances();
        Outcome outcome = bank.transfer(bank.account("acct-3"), List.of(
                Debit.of(bank.account("acct-0"), 50),
                Debit.of(bank.account("acct-1"), 101),
                Debit.of(bank.account("acct-2"), 10)));
        assertThat(outcome).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(bank.snapshot().balances()).isEqualTo(before);
    }

    @Test
    void multiLegTransferMovesEveryLeg() {
        Bank bank = bank(4, 100);
        Outcome outcome = bank.transfer(bank.account("acct-0"), List.of(
                Debit.of(bank.account("acct-3"), 100),
                Debit.of(bank.account("acct-1"), 1),
                Debit.of(bank.account("acct-2"), 40)));
        assertThat(outcome).isEqualTo(Outcome.OK);
        assertThat(bank.snapshot().balances())
                .containsEntry("acct-0", 241L).containsEntry("acct-1", 99L)
                .containsEntry("acct-2", 60L).containsEntry("acct-3", 0L);
    }

    @Test
    @Timeout(60)
    void concurrentMultiLegTransfersOverOverlappingAccountsConserveMoney() {
        Bank bank = bank(6, 10_000);
        List<Account> accounts = bank.accounts();
        Concurrently.run(THREADS, LIMIT, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 10_000; i++) {
                int to = random.nextInt(6);
                List<Debit> legs = new ArrayList<>();
                for (int k = 1; k <= 1 + random.nextInt(4); k++) {
                    legs.add(Debit.of(accounts.get((to + k) % 6), 1 + random.nextInt(500)));
                }
                bank.transfer(accounts.get(to), legs);
            }
        });
    }

    @Test
    @Timeout(60)
    void ofTwoWithdrawalsThatOnlyOneBalanceCoversExactlyOneSucceeds() {
        Bank bank = bank(1, 0);
        Account account = bank.account("acct-0");
        doubleSpendRounds(() -> bank.deposit(account, 100), () -> bank.withdraw(account, 100).outcome());
        expectedTotal = 0; // every round deposits 100 and exactly one withdrawal takes it out again
    }

    @Test
    @Timeout(60)
    void ofTwoTransfersThatOnlyOneBalanceCoversExactlyOneSucceeds() {
        Bank bank = bank(3, 0);
        Account source = bank.account("acct-0");
        Account[] sinks = {bank.account("acct-1"), bank.account("acct-2")};
        AtomicInteger turn = new AtomicInteger();
        doubleSpendRounds(() -> bank.deposit(source, 100),
                () -> bank.transfer(source, sinks[turn.getAndIncrement() & 1], 100));
        expectedTotal = bank.snapshot().total();
        assertThat(expectedTotal).isEqualTo(100L * 2_000);
        assertThat(bank.balance(source)).isZero();
    }

    /** Rounds of: fund 100, then two threads race to spend it; exactly one may win each round. */
    private void doubleSpendRounds(Runnable fund, Supplier<Outcome> spend) {
        int rounds = 2_000;
        Outcome[][] outcomes = new Outcome[rounds][2];
        CyclicBarrier barrier = new CyclicBarrier(2, null);
        fund.run();
        Concurrently.run(2, LIMIT, thread -> {
            try {
                for (int round = 0; round < rounds; round++) {
                    barrier.await();
                    outcomes[round][thread] = spend.get();
                    barrier.await();
                    if (thread == 0 && round + 1 < rounds) {
                        fund.run(); // both spends of this round are done; fund the next one
                    }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        for (int round = 0; round < rounds; round++) {
            assertThat(outcomes[round]).as("round %d", round)
                    .containsExactlyInAnyOrder(Outcome.OK, Outcome.INSUFFICIENT_FUNDS);
        }
    }

    @Test
    void depositsAndWithdrawalsRacingTransfersKeepTheBooks() {
        Bank bank = bank(8, 1_000);
        List<Account> accounts = bank.accounts();
        LongAdder net = new LongAdder();
        Concurrently.run(THREADS, LIMIT, thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 10_000; i++) {
                Account a = accounts.get(random.nextInt(8));
                long amount = 1 + random.nextInt(200);
                switch (random.nextInt(3)) {
                    case 0 -> {
                        bank.deposit(a, amount);
                        net.add(amount);
                    }
                    case 1 -> {
                        if (bank.withdraw(a, amount).outcome() == Outcome.OK) {
                            net.add(-amount);
                        }
                    }
                    default -> {
                        Account b = accounts.get(random.nextInt(8));
                        if (a != b) {
                            bank.transfer(a, b, amount);
                        }
                    }
                }
            }
        });
        expectedTotal += net.sum();
    }

    @Test
    void everyValidationErrorLeavesEveryBalanceUnchanged() {
        Bank bank = bank(3, 100);
        Account a = bank.account("acct-0");
        Account b = bank.account("acct-1");
        Account foreign = Bank.builder().strategy(strategy).account("acct-0", 5).build().account("acct-0");
        Map<String, Long> before = bank.snapshot().balances();

        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.transfer(a, b, 0));
        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.transfer(a, b, -5));
        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.deposit(a, 0));
        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.withdraw(a, -1));
        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.open("neg", -1));
        expectError(ErrorCode.SAME_ACCOUNT, () -> bank.transfer(a, a, 10));
        expectError(ErrorCode.UNKNOWN_ACCOUNT, () -> bank.transfer("acct-0", "nobody", 10));
        expectError(ErrorCode.UNKNOWN_ACCOUNT, () -> bank.balance("nobody"));
        expectError(ErrorCode.FOREIGN_ACCOUNT, () -> bank.transfer(a, foreign, 10));
        expectError(ErrorCode.FOREIGN_ACCOUNT, () -> bank.deposit(foreign, 10));
        expectError(ErrorCode.DUPLICATE_ACCOUNT, () -> bank.open("acct-1", 10));
        expectError(ErrorCode.INVALID_ID, () -> bank.open("has space", 10));
        expectError(ErrorCode.INVALID_ID, () -> bank.open("", 10));
        expectError(ErrorCode.INVALID_ID, () -> bank.open("x".repeat(65), 10));
        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(a, Long.MAX_VALUE));
        expectError(ErrorCode.INVALID_REQUEST, () -> bank.transfer(b, List.of()));
        expectError(ErrorCode.SAME_ACCOUNT, () -> bank.transfer(b, List.of(Debit.of(a, 1), Debit.of(a, 1))));
        expectError(ErrorCode.SAME_ACCOUNT, () -> bank.transfer(b, List.of(Debit.of(a, 1), Debit.of(b, 1))));
        expectError(ErrorCode.INVALID_AMOUNT, () -> bank.transfer(b, List.of(Debit.of(a, 1), Debit.of(
                bank.account("acct-2"), 0))));
        expectError(ErrorCode.OVERFLOW, () -> bank.transfer(b, List.of(Debit.of(a, Long.MAX_VALUE), Debit.of(
                bank.account("acct-2"), 1))));

        assertThat(bank.snapshot().balances()).isEqualTo(before);
        assertThat(bank.size()).isEqualTo(3);
    }

    @Test
    void refusedOperationsChangeNothing() {
        Bank bank = bank(2, 100);
        Account a = bank.account("acct-0");
        Account b = bank.account("acct-1");
        assertThat(bank.transfer(a, b, 101)).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(bank.withdraw(a, 101)).isEqualTo(new Receipt(Outcome.INSUFFICIENT_FUNDS, 100));
        assertThat(bank.balance(a)).isEqualTo(100);
        assertThat(bank.withdraw(a, 100)).isEqualTo(new Receipt(Outcome.OK, 0));
        assertThat(bank.deposit(a, 100)).isEqualTo(100);
    }

    @Test
    void moneyNeverWrapsAround() {
        Bank bank = bank(0, 0);
        Account a = bank.open("a", Long.MAX_VALUE - 10);
        Account b = bank.open("b", 10);
        expectedTotal = Long.MAX_VALUE;
        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(a, 11));
        assertThat(bank.transfer(b, a, 10)).isEqualTo(Outcome.OK);
        assertThat(bank.balance(a)).isEqualTo(Long.MAX_VALUE);
        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(a, 1));
        assertThat(bank.deposit(b, 5)).as("only the full account is refused").isEqualTo(5);
        expectError(ErrorCode.OVERFLOW, () -> bank.transfer(b, a, 1));
        assertThat(bank.withdraw(a, 5).outcome()).isEqualTo(Outcome.OK);
        assertThat(bank.transfer(b, a, 5)).as("the withdrawal made room again").isEqualTo(Outcome.OK);
    }

    /**
     * One customer filling their own account to {@code Long.MAX_VALUE} must not stop anyone else: the bank's total
     * is a sum it reports, not a budget. A guard on the total refused every deposit and transfer of the bank here.
     */
    @Test
    void aFullAccountFreezesNoOtherAccount() {
        Bank bank = bank(0, 0);
        Account a = bank.open("a", 5_000);
        Account b = bank.open("b", 5_000);
        Account c = bank.open("c", 529);
        Account full = bank.open("full", 0);
        bank.deposit(full, 9_223_372_036_854_000_000L);
        assertThat(bank.deposit(full, 765_278)).isEqualTo(Long.MAX_VALUE - 10_529);

        assertThat(bank.deposit(a, 1_000)).isEqualTo(6_000);
        assertThat(bank.transfer(a, b, 2_000)).isEqualTo(Outcome.OK);
        assertThat(bank.transfer(b, List.of(Debit.of(a, 1_000), Debit.of(c, 29)))).isEqualTo(Outcome.OK);
        assertThat(bank.prepare("into-c", List.of(Leg.debit("b", 500), Leg.credit("c", 500)), HOLD).commit())
                .isTrue();
        assertThat(bank.commit("into-c")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.deposit(full, 10_529)).as("filled exactly").isEqualTo(Long.MAX_VALUE);

        Map<String, Long> before = bank.snapshot().balances();
        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(full, 1), "'full'");
        expectError(ErrorCode.OVERFLOW, () -> bank.transfer(a, full, 1), "'full'");
        expectError(ErrorCode.OVERFLOW, () -> bank.transfer(full, List.of(Debit.of(a, 1), Debit.of(b, 1))), "'full'");
        Vote vote = bank.prepare("into-full", List.of(Leg.debit("a", 1), Leg.credit("full", 1)), HOLD);
        assertThat(vote.reason()).isEqualTo(AbortReason.INVALID);
        assertThat(vote.message()).contains("'full'");
        assertThat(bank.snapshot().balances()).as("refused calls change nothing").isEqualTo(before);
        Invariants.checkSettled(bank);

        assertThat(bank.deposit(b, 7)).isEqualTo(before.get("b") + 7);
        assertThat(bank.transfer(b, c, 7)).isEqualTo(Outcome.OK);
        assertThat(bank.transfer(a, List.of(Debit.of(b, 1), Debit.of(c, 1)))).isEqualTo(Outcome.OK);
        assertThat(bank.transfer(full, a, 10)).as("the full account can pay").isEqualTo(Outcome.OK);
        assertThat(bank.transfer(c, full, 10)).as("and then be paid again").isEqualTo(Outcome.OK);
        expectedExact = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(5_000 + 5_000 + 529 + 1_000 + 7));
    }

    @Test
    void aPreparedCreditReservesRoomOnItsAccount() {
        Bank bank = bank(2, 1_000);
        Account a = bank.account("acct-0");
        Account b = bank.account("acct-1");
        bank.deposit(b, Long.MAX_VALUE - 1_100); // 100 of room
        assertThat(bank.prepare("tx", List.of(Leg.debit("acct-0", 60), Leg.credit("acct-1", 60)), HOLD).commit())
                .isTrue();
        assertThat(bank.position(b)).isEqualTo(new Position(Long.MAX_VALUE - 100, 0, 60));

        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(b, 41), "'acct-1'");
        expectError(ErrorCode.OVERFLOW, () -> bank.transfer(a, b, 41), "'acct-1'");
        assertThat(bank.prepare("more", List.of(Leg.credit("acct-1", 41)), HOLD).reason())
                .isEqualTo(AbortReason.INVALID);
        assertThat(bank.position(b)).as("refused calls change nothing")
                .isEqualTo(new Position(Long.MAX_VALUE - 100, 0, 60));

        assertThat(bank.deposit(b, 40)).isEqualTo(Long.MAX_VALUE - 60);
        assertThat(bank.commit("tx")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.commit("tx")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.position(b)).isEqualTo(new Position(Long.MAX_VALUE, 0, 0));
        assertThat(bank.balance(a)).isEqualTo(940);

        assertThat(bank.withdraw(b, 10).outcome()).isEqualTo(Outcome.OK);
        assertThat(bank.prepare("aborted", List.of(Leg.credit("acct-1", 10)), HOLD).commit()).isTrue();
        expectError(ErrorCode.OVERFLOW, () -> bank.deposit(b, 1), "'acct-1'");
        assertThat(bank.abort("aborted")).isEqualTo(TxState.ABORTED);
        assertThat(bank.abort("aborted")).isEqualTo(TxState.ABORTED);
        assertThat(bank.deposit(b, 10)).as("the abort released the room").isEqualTo(Long.MAX_VALUE);
        expectedExact = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(940));
    }

    @Test
    void totalsBeyondALongAreExact() {
        Bank bank = bank(0, 0);
        Account x = bank.open("x", Long.MAX_VALUE);
        Account y = bank.open("y", Long.MAX_VALUE);
        bank.open("z", 5);
        BigInteger exact = BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(1).add(BigInteger.valueOf(5));
        assertThat(bank.totalExact()).isEqualTo(exact);
        expectError(ErrorCode.OVERFLOW, bank::total, "totalExact()");
        Snapshot snapshot = bank.snapshot();
        assertThat(snapshot.totalExact()).isEqualTo(exact);
        expectError(ErrorCode.OVERFLOW, snapshot::total, "totalExact()");
        assertThat(snapshot.balances()).containsEntry("x", Long.MAX_VALUE).containsEntry("z", 5L);
        assertThat(snapshot).hasToString("Snapshot[accounts=3, total=" + exact + "]");

        assertThat(bank.withdraw(x, Long.MAX_VALUE).outcome()).isEqualTo(Outcome.OK);
        assertThat(bank.withdraw(y, 5).outcome()).isEqualTo(Outcome.OK);
        assertThat(bank.total()).as("fits a long again").isEqualTo(Long.MAX_VALUE);
        assertThat(bank.snapshot().total()).isEqualTo(Long.MAX_VALUE);
        expectedTotal = Long.MAX_VALUE;
    }

    @Test
    @Timeout(60)
    void totalsBeyondALongStayExactWhileTransfersRun() {
        long initial = Long.MAX_VALUE / 2;
        Bank bank = bank(8, initial);
        BigInteger exact = BigInteger.valueOf(initial).multiply(BigInteger.valueOf(8));
        List<Account> accounts = bank.accounts();
        int writers = THREADS - 2;
        AtomicInteger writersLeft = new AtomicInteger(writers);
        Concurrently.run(THREADS, LIMIT, thread -> {
            if (thread < writers) {
                SplittableRandom random = new SplittableRandom(thread);
                for (int i = 0; i < 20_000; i++) {
                    int from = random.nextInt(accounts.size());
                    int to = (from + 1 + random.nextInt(accounts.size() - 1)) % accounts.size();
                    bank.transfer(accounts.get(from), accounts.get(to), 1 + random.nextInt(1_000));
                }
                writersLeft.decrementAndGet();
                return;
            }
            for (int i = 0; i < 50 || writersLeft.get() > 0; i++) {
                if (thread % 2 == 0) {
                    assertThat(bank.snapshot().totalExact()).as("snapshot total").isEqualTo(exact);
                } else {
                    assertThat(bank.totalExact()).as("totalExact()").isEqualTo(exact);
                }
            }
        });
        expectedExact = exact;
    }

    private static void expectError(ErrorCode code, ThrowingCallable call) {
        expectError(code, call, "");
    }

    private static void expectError(ErrorCode code, ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(LedgerException.class)
                .satisfies(e -> assertThat(((LedgerException) e).code()).isEqualTo(code))
                .hasMessageContaining(message)
                .hasMessageNotContaining("null");
    }
}

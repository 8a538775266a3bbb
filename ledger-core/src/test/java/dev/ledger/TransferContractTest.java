package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.lock.LockStrategies;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transfers with ids and batches of them, under every lock strategy: an id is applied at most once, a batch answers
 * each transfer on its own, concurrent repeats never move money twice, and snapshots stay consistent while batches
 * run. After each test the bank's invariants are checked.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
class TransferContractTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Parameter
    LockStrategies strategy;

    private Bank bank;
    private long expectedTotal;
    /** The expected total when it may not fit a long; if set, it is checked instead of {@code expectedTotal}. */
    private BigInteger expectedExact;

    private Bank bank(int accounts, long initial) {
        return bank(Bank.builder(), accounts, initial);
    }

    private Bank bank(BankBuilder builder, int accounts, long initial) {
        bank = builder.strategy(strategy).build();
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
    void aTransferSentAgainUnderItsIdIsNotAppliedAgain() {
        bank(2, 100);
        Transfer transfer = Transfer.of("t-1", "acct-0", "acct-1", 30);
        assertThat(bank.transfer(transfer)).isEqualTo(TransferStatus.OK);
        assertThat(bank.transfer(transfer)).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.transfer(transfer).isApplied()).isTrue();
        assertThat(bank.balance("acct-0")).isEqualTo(70);
        assertThat(bank.balance("acct-1")).isEqualTo(130);
    }

    @Test
    void anIdReusedForAnotherTransferIsAConflictAndChangesNothing() {
        bank(3, 100);
        bank.transfer(Transfer.of("t-1", "acct-0", "acct-1", 30));
        assertThat(bank.transfer(Transfer.of("t-1", "acct-0", "acct-1", 31))).isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(bank.transfer(Transfer.of("t-1", "acct-0", "acct-2", 30))).isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(bank.transfer(Transfer.of("t-1", "acct-1", "acct-0", 30))).isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(70L, 130L, 100L);
    }

    @Test
    void aRefusedTransferLeavesItsIdFreeForARetry() {
        bank(2, 10);
        Transfer transfer = Transfer.of("t-1", "acct-0", "acct-1", 30);
        assertThat(bank.transfer(transfer)).isEqualTo(TransferStatus.INSUFFICIENT_FUNDS);
        bank.deposit("acct-0", 20);
        expectedTotal += 20;
        assertThat(bank.transfer(transfer)).isEqualTo(TransferStatus.OK);
        assertThat(bank.balance("acct-0")).isZero();
    }

    @Test
    void aBatchAnswersEachTransferOnItsOwn() {
        bank(3, 100);
        bank.open("full", Long.MAX_VALUE - 10);
        expectedExact = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.valueOf(290)); // past a long
        List<TransferStatus> statuses = bank.transfers(List.of(
                Transfer.of("a", "acct-0", "acct-1", 10),
                Transfer.of("b", "acct-0", "acct-1", 1_000),
                Transfer.of("c", "acct-0", "nobody", 10),
                Transfer.of("d", "acct-0", "acct-0", 10),
                Transfer.of("e", "acct-0", "acct-1", 0),
                Transfer.of("not an id", "acct-0", "acct-1", 10),
                Transfer.of("a", "acct-0", "acct-1", 10),
                Transfer.of("a", "acct-0", "acct-2", 10),
                Transfer.of("f", "acct-2", "full", 11),
                new Transfer(null, "acct-2", "acct-1", 5),
                new Transfer(null, "acct-2", "acct-1", 5)));
        assertThat(statuses).containsExactly(TransferStatus.OK, TransferStatus.INSUFFICIENT_FUNDS,
                TransferStatus.UNKNOWN_ACCOUNT, TransferStatus.SAME_ACCOUNT, TransferStatus.INVALID_AMOUNT,
                TransferStatus.INVALID_ID, TransferStatus.REPEATED, TransferStatus.ID_CONFLICT,
                TransferStatus.OVERFLOW, TransferStatus.OK, TransferStatus.OK);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(90L, 120L, 90L);
    }

    @Test
    void aBatchBeyondTheLimitIsRefusedWhole() {
        bank(2, 100_000);
        List<Transfer> batch = new ArrayList<>();
        for (int i = 0; i <= 8_189; i++) {
            batch.add(Transfer.of("t-" + i, "acct-0", "acct-1", 1));
        }
        assertThatThrownBy(() -> bank.transfers(batch)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("at most 8189");
        assertThat(bank.balance("acct-0")).isEqualTo(100_000);
        assertThat(bank.transfers(batch.subList(0, 8_189))).containsOnly(TransferStatus.OK);
        assertThat(bank.balance("acct-1")).isEqualTo(100_000 + 8_189);
    }

    @Test
    @Timeout(60)
    void transfersSentByManyThreadsAtOnceAreAppliedOnceEach() {
        int accounts = 8;
        bank(accounts, 1_000_000);
        int transfers = 2_000;
        List<Transfer> all = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < transfers; i++) {
            int from = random.nextInt(accounts);
            int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
            all.add(Transfer.of("t-" + i, "acct-" + from, "acct-" + to, 1 + random.nextInt(100)));
        }
        Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
        AtomicInteger notApplied = new AtomicInteger();
        Concurrently.run(4, LIMIT, thread -> {
            List<Transfer> mine = new ArrayList<>(all);
            Collections.shuffle(mine, new java.util.Random(thread));
            for (int start = 0; start < mine.size(); start += 100) {
                List<Transfer> batch = mine.subList(start, Math.min(start + 100, mine.size()));
                List<TransferStatus> statuses = bank.transfers(batch);
                for (int i = 0; i < batch.size(); i++) {
                    if (statuses.get(i) == TransferStatus.OK) {
                        applied.computeIfAbsent(batch.get(i).id(), id -> new AtomicInteger()).incrementAndGet();
                    } else if (statuses.get(i) != TransferStatus.REPEATED) {
                        notApplied.incrementAndGet();
                    }
                }
            }
        });
        assertThat(notApplied).hasValue(0);
        assertThat(applied).hasSize(transfers);
        assertThat(applied.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        long[] expected = new long[accounts];
        java.util.Arrays.fill(expected, 1_000_000);
        for (Transfer transfer : all) {
            expected[Integer.parseInt(transfer.from().substring(5))] -= transfer.amount();
            expected[Integer.parseInt(transfer.to().substring(5))] += transfer.amount();
        }
        for (int i = 0; i < accounts; i++) {
            assertThat(bank.balance("acct-" + i)).as("acct-" + i).isEqualTo(expected[i]);
        }
    }

    @Test
    @Timeout(60)
    void snapshotsTakenWhileBatchesRunAreConsistent() {
        int accounts = 16;
        bank(accounts, 1_000);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger torn = new AtomicInteger();
        Concurrently.run(3, LIMIT, thread -> {
            if (thread == 0) {
                while (running.get()) {
                    if (bank.snapshot().total() != expectedTotal) {
                        torn.incrementAndGet();
                    }
                }
                return;
            }
            SplittableRandom random = new SplittableRandom(thread);
            for (int round = 0; round < 200; round++) {
                List<Transfer> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    int from = random.nextInt(accounts);
                    int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                    String id = random.nextBoolean() ? null : thread + "-" + round + "-" + i;
                    batch.add(new Transfer(id, "acct-" + from, "acct-" + to, 1 + random.nextInt(50)));
                }
                bank.transfers(batch);
            }
            running.set(false);
        });
        assertThat(torn).hasValue(0);
    }

    @Test
    void theOldestIdsAreForgottenBeyondTheWindow() {
        bank(Bank.builder().rememberTransferIds(2), 2, 100);
        bank.transfer(Transfer.of("t-1", "acct-0", "acct-1", 1));
        bank.transfer(Transfer.of("t-2", "acct-0", "acct-1", 1));
        bank.transfer(Transfer.of("t-3", "acct-0", "acct-1", 1));
        assertThat(bank.transfer(Transfer.of("t-3", "acct-0", "acct-1", 1))).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.transfer(Transfer.of("t-2", "acct-0", "acct-1", 1))).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.transfer(Transfer.of("t-1", "acct-0", "acct-1", 1)))
                .as("forgotten, so applied again").isEqualTo(TransferStatus.OK);
        assertThat(bank.balance("acct-1")).isEqualTo(104);
    }

    @Test
    void depositsAndWithdrawalsWithAnIdAreAppliedOnce() {
        bank(2, 100);
        assertThat(bank.depositOnce("d-1", "acct-0", 50)).isEqualTo(TransferStatus.OK);
        assertThat(bank.depositOnce("d-1", "acct-0", 50)).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.withdrawOnce("w-1", "acct-1", 500)).isEqualTo(TransferStatus.INSUFFICIENT_FUNDS);
        assertThat(bank.withdrawOnce("w-1", "acct-1", 30)).as("a refused id is free").isEqualTo(TransferStatus.OK);
        assertThat(bank.withdrawOnce("w-1", "acct-1", 30)).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.withdrawOnce("d-1", "acct-0", 50)).as("the id of a deposit")
                .isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(bank.depositOnce("d-2", "nobody", 5)).isEqualTo(TransferStatus.UNKNOWN_ACCOUNT);
        assertThat(bank.depositOnce("d-2", "acct-0", 0)).isEqualTo(TransferStatus.INVALID_AMOUNT);
        assertThat(bank.depositOnce("not an id", "acct-0", 5)).isEqualTo(TransferStatus.INVALID_ID);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"))).containsExactly(150L, 70L);
        expectedTotal += 50 - 30;
    }

    @Test
    void aMultiLegTransferWithAnIdIsAppliedOnce() {
        bank(3, 100);
        Account to = bank.account("acct-2");
        List<Debit> sources = List.of(Debit.of(bank.account("acct-0"), 10), Debit.of(bank.account("acct-1"), 20));
        assertThat(bank.transferOnce("m-1", to, sources)).isEqualTo(TransferStatus.OK);
        assertThat(bank.transferOnce("m-1", to, sources)).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.transferOnce("m-1", to, List.of(Debit.of(bank.account("acct-0"), 10))))
                .isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(bank.transfer(Transfer.of("m-1", "acct-0", "acct-2", 30))).isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(bank.transferOnce("m-2", to, List.of(Debit.of(bank.account("acct-0"), 1_000))))
                .isEqualTo(TransferStatus.INSUFFICIENT_FUNDS);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(90L, 80L, 130L);
    }

    // ---------------------------------------------------------------- linked chains

    @Test
    void aLinkedChainIsAppliedWholeAndALaterLinkMaySpendWhatAnEarlierOnePaidIn() {
        bank(3, 100);
        List<TransferStatus> statuses = bank.transfers(List.of(
                Transfer.of("c-1", "acct-0", "acct-1", 100).linkedToNext(),
                new Transfer(null, "acct-1", "acct-2", 200).linkedToNext(),
                Transfer.of("c-3", "acct-2", "acct-0", 250),
                Transfer.of("after", "acct-0", "acct-1", 1)));
        assertThat(statuses).containsExactly(TransferStatus.OK, TransferStatus.OK, TransferStatus.OK,
                TransferStatus.OK);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(249L, 1L, 50L);
    }

    @Test
    void aChainWithAFailingLinkAppliesNoneOfItAndNamesTheLink() {
        bank(3, 100);
        List<TransferStatus> statuses = bank.transfers(List.of(
                Transfer.of("before", "acct-0", "acct-1", 10),
                Transfer.of("c-1", "acct-0", "acct-1", 50).linkedToNext(),
                Transfer.of("c-2", "acct-1", "acct-2", 500).linkedToNext(),
                Transfer.of("c-3", "acct-2", "acct-0", 1),
                Transfer.of("after", "acct-1", "acct-2", 10)));
        assertThat(statuses).containsExactly(TransferStatus.OK, TransferStatus.CHAIN_FAILED,
                TransferStatus.INSUFFICIENT_FUNDS, TransferStatus.CHAIN_FAILED, TransferStatus.OK);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(90L, 100L, 110L);
        assertThat(bank.transfer(Transfer.of("c-1", "acct-0", "acct-1", 50)))
                .as("the failed chain's ids are free").isEqualTo(TransferStatus.OK);
    }

    @Test
    void aMalformedLinkFailsItsChainBeforeAnythingIsTried() {
        bank(2, 100);
        assertThat(bank.transfers(List.of(
                Transfer.of("c-1", "acct-0", "acct-1", 5).linkedToNext(),
                Transfer.of("c-2", "acct-0", "nobody", 5)))).containsExactly(TransferStatus.CHAIN_FAILED,
                TransferStatus.UNKNOWN_ACCOUNT);
        assertThat(bank.transfers(List.of(
                Transfer.of("c-1", "acct-0", "acct-1", 5).linkedToNext(),
                Transfer.of("c-1", "acct-0", "acct-1", 5)))).as("one id twice in a chain")
                .containsExactly(TransferStatus.CHAIN_FAILED, TransferStatus.ID_CONFLICT);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"))).containsExactly(100L, 100L);
    }

    @Test
    void aBatchEndingInsideAChainLeavesTheChainOpenAndUnapplied() {
        bank(2, 100);
        assertThat(bank.transfers(List.of(
                Transfer.of("t-0", "acct-0", "acct-1", 1),
                Transfer.of("c-1", "acct-0", "acct-1", 5).linkedToNext(),
                Transfer.of("c-2", "acct-1", "acct-0", 5).linkedToNext()))).containsExactly(TransferStatus.OK,
                TransferStatus.CHAIN_OPEN, TransferStatus.CHAIN_OPEN);
        assertThat(bank.transfer(Transfer.of("lone", "acct-0", "acct-1", 5).linkedToNext()))
                .isEqualTo(TransferStatus.CHAIN_OPEN);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"))).containsExactly(99L, 101L);
    }

    @Test
    void aChainSentAgainIsRepeatedWholeAndChangesNothing() {
        bank(3, 100);
        List<Transfer> chain = List.of(Transfer.of("c-1", "acct-0", "acct-1", 30).linkedToNext(),
                Transfer.of("c-2", "acct-1", "acct-2", 60));
        assertThat(bank.transfers(chain)).containsExactly(TransferStatus.OK, TransferStatus.OK);
        assertThat(bank.transfers(chain)).containsExactly(TransferStatus.REPEATED, TransferStatus.REPEATED);
        List<Transfer> half = List.of(Transfer.of("c-1", "acct-0", "acct-1", 30).linkedToNext(),
                Transfer.of("c-9", "acct-1", "acct-2", 1));
        assertThat(bank.transfers(half)).as("a link applied before fails the rest of a new chain")
                .containsExactly(TransferStatus.REPEATED, TransferStatus.CHAIN_FAILED);
        assertThat(List.of(bank.balance("acct-0"), bank.balance("acct-1"), bank.balance("acct-2")))
                .containsExactly(70L, 70L, 160L);
    }

    @Test
    @Timeout(60)
    void chainsRacingEachOtherAndSnapshotsMoveMoneyOnceAndStayConsistent() {
        int accounts = 6;
        bank(accounts, 1_000);
        List<List<Transfer>> chains = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        for (int c = 0; c < 300; c++) {
            List<Transfer> chain = new ArrayList<>();
            int links = 1 + random.nextInt(4);
            for (int l = 0; l < links; l++) {
                int from = random.nextInt(accounts);
                int to = (from + 1 + random.nextInt(accounts - 1)) % accounts;
                Transfer transfer = Transfer.of("c" + c + "-" + l, "acct-" + from, "acct-" + to,
                        1 + random.nextInt(400));
                chain.add(l < links - 1 ? transfer.linkedToNext() : transfer);
            }
            chains.add(chain);
        }
        Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger torn = new AtomicInteger();
        AtomicInteger halfApplied = new AtomicInteger();
        AtomicInteger writersLeft = new AtomicInteger(3);
        Concurrently.run(4, LIMIT, thread -> {
            if (thread == 0) {
                while (running.get()) {
                    if (bank.snapshot().total() != expectedTotal) {
                        torn.incrementAndGet();
                    }
                }
                return;
            }
            List<List<Transfer>> mine = new ArrayList<>(chains);
            Collections.shuffle(mine, new java.util.Random(thread));
            for (int start = 0; start < mine.size(); start += 10) {
                List<Transfer> batch = new ArrayList<>();
                mine.subList(start, Math.min(start + 10, mine.size())).forEach(batch::addAll);
                List<TransferStatus> statuses = bank.transfers(batch);
                int i = 0;
                while (i < batch.size()) {
                    int end = i;
                    while (batch.get(end).linked()) {
                        end++;
                    }
                    long ok = statuses.subList(i, end + 1).stream().filter(s -> s == TransferStatus.OK).count();
                    if (ok != 0 && ok != end + 1 - i) {
                        halfApplied.incrementAndGet();
                    }
                    for (int k = i; k <= end; k++) {
                        if (statuses.get(k) == TransferStatus.OK) {
                            applied.computeIfAbsent(batch.get(k).id(), id -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    i = end + 1;
                }
            }
            if (writersLeft.decrementAndGet() == 0) {
                running.set(false);
            }
        });
        assertThat(torn).hasValue(0);
        assertThat(halfApplied).hasValue(0);
        assertThat(applied.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        long[] expected = new long[accounts];
        java.util.Arrays.fill(expected, 1_000);
        for (List<Transfer> chain : chains) {
            if (applied.containsKey(chain.get(0).id())) {
                for (Transfer transfer : chain) {
                    expected[Integer.parseInt(transfer.from().substring(5))] -= transfer.amount();
                    expected[Integer.parseInt(transfer.to().substring(5))] += transfer.amount();
                }
            }
        }
        for (int i = 0; i < accounts; i++) {
            assertThat(bank.balance("acct-" + i)).as("acct-" + i).isEqualTo(expected[i]);
        }
    }
}

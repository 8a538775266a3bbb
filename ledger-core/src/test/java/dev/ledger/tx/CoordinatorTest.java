package dev.ledger.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.Concurrently;
import dev.ledger.ErrorCode;
import dev.ledger.Invariants;
import dev.ledger.LedgerException;
import dev.ledger.lock.LockStrategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The coordinator over three in-process banks, with faults injected: every outcome conserves money across the
 * banks and leaves no hold once resolved.
 */
@Timeout(60)
class CoordinatorTest {
    private static final long PER_BANK = 3 * 1_000;

    private Bank alpha;
    private Bank beta;
    private Bank gamma;
    private FaultyParticipant faultyBeta;
    private Coordinator coordinator;

    @BeforeEach
    void openBanks() {
        alpha = bank("alpha");
        beta = bank("beta");
        gamma = bank("gamma");
        faultyBeta = new FaultyParticipant(beta);
        coordinator = coordinator(new InMemoryDecisionLog());
    }

    private static Bank bank(String name) {
        return Bank.builder().name(name).strategy(LockStrategies.ORDERED)
                .account("x", 1_000).account("y", 1_000).account("z", 1_000).build();
    }

    private static Coordinator coordinator(DecisionLog log) {
        return Coordinator.builder().name("alpha").decisionLog(log).prepareTimeout(Duration.ofMillis(300))
                .holdTimeout(Duration.ofMinutes(5)).retryDelay(Duration.ofMillis(1), Duration.ofMillis(20)).build();
    }

    @AfterEach
    void moneyIsConservedAndNothingIsHeld() {
        coordinator.close();
        long total = alpha.total() + beta.total() + gamma.total();
        assertThat(total).as("money across the three banks").isEqualTo(3 * PER_BANK);
        for (Bank bank : List.of(alpha, beta, gamma)) {
            Invariants.check(bank, bank.total());
            Invariants.checkSettled(bank);
        }
    }

    /** Takes 100 from alpha/x and 50 from beta/x, pays 150 into gamma/y. */
    private Map<Participant, List<Leg>> plan(Participant betaSide) {
        Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
        plan.put(alpha, List.of(Leg.debit("x", 100)));
        plan.put(betaSide, List.of(Leg.debit("x", 50)));
        plan.put(gamma, List.of(Leg.credit("y", 150)));
        return plan;
    }

    @Test
    void whenEveryoneVotesCommitTheTransferCommitsEverywhere() throws Exception {
        TransferResult result = coordinator.transfer(plan(beta));
        assertThat(result.committed()).isTrue();
        result.settled().get(10, TimeUnit.SECONDS);
        assertThat(alpha.balance("x")).isEqualTo(900);
        assertThat(beta.balance("x")).isEqualTo(950);
        assertThat(gamma.balance("y")).isEqualTo(1_150);
        assertThat(coordinator.status(result.txId())).isEqualTo(TxState.COMMITTED);
        assertThat(List.of(alpha.status(result.txId()), beta.status(result.txId()), gamma.status(result.txId())))
                .containsOnly(TxState.COMMITTED);
    }

    @Test
    void oneRefusalAbortsEverywhereAndNamesTheParticipant() throws Exception {
        Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
        plan.put(alpha, List.of(Leg.debit("x", 100)));
        plan.put(beta, List.of(Leg.debit("x", 5_000)));
        plan.put(gamma, List.of(Leg.credit("y", 5_100)));
        TransferResult result = coordinator.transfer(plan);
        assertThat(result.committed()).isFalse();
        assertThat(result.reason()).isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(result.participant()).isEqualTo("beta");
        assertThat(result.message()).startsWith("insufficient funds at beta");
        awaitAborted(result, alpha, gamma);
        assertThat(alpha.balance("x")).isEqualTo(1_000);
    }

    @Test
    void aParticipantThatDoesNotVoteInTimeAbortsTheTransfer() throws Exception {
        faultyBeta.failPrepare(FaultyParticipant.Fault.HANG);
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.reason()).isEqualTo(AbortReason.TIMEOUT);
        assertThat(result.participant()).isEqualTo("beta");
        assertThat(result.message()).isEqualTo("beta timed out after 300 ms");
        awaitAborted(result, alpha, gamma);
        assertThat(beta.status(result.txId())).as("the abort overtook the hung prepare").isEqualTo(TxState.ABORTED);
        faultyBeta.releaseHungPrepares(); // the late prepare finds that abort and holds nothing
    }

    @Test
    void anUnreachableParticipantAbortsTheTransfer() throws Exception {
        faultyBeta.failPrepare(FaultyParticipant.Fault.REFUSE_CONNECTION);
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.reason()).isEqualTo(AbortReason.UNREACHABLE);
        assertThat(result.participant()).isEqualTo("beta");
        assertThat(result.message()).isEqualTo("beta unreachable: connection refused by beta");
        awaitAborted(result, alpha, gamma);
    }

    @Test
    void aParticipantThatThrowsAbortsTheTransfer() throws Exception {
        faultyBeta.failPrepare(FaultyParticipant.Fault.THROW);
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.reason()).isEqualTo(AbortReason.UNREACHABLE);
        assertThat(result.message()).contains("beta failed while preparing");
        awaitAborted(result, alpha, gamma);
    }

    @Test
    void aLostVoteAbortsTheTransferAndReleasesTheHoldItTook() throws Exception {
        faultyBeta.failPrepare(FaultyParticipant.Fault.DROP_REPLY);
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.reason()).isEqualTo(AbortReason.UNREACHABLE);
        awaitAborted(result, alpha, beta, gamma);
    }

    @Test
    void aParticipantThatCrashesAfterVotingGetsTheCommitWhenItComesBack() throws Exception {
        faultyBeta.failPrepare(FaultyParticipant.Fault.CRASH_AFTER_VOTE);
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.committed()).as("every vote was COMMIT, so the decision is COMMIT").isTrue();
        assertThat(beta.status(result.txId())).isEqualTo(TxState.PREPARED);
        assertThat(result.settled()).isNotDone();
        faultyBeta.restart();
        result.settled().get(10, TimeUnit.SECONDS); // the coordinator kept retrying
        assertThat(beta.status(result.txId())).isEqualTo(TxState.COMMITTED);
        assertThat(beta.balance("x")).isEqualTo(950);
    }

    @Test
    void aStatusQueryBeforeTheDecisionForcesAbortForever() {
        // An impatient participant asks for the decision while the votes are still coming in.
        faultyBeta.onPrepare(txId -> assertThat(coordinator.status(txId)).isEqualTo(TxState.ABORTED));
        TransferResult result = coordinator.transfer(plan(faultyBeta));
        assertThat(result.committed()).isFalse();
        assertThat(coordinator.status(result.txId())).isEqualTo(TxState.ABORTED);
        awaitAborted(result, alpha, beta, gamma);
    }

    @Test
    void aCoordinatorCrashAfterTheDecisionIsResolvedByTheParticipants() {
        InMemoryDecisionLog durable = new InMemoryDecisionLog();
        DecisionLog crashesAfterRecording = new DecisionLog() {
            @Override
            public TxState decide(String txId, TxState decision) {
                durable.decide(txId, decision);
                throw new IllegalStateException("coordinator crashed after logging " + decision);
            }

            @Override
            public Optional<TxState> decision(String txId) {
                return durable.decision(txId);
            }
        };
        Coordinator doomed = Coordinator.builder().name("alpha").decisionLog(crashesAfterRecording)
                .holdTimeout(Duration.ZERO).build();
        assertThatThrownBy(() -> doomed.transfer(plan(beta))).hasMessageContaining("crashed");
        doomed.close();
        assertThat(alpha.inDoubt()).hasSize(1);

        // The participants ask a restarted coordinator that reads the same log.
        try (Coordinator restarted = coordinator(durable)) {
            for (Bank bank : List.of(alpha, beta, gamma)) {
                assertThat(bank.resolveInDoubt(restarted.resolver())).isEqualTo(1);
            }
        }
        assertThat(gamma.balance("y")).isEqualTo(1_150);
    }

    @Test
    void legsMustMoveMoneyNotMakeIt() {
        Map<Participant, List<Leg>> unbalanced = Map.of(alpha, List.of(Leg.credit("x", 10)));
        assertThatThrownBy(() -> coordinator.transfer(unbalanced)).isInstanceOf(LedgerException.class)
                .satisfies(e -> assertThat(((LedgerException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("sum to 10");
        assertThatThrownBy(() -> coordinator.transfer(Map.of())).isInstanceOf(LedgerException.class);
    }

    @Test
    void concurrentTransfersOverOverlappingAccountsConserveMoney() {
        List<Bank> banks = List.of(alpha, beta, gamma);
        String[] ids = {"x", "y", "z"};
        LongAdder committed = new LongAdder();
        LongAdder aborted = new LongAdder();
        List<TransferResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        Concurrently.run(8, Duration.ofSeconds(45), thread -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 300; i++) {
                Bank to = banks.get(random.nextInt(3));
                Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
                long sum = 0;
                for (Bank from : banks) {
                    if (from != to) {
                        long amount = 1 + random.nextInt(400);
                        plan.put(from, List.of(Leg.debit(ids[random.nextInt(3)], amount)));
                        sum += amount;
                    }
                }
                plan.put(to, List.of(Leg.credit(ids[random.nextInt(3)], sum)));
                TransferResult result = coordinator.transfer(plan);
                (result.committed() ? committed : aborted).increment();
                results.add(result);
            }
        });
        for (TransferResult result : results) {
            result.settled().join();
        }
        assertThat(committed.sum()).isPositive();
        assertThat(aborted.sum()).as("some transfers must hit insufficient funds").isPositive();
        for (TransferResult result : results) {
            if (!result.committed()) {
                awaitAborted(result, alpha, beta, gamma);
            }
        }
    }

    /** Waits until the coordinator is done sending aborts, then checks each bank aborted the transaction. */
    private static void awaitAborted(TransferResult result, Bank... banks) {
        assertThat(result.committed()).isFalse();
        result.settled().orTimeout(10, TimeUnit.SECONDS).join();
        for (Bank bank : banks) {
            assertThat(bank.status(result.txId())).as("%s at %s", result.txId(), bank.name())
                    .isEqualTo(TxState.ABORTED);
        }
    }
}

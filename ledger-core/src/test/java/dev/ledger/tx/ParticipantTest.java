package dev.ledger.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.Concurrently;
import dev.ledger.ErrorCode;
import dev.ledger.Invariants;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import dev.ledger.Position;
import dev.ledger.Snapshot;
import dev.ledger.lock.LockStrategies;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The bank as a two-phase-commit participant, under every lock strategy. */
@ParameterizedClass(name = "{0}")
@EnumSource(LockStrategies.class)
class ParticipantTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    @Parameter
    LockStrategies strategy;

    private Bank bank;
    private long expectedTotal = 300;
    private boolean expectSettled = true;

    @BeforeEach
    void openBank() {
        bank = Bank.builder().name("alpha").strategy(strategy)
                .account("a", 100).account("b", 100).account("c", 100).build();
    }

    @AfterEach
    void invariantsHold() {
        Invariants.check(bank, expectedTotal);
        if (expectSettled) {
            Invariants.checkSettled(bank);
        }
    }

    @Test
    void prepareHoldsTheDebitSoNothingElseCanSpendIt() {
        Vote vote = bank.prepare("t1", List.of(Leg.debit("a", 70), Leg.credit("b", 70)), LONG);
        assertThat(vote.commit()).isTrue();
        assertThat(bank.position("a")).isEqualTo(new Position(100, 70, 0));
        assertThat(bank.position("a").available()).isEqualTo(30);
        assertThat(bank.position("b")).isEqualTo(new Position(100, 0, 70));

        assertThat(bank.transfer("a", "c", 31)).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(bank.withdraw("a", 31).outcome()).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThat(bank.prepare("t2", List.of(Leg.debit("a", 31), Leg.credit("c", 31)), LONG).reason())
                .isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(bank.transfer("a", "c", 30)).isEqualTo(Outcome.OK);

        Snapshot snapshot = bank.snapshot();
        assertThat(snapshot.total()).isEqualTo(300);
        assertThat(snapshot.held(0)).isEqualTo(70);
        assertThat(snapshot.balance(0)).isEqualTo(70);

        assertThat(bank.commit("t1")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.snapshot().balances()).containsEntry("a", 0L).containsEntry("b", 170L).containsEntry("c", 130L);
    }

    @Test
    void abortReleasesTheHolds() {
        bank.prepare("t1", List.of(Leg.debit("a", 100), Leg.credit("b", 60), Leg.credit("c", 40)), LONG);
        assertThat(bank.abort("t1")).isEqualTo(TxState.ABORTED);
        assertThat(bank.position("a")).isEqualTo(new Position(100, 0, 0));
        assertThat(bank.transfer("a", "b", 100)).isEqualTo(Outcome.OK);
    }

    @Test
    void everyCallIsIdempotent() {
        List<Leg> legs = List.of(Leg.debit("a", 10), Leg.credit("b", 10));
        Vote first = bank.prepare("t1", legs, LONG);
        assertThat(bank.prepare("t1", legs, LONG)).isEqualTo(first);
        assertThat(bank.position("a").held()).as("held once, not twice").isEqualTo(10);
        assertThat(bank.commit("t1")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.commit("t1")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.prepare("t1", legs, LONG)).isEqualTo(first);
        assertThat(bank.balance("a")).as("applied once").isEqualTo(90);
        assertThat(bank.status("t1")).isEqualTo(TxState.COMMITTED);

        Vote refused = bank.prepare("t2", List.of(Leg.debit("a", 1_000), Leg.credit("b", 1_000)), LONG);
        assertThat(refused.reason()).isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(bank.prepare("t2", List.of(Leg.debit("a", 1_000), Leg.credit("b", 1_000)), LONG))
                .isEqualTo(refused);
        assertThat(bank.abort("t2")).isEqualTo(TxState.ABORTED);
        assertThat(bank.abort("t2")).isEqualTo(TxState.ABORTED);
    }

    @Test
    void contradictingTheDecisionIsAnErrorNeverASecondApplication() {
        bank.prepare("committed", List.of(Leg.debit("a", 10), Leg.credit("b", 10)), LONG);
        bank.commit("committed");
        bank.prepare("aborted", List.of(Leg.debit("a", 10), Leg.credit("b", 10)), LONG);
        bank.abort("aborted");

        expectError(ErrorCode.TRANSACTION_CONFLICT, () -> bank.abort("committed"));
        expectError(ErrorCode.TRANSACTION_CONFLICT, () -> bank.commit("aborted"));
        expectError(ErrorCode.TRANSACTION_CONFLICT,
                () -> bank.prepare("committed", List.of(Leg.debit("a", 99), Leg.credit("b", 99)), LONG));
        expectError(ErrorCode.UNKNOWN_TRANSACTION, () -> bank.commit("never-seen"));
        expectError(ErrorCode.INVALID_REQUEST, () -> bank.prepare("has space", List.of(Leg.debit("a", 1)), LONG));
        assertThat(bank.snapshot().balances()).containsEntry("a", 90L).containsEntry("b", 110L);
    }

    @Test
    void unknownTransactionsArePresumedAborted() {
        assertThat(bank.status("never-seen")).isEqualTo(TxState.UNKNOWN);
        assertThat(bank.abort("overtaken")).isEqualTo(TxState.ABORTED);
        Vote late = bank.prepare("overtaken", List.of(Leg.debit("a", 10), Leg.credit("b", 10)), LONG);
        assertThat(late.reason()).isEqualTo(AbortReason.ALREADY_ABORTED);
        assertThat(bank.position("a").held()).isZero();
    }

    @Test
    void invalidLegsVoteAbortAndHoldNothing() {
        assertThat(bank.prepare("t1", List.of(Leg.debit("nobody", 1), Leg.credit("a", 1)), LONG).reason())
                .isEqualTo(AbortReason.UNKNOWN_ACCOUNT);
        assertThat(bank.prepare("t2", List.of(new Leg("a", 0)), LONG).reason()).isEqualTo(AbortReason.INVALID);
        assertThat(bank.prepare("t3", List.of(Leg.debit("a", 1), Leg.credit("a", 1)), LONG).reason())
                .isEqualTo(AbortReason.INVALID);
        assertThat(bank.prepare("t4", List.of(), LONG).reason()).isEqualTo(AbortReason.INVALID);
        assertThat(bank.prepare("t5", List.of(Leg.credit("a", Long.MAX_VALUE)), LONG).reason())
                .as("a credit that would overflow its account").isEqualTo(AbortReason.INVALID);
        assertThat(bank.status("t1")).isEqualTo(TxState.ABORTED);
    }

    @Test
    void aPreparedTransactionPastItsTimeoutIsInDoubtUntilResolved() {
        bank.prepare("late-commit", List.of(Leg.debit("a", 10), Leg.credit("b", 10)), Duration.ZERO);
        bank.prepare("late-abort", List.of(Leg.debit("b", 10), Leg.credit("c", 10)), Duration.ZERO);
        bank.prepare("cut-off", List.of(Leg.debit("c", 10), Leg.credit("a", 10)), Duration.ZERO);
        bank.prepare("fresh", List.of(Leg.debit("c", 5), Leg.credit("a", 5)), LONG);
        assertThat(bank.inDoubt()).containsExactly("cut-off", "late-abort", "late-commit");

        DecisionResolver coordinatorUnreachable = txId -> {
            throw new IllegalStateException("unreachable");
        };
        assertThat(bank.resolveInDoubt(coordinatorUnreachable)).isZero();
        assertThat(bank.inDoubt()).as("never dropped silently").hasSize(3);
        assertThat(bank.position("a").held()).isEqualTo(10);

        int resolved = bank.resolveInDoubt(txId -> switch (txId) {
            case "late-commit" -> TxState.COMMITTED;
            case "late-abort" -> TxState.UNKNOWN; // presumed abort
            default -> TxState.PREPARED; // coordinator still deciding
        });
        assertThat(resolved).isEqualTo(2);
        assertThat(bank.inDoubt()).containsExactly("cut-off");
        assertThat(bank.status("late-commit")).isEqualTo(TxState.COMMITTED);
        assertThat(bank.status("late-abort")).isEqualTo(TxState.ABORTED);

        bank.resolveInDoubt(txId -> TxState.ABORTED);
        bank.commit("fresh");
    }

    @Test
    void onlyTheNewestFinishedTransactionsAreRememberedAndPreparedOnesNeverForgotten() {
        Bank small = Bank.builder().strategy(strategy).rememberFinishedTransactions(2).account("a", 100)
                .account("b", 0).build();
        small.prepare("pending", List.of(Leg.debit("a", 1), Leg.credit("b", 1)), LONG);
        for (String txId : List.of("t1", "t2", "t3")) {
            small.prepare(txId, List.of(Leg.debit("a", 1), Leg.credit("b", 1)), LONG);
            small.commit(txId);
        }
        small.abort("t4");
        assertThat(small.status("t1")).isEqualTo(TxState.UNKNOWN);
        assertThat(small.status("t2")).isEqualTo(TxState.UNKNOWN);
        assertThat(small.status("t3")).isEqualTo(TxState.COMMITTED);
        assertThat(small.status("t4")).isEqualTo(TxState.ABORTED);
        assertThat(small.status("pending")).isEqualTo(TxState.PREPARED);
        small.commit("pending");
        assertThat(small.snapshot().balances()).containsEntry("a", 96L).containsEntry("b", 4L);
    }

    @Test
    @Timeout(60)
    void aPrepareRacingATransferOfTheSameMoneyNeverLetsBothSpendIt() {
        AtomicInteger bothSucceeded = new AtomicInteger();
        for (int round = 0; round < 500; round++) {
            String txId = "race-" + round;
            boolean[] won = new boolean[2];
            Concurrently.run(2, Duration.ofSeconds(10), thread -> {
                if (thread == 0) {
                    won[0] = bank.prepare(txId, List.of(Leg.debit("a", 100), Leg.credit("b", 100)), LONG).commit();
                } else {
                    won[1] = bank.transfer("a", "c", 100) == Outcome.OK;
                }
            });
            if (won[0] && won[1]) {
                bothSucceeded.incrementAndGet();
            }
            assertThat(won[0] || won[1]).as("one of them can always be funded").isTrue();
            // Put the 100 back on 'a' for the next round.
            if (won[0]) {
                bank.abort(txId);
            } else {
                bank.transfer("c", "a", 100);
            }
        }
        assertThat(bothSucceeded.get()).isZero();
    }

    @Test
    @Timeout(60)
    void commitRacingAbortForOneTransactionHasExactlyOneWinner() {
        for (int round = 0; round < 500; round++) {
            String txId = "duel-" + round;
            bank.prepare(txId, List.of(Leg.debit("a", 1), Leg.credit("b", 1)), LONG);
            boolean[] won = new boolean[2];
            Concurrently.run(2, Duration.ofSeconds(10), thread -> {
                try {
                    if (thread == 0) {
                        bank.commit(txId);
                    } else {
                        bank.abort(txId);
                    }
                    won[thread] = true;
                } catch (LedgerException conflict) {
                    assertThat(conflict.code()).isEqualTo(ErrorCode.TRANSACTION_CONFLICT);
                }
            });
            assertThat(won[0] ^ won[1]).as("exactly one of commit and abort wins").isTrue();
            if (won[0] && bank.balance("b") > 100) {
                bank.transfer("b", "a", 1); // undo, to keep the round's starting state
            }
        }
    }

    private static void expectError(ErrorCode code, Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(LedgerException.class)
                .satisfies(e -> assertThat(((LedgerException) e).code()).isEqualTo(code));
    }
}

package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.journal.FileJournal;
import dev.ledger.journal.JournalDecisionLog;
import dev.ledger.journal.SyncMode;
import dev.ledger.net.BankClient;
import dev.ledger.net.RemoteParticipant;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TransferResult;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two-phase commit between two durable {@code ledger server} processes, alpha and beta, with a crash at each step
 * of the protocol. A participant crashes for real ({@code kill -9}) and restarts on its data directory. The
 * coordinator runs in the test with its decisions in a {@link FileJournal}; it crashes by stopping dead at the step
 * (no further call leaves it, its threads stop) and restarts as a new coordinator on the same directory. beta is
 * killed and restarted in the coordinator's crashes too, so that its holds must come back from its journal.
 *
 * <p>Each transfer moves 300 from alpha's account 1 to beta's account 1. After recovery the outcome is the same at
 * both banks, committed or aborted as the coordinator decided (abort when it recorded nothing), no money is held,
 * nothing is in doubt, and the four accounts still hold 4 000 in all.
 */
@Timeout(120)
class TwoPhaseCommitCrashTest {
    private static final long INITIAL = 1_000;
    private static final long AMOUNT = 300;

    @TempDir
    Path dir;

    private final int alphaPort;
    private final int betaPort;
    private ServerProcess alpha;
    private ServerProcess beta;
    private FileJournal decisionJournal;
    private Coordinator coordinator;

    TwoPhaseCommitCrashTest() throws Exception {
        alphaPort = ServerProcess.freePort();
        betaPort = ServerProcess.freePort();
    }

    @BeforeEach
    void start() throws Exception {
        alpha = startBank("alpha", alphaPort);
        beta = startBank("beta", betaPort);
    }

    @AfterEach
    void stop() throws Exception {
        if (coordinator != null) {
            coordinator.close();
        }
        if (decisionJournal != null) {
            decisionJournal.close();
        }
        alpha.close();
        beta.close();
    }

    // ---------------------------------------------------------------- a participant crashes

    @Test
    void aParticipantKilledAfterItVotedCommitsOnceBackFromItsJournal() throws Exception {
        Coordinator c = coordinator(Duration.ofMinutes(5), log -> log);
        Participant dying = new StepParticipant(participant("beta", betaPort)) {
            @Override
            public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
                Vote vote = super.prepare(txId, legs, timeout);
                killBeta();
                return vote;
            }
        };
        TransferResult result = c.transfer(plan(participant("alpha", alphaPort), dying, AMOUNT));
        assertThat(result.committed()).as(result.message()).isTrue();
        beta = startBank("beta", betaPort); // the coordinator retries the commit until beta is back
        result.settled().get(60, TimeUnit.SECONDS);
        assertOutcome(result.txId(), TxState.COMMITTED);
    }

    @Test
    void aParticipantKilledAfterItCommittedKeepsTheCommit() throws Exception {
        Coordinator c = coordinator(Duration.ofMinutes(5), log -> log);
        Participant dying = new StepParticipant(participant("beta", betaPort)) {
            @Override
            public TxState commit(String txId) {
                TxState state = super.commit(txId);
                killBeta();
                return state;
            }
        };
        TransferResult result = c.transfer(plan(participant("alpha", alphaPort), dying, AMOUNT));
        result.settled().get(60, TimeUnit.SECONDS);
        beta = startBank("beta", betaPort);
        assertOutcome(result.txId(), TxState.COMMITTED);
    }

    @Test
    void aParticipantKilledBeforeItVotedAbortsTheTransferWithAClearReason() throws Exception {
        Coordinator c = coordinator(Duration.ofMinutes(5), log -> log);
        beta.kill();
        TransferResult result = c.transfer(plan(participant("alpha", alphaPort), participant("beta", betaPort),
                AMOUNT));
        assertThat(result.committed()).isFalse();
        assertThat(result.participant()).isEqualTo("beta");
        assertThat(result.message()).startsWith("beta unreachable");
        result.settled().get(60, TimeUnit.SECONDS);
        beta = startBank("beta", betaPort);
        assertOutcome(result.txId(), TxState.ABORTED);
    }

    @Test
    void aParticipantKilledAfterItVotedForATransferThatAbortedAbortsOnceBack() throws Exception {
        Coordinator c = coordinator(Duration.ZERO, log -> log);
        CountDownLatch betaDied = new CountDownLatch(1);
        Participant dying = new StepParticipant(participant("beta", betaPort)) {
            @Override
            public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
                Vote vote = super.prepare(txId, legs, timeout);
                killBeta();
                betaDied.countDown();
                return vote;
            }
        };
        Participant refusing = new StepParticipant(participant("alpha", alphaPort)) {
            @Override
            public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
                awaitUninterruptibly(betaDied); // so that the abort cannot reach beta before it dies
                return super.prepare(txId, legs, timeout);
            }
        };
        // alpha cannot pay 5 000, so the transfer aborts; beta voted yes and died before it heard.
        TransferResult result = c.transfer(plan(refusing, dying, 5 * INITIAL));
        assertThat(result.committed()).isFalse();
        beta = startBank("beta", betaPort);
        try (BankClient client = beta.client()) {
            assertThat(client.inDoubt()).as("beta's vote came back from its journal").contains(result.txId());
        }
        resolveInDoubt(c, beta);
        assertOutcome(result.txId(), TxState.ABORTED);
    }

    // ---------------------------------------------------------------- the coordinator crashes

    @Test
    void aCoordinatorThatCrashedBeforeRecordingItsDecisionAborts() throws Exception {
        crashTheCoordinator(log -> new DecisionLog() {
            @Override
            public TxState decide(String txId, TxState decision) {
                throw new Crash(); // before the record is written
            }

            @Override
            public Optional<TxState> decision(String txId) {
                return log.decision(txId);
            }
        }, TxState.ABORTED);
    }

    @Test
    void aCoordinatorThatCrashedAfterRecordingCommitCommitsEverywhere() throws Exception {
        crashTheCoordinator(log -> new DecisionLog() {
            @Override
            public TxState decide(String txId, TxState decision) {
                log.decide(txId, decision);
                throw new Crash(); // recorded, and no participant told
            }

            @Override
            public Optional<TxState> decision(String txId) {
                return log.decision(txId);
            }
        }, TxState.COMMITTED);
    }

    @Test
    void aCoordinatorThatCrashedAfterTellingOneParticipantCommitsTheOther() throws Exception {
        CountDownLatch alphaCommitted = new CountDownLatch(1);
        Participant alphaParticipant = new StepParticipant(participant("alpha", alphaPort)) {
            @Override
            public TxState commit(String txId) {
                TxState state = super.commit(txId);
                alphaCommitted.countDown();
                return state;
            }
        };
        StepParticipant betaParticipant = new StepParticipant(participant("beta", betaPort)) {
            @Override
            public TxState commit(String txId) {
                awaitUninterruptibly(alphaCommitted);
                crashed = true; // the coordinator dies before its commit to beta leaves
                throw new Crash();
            }
        };
        Coordinator c = coordinator(Duration.ZERO, log -> log);
        TransferResult result = c.transfer(plan(alphaParticipant, betaParticipant, AMOUNT));
        assertThat(result.committed()).isTrue();
        alphaCommitted.await(60, TimeUnit.SECONDS);
        recoverAfterCoordinatorCrash(result.txId(), TxState.COMMITTED);
    }

    private void crashTheCoordinator(java.util.function.UnaryOperator<DecisionLog> crashing, TxState expected)
            throws Exception {
        Coordinator c = coordinator(Duration.ZERO, crashing);
        String[] txId = new String[1];
        Participant watched = new StepParticipant(participant("beta", betaPort)) {
            @Override
            public Vote prepare(String id, List<Leg> legs, Duration timeout) {
                txId[0] = id;
                return super.prepare(id, legs, timeout);
            }
        };
        assertThatThrownBy(() -> c.transfer(plan(participant("alpha", alphaPort), watched, AMOUNT)))
                .isInstanceOf(Crash.class);
        recoverAfterCoordinatorCrash(txId[0], expected);
    }

    /** Restarts beta and the coordinator, then lets both banks ask the new coordinator for the decision. */
    private void recoverAfterCoordinatorCrash(String txId, TxState expected) throws Exception {
        coordinator.close();
        decisionJournal.close();
        coordinator = null;
        decisionJournal = null;
        beta.kill();
        beta = startBank("beta", betaPort);
        Coordinator restarted = coordinator(Duration.ZERO, log -> log);
        assertThat(restarted.status(txId)).isEqualTo(expected);
        resolveInDoubt(restarted, alpha);
        resolveInDoubt(restarted, beta);
        assertOutcome(txId, expected);
    }

    // ---------------------------------------------------------------- helpers

    private ServerProcess startBank(String name, int port) throws Exception {
        return ServerProcess.start("--port", Integer.toString(port), "--name", name, "--accounts", "2",
                "--initial", Long.toString(INITIAL), "--data-dir", dir.resolve(name).toString());
    }

    private void killBeta() {
        try {
            beta.kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A coordinator whose decisions are in the test's decision journal, wrapped as the test needs. */
    private Coordinator coordinator(Duration holdTimeout, java.util.function.UnaryOperator<DecisionLog> wrap) {
        decisionJournal = FileJournal.open(dir.resolve("coordinator"), SyncMode.BATCH);
        coordinator = Coordinator.builder().name("coordinator")
                .decisionLog(wrap.apply(JournalDecisionLog.open(decisionJournal)))
                .prepareTimeout(Duration.ofSeconds(10)).holdTimeout(holdTimeout)
                .retryDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build();
        return coordinator;
    }

    private static RemoteParticipant participant(String name, int port) {
        return new RemoteParticipant(name, BankClient.builder().host("127.0.0.1").port(port)
                .connectTimeout(Duration.ofSeconds(2)).readTimeout(Duration.ofSeconds(5)));
    }

    private static Map<Participant, List<Leg>> plan(Participant from, Participant to, long amount) {
        Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
        plan.put(from, List.of(Leg.debit("1", amount)));
        plan.put(to, List.of(Leg.credit("1", amount)));
        return plan;
    }

    /** What a bank's resolver does: asks the coordinator about each transaction in doubt and applies the answer. */
    private static void resolveInDoubt(Coordinator coordinator, ServerProcess bank) {
        try (BankClient client = bank.client()) {
            for (String txId : client.inDoubt()) {
                if (coordinator.status(txId) == TxState.COMMITTED) {
                    client.commit(txId);
                } else {
                    client.abort(txId);
                }
            }
        }
    }

    /** Checks both banks applied {@code expected} and are settled, with the money conserved. */
    private void assertOutcome(String txId, TxState expected) {
        long moved = expected == TxState.COMMITTED ? AMOUNT : 0;
        long total = 0;
        for (ServerProcess bank : List.of(alpha, beta)) {
            try (BankClient client = bank.client()) {
                TxState state = client.status(txId);
                assertThat(state == TxState.UNKNOWN ? TxState.ABORTED : state).as("%s's outcome", bank.port())
                        .isEqualTo(expected);
                assertThat(client.inDoubt()).isEmpty();
                assertThat(client.balance("1")).isEqualTo(bank == alpha ? INITIAL - moved : INITIAL + moved);
                for (String account : List.of("1", "2")) { // nothing stays held: all of it can be withdrawn
                    long balance = client.balance(account);
                    assertThat(client.withdraw(account, balance)).hasValue(0);
                    client.deposit(account, balance);
                }
                total += client.total();
            }
        }
        assertThat(total).isEqualTo(4 * INITIAL);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How the coordinator stops dead at a step: nothing after it runs. */
    private static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("the coordinator crashed here", null, false, false);
        }
    }

    /**
     * A participant that forwards every call, for tests that change one step; once {@code crashed} is set no call
     * leaves it, as none would from a dead coordinator.
     */
    private static class StepParticipant implements Participant {
        private final Participant delegate;
        volatile boolean crashed;

        StepParticipant(Participant delegate) {
            this.delegate = delegate;
        }

        private void alive() {
            if (crashed) {
                throw new Crash();
            }
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
            alive();
            return delegate.prepare(txId, legs, timeout);
        }

        @Override
        public TxState commit(String txId) {
            alive();
            return delegate.commit(txId);
        }

        @Override
        public TxState abort(String txId) {
            alive();
            return delegate.abort(txId);
        }

        @Override
        public TxState status(String txId) {
            alive();
            return delegate.status(txId);
        }
    }
}

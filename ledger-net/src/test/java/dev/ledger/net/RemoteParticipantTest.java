package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TransferResult;
import dev.ledger.tx.TxState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase commit across processes: a coordinator here drives two bank servers through {@link RemoteParticipant}s,
 * beta's behind a proxy that can break its connection mid-protocol. Whatever breaks, the transfer commits or
 * aborts as a whole, the reason is named, and money is conserved.
 */
class RemoteParticipantTest {
    private static final Duration SETTLE = Duration.ofSeconds(15);

    private Bank alphaBank;
    private Bank betaBank;
    private BankServer alphaServer;
    private BankServer betaServer;
    private FaultyProxy proxy;
    private RemoteParticipant alpha;
    private RemoteParticipant beta;
    private Coordinator coordinator;

    @BeforeEach
    void start() throws IOException {
        alphaBank = Bank.builder().name("alpha").account("alice", 100).build();
        betaBank = Bank.builder().name("beta").account("bob", 20).build();
        alphaServer = BankServer.builder(alphaBank).port(0).build().start();
        betaServer = BankServer.builder(betaBank).port(0).password("beta-secret").build().start();
        proxy = new FaultyProxy(betaServer.port());
        alpha = new RemoteParticipant("alpha", BankClient.builder().port(alphaServer.port()));
        beta = new RemoteParticipant("beta", BankClient.builder().port(proxy.port()).password("beta-secret")
                .readTimeout(Duration.ofSeconds(2)));
        // The prepare timeout stays below the read timeout, so a stall is the coordinator's timeout, and well above
        // what a prepare takes on a loaded machine.
        coordinator = Coordinator.builder().name("hq").prepareTimeout(Duration.ofMillis(1_500))
                .retryDelay(Duration.ofMillis(20), Duration.ofMillis(100)).build();
    }

    @AfterEach
    void stop() throws IOException {
        coordinator.close();
        alpha.close();
        beta.close();
        proxy.close();
        alphaServer.stop();
        betaServer.stop();
    }

    @Test
    void aTransferCommitsAtBothBanks() throws Exception {
        TransferResult result = coordinator.transfer(alicePaysBob(30));
        assertThat(result.committed()).as(result.toString()).isTrue();
        result.settled().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(alphaBank.balance("alice")).isEqualTo(70);
        assertThat(betaBank.balance("bob")).isEqualTo(50);
        assertThat(alpha.status(result.txId())).isEqualTo(TxState.COMMITTED);
        assertThat(beta.status(result.txId())).isEqualTo(TxState.COMMITTED);
    }

    @Test
    void insufficientFundsAbortsAndNamesTheBank() {
        TransferResult result = coordinator.transfer(alicePaysBob(1000));
        assertThat(result.committed()).isFalse();
        assertThat(result.reason()).isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(result.participant()).isEqualTo("alpha");
        assertThat(result.message()).startsWith("insufficient funds at alpha: ");
        assertSettledAborted(result);
    }

    @Test
    void anUnknownRemoteAccountAborts() {
        Map<RemoteParticipant, List<Leg>> legs = new LinkedHashMap<>();
        legs.put(alpha, List.of(Leg.debit("alice", 5)));
        legs.put(beta, List.of(Leg.credit("nobody", 5)));
        TransferResult result = coordinator.transfer(legs);
        assertThat(result.reason()).isEqualTo(AbortReason.UNKNOWN_ACCOUNT);
        assertThat(result.participant()).isEqualTo("beta");
        assertThat(result.message()).contains("nobody");
        assertSettledAborted(result);
    }

    @Test
    void aConnectionCutBeforeThePrepareArrivesIsSentAgainAndTheTransferCommits() throws Exception {
        proxy.arm(FaultyProxy.Fault.CUT_BEFORE, "PREPARE");
        assertCommittedOnce(coordinator.transfer(alicePaysBob(30)));
    }

    @Test
    void aConnectionCutAfterThePrepareArrivedIsAnsweredByTheFirstVoteAndHoldsOnce() throws Exception {
        proxy.arm(FaultyProxy.Fault.CUT_AFTER, "PREPARE");
        assertCommittedOnce(coordinator.transfer(alicePaysBob(30)));
    }

    @Test
    void anUnreachableBankAbortsAndNamesTheBank() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (RemoteParticipant gone = new RemoteParticipant("beta",
                BankClient.builder().port(closedPort).connectTimeout(Duration.ofSeconds(1)))) {
            TransferResult result = coordinator.transfer(Map.of(alpha, List.of(Leg.debit("alice", 30)),
                    gone, List.of(Leg.credit("bob", 30))));
            assertThat(result.committed()).isFalse();
            assertThat(result.reason()).isEqualTo(AbortReason.UNREACHABLE);
            assertThat(result.message()).startsWith("beta unreachable: cannot connect to 127.0.0.1:" + closedPort);
            Await.until(SETTLE, "alpha aborted " + result.txId(),
                    () -> alphaBank.status(result.txId()) == TxState.ABORTED);
        }
        assertThat(alphaBank.balance("alice")).isEqualTo(100);
        assertThat(alphaBank.position("alice").held()).isZero();
    }

    @Test
    void aStalledConnectionAbortsAsTimedOut() {
        proxy.arm(FaultyProxy.Fault.STALL, "PREPARE");
        TransferResult result = coordinator.transfer(alicePaysBob(30));
        assertThat(result.committed()).isFalse();
        assertThat(result.reason()).isEqualTo(AbortReason.TIMEOUT);
        assertThat(result.message()).isEqualTo("beta timed out after 1500 ms");
        assertSettledAborted(result);
    }

    @Test
    void aConnectionCutDuringCommitIsRetriedUntilTheCommitLands() throws Exception {
        proxy.arm(FaultyProxy.Fault.CUT_AFTER, "COMMIT");
        TransferResult result = coordinator.transfer(alicePaysBob(30));
        assertThat(result.committed()).as(result.toString()).isTrue();
        result.settled().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(alphaBank.balance("alice")).isEqualTo(70);
        assertThat(betaBank.balance("bob")).isEqualTo(50);
        assertThat(betaBank.position("bob").incoming()).isZero();
    }

    @Test
    void aRefusalByTheRemoteBankIsTheBanksOwnException() {
        assertThat(beta.abort("tx-never-seen")).isEqualTo(TxState.ABORTED);
        BankClientTest.assertLedgerError(() -> beta.commit("tx-never-seen"),
                dev.ledger.ErrorCode.TRANSACTION_CONFLICT, "was aborted");
        BankClientTest.assertLedgerError(() -> beta.commit("tx-unknown"),
                dev.ledger.ErrorCode.UNKNOWN_TRANSACTION, "tx-unknown");
    }

    /** Checks that the transfer committed and moved the money once, with nothing left held or promised. */
    private void assertCommittedOnce(TransferResult result) throws Exception {
        assertThat(result.committed()).as(result.toString()).isTrue();
        result.settled().get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(alphaBank.balance("alice")).isEqualTo(70);
        assertThat(betaBank.balance("bob")).isEqualTo(50);
        assertThat(alphaBank.position("alice").held()).isZero();
        assertThat(betaBank.position("bob").incoming()).isZero();
    }

    /**
     * Waits until the coordinator's abort has reached both banks (it is sent after the result returns), then checks
     * that nothing moved and nothing is held.
     */
    private void assertSettledAborted(TransferResult result) {
        Await.until(SETTLE, "both banks aborted " + result.txId(),
                () -> alphaBank.status(result.txId()) == TxState.ABORTED
                        && betaBank.status(result.txId()) == TxState.ABORTED);
        assertThat(alphaBank.balance("alice")).isEqualTo(100);
        assertThat(betaBank.balance("bob")).isEqualTo(20);
        assertThat(alphaBank.position("alice").held()).isZero();
        assertThat(betaBank.position("bob").held()).isZero();
        assertThat(betaBank.position("bob").incoming()).isZero();
        assertThat(alphaBank.total() + betaBank.total()).isEqualTo(120);
    }

    private Map<RemoteParticipant, List<Leg>> alicePaysBob(long amount) {
        Map<RemoteParticipant, List<Leg>> legs = new LinkedHashMap<>();
        legs.put(alpha, List.of(Leg.debit("alice", amount)));
        legs.put(beta, List.of(Leg.credit("bob", amount)));
        return legs;
    }

}

package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import dev.ledger.tx.TxState;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Banks killed between prepare and commit, with real processes, each bank durable ({@code --data-dir}). Bank alpha
 * coordinates a transfer from beta to gamma and halts once both have voted: before it recorded the decision, or
 * after it recorded COMMIT and before telling anyone.
 *
 * <p>Shown: beta and gamma hold the money and keep it held, in doubt, while alpha is down (their hold timeout
 * passes; they must not decide alone); once alpha is back on its data directory, they ask it and both apply the
 * same decision: COMMIT if it was recorded, abort otherwise (presumed abort). Participants killed (SIGKILL) while
 * they hold the transaction in doubt come back from their data directories with the hold, the owners and the
 * accounts, and resolve it the same way. Across the banks no money is created or lost at any point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(150)
class CoordinatorCrashTest {
    private static final String SECRET = "crash-test-secret-0123";
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final List<String> QUICK = List.of("--pbkdf2-iterations", "1000", "--resolve-every-ms", "100");
    private static final List<String> PARTICIPANTS = List.of("beta", "gamma");

    @TempDir
    static Path dir;

    private Path consortiumFile;
    private Consortium consortium;
    /** The running participants, by name; a participant killed and restarted is replaced. */
    private final Map<String, BankProcess> participants = new HashMap<>();
    private final List<BankProcess> started = new ArrayList<>();

    @BeforeAll
    void startParticipants() throws Exception {
        List<Member> members = new ArrayList<>();
        for (String name : List.of("alpha", "beta", "gamma")) {
            members.add(new Member(name, "127.0.0.1", LocalConsortium.freePort()));
        }
        consortium = Consortium.of(members);
        consortiumFile = dir.resolve("consortium.txt");
        Files.write(consortiumFile, consortium.lines(), StandardCharsets.UTF_8);
        for (String name : PARTICIPANTS) {
            participants.put(name, start(name, durable(name)));
        }
        for (BankProcess participant : participants.values()) {
            participant.awaitListening(WAIT);
        }
    }

    @AfterAll
    void stopAll() throws Exception {
        for (BankProcess bank : started) {
            bank.close();
        }
    }

    @Test
    void aCommitRecordedBeforeTheCrashCommitsAtEveryParticipantOnceTheCoordinatorIsBack() throws Exception {
        crashBetweenPrepareAndCommit(CrashPoint.AFTER_COMMIT_DECISION, "12345678909", TxState.COMMITTED, false);
    }

    @Test
    void aTransferUndecidedAtTheCrashAbortsAtEveryParticipantOnceTheCoordinatorIsBack() throws Exception {
        crashBetweenPrepareAndCommit(CrashPoint.BEFORE_COMMIT_DECISION, "98765432100", TxState.ABORTED, false);
    }

    @Test
    void participantsKilledWhileInDoubtComeBackWithTheHoldAndCommitOnceTheCoordinatorIsBack() throws Exception {
        crashBetweenPrepareAndCommit(CrashPoint.AFTER_COMMIT_DECISION, "11122233396", TxState.COMMITTED, true);
    }

    /**
     * Crashes alpha at {@code point} in a transfer of 300 from beta to gamma; with {@code killParticipants}, kills
     * beta and gamma too while alpha is down, and restarts them on their data directories.
     */
    private void crashBetweenPrepareAndCommit(CrashPoint point, String owner, TxState expected,
            boolean killParticipants) throws Exception {
        List<String> alphaOptions = durable("alpha-" + owner, "--peer-timeout-ms", "5000", "--hold-timeout-ms",
                "5500");
        List<String> crashing = new ArrayList<>(alphaOptions);
        crashing.addAll(List.of("--crash-at", point.name()));
        BankProcess alpha = start("alpha", crashing);
        BankProcess restarted = null;
        try {
            alpha.awaitListening(WAIT);
            String from = "from-" + owner;
            String to = "to-" + owner;
            for (String bank : List.of("alpha", "beta", "gamma")) {
                try (ConsortiumClient client = customer(bank)) {
                    client.register(owner, "password-" + owner);
                }
            }
            openWithDeposit("beta", owner, from, 1_000);
            openWithDeposit("gamma", owner, to, 0);
            long before = total("beta") + total("gamma");

            try (ConsortiumClient client = customer("alpha")) {
                client.login(owner, "password-" + owner);
                assertThatThrownBy(() -> client.transfer("gamma/" + to, Map.of("beta/" + from, 300L)))
                        .as("alpha dies before answering").isInstanceOf(UncheckedIOException.class);
            }
            assertThat(alpha.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(alpha.process().exitValue()).isEqualTo(CrashPoint.EXIT_STATUS);
            String crash = alpha.await(line -> line.startsWith("crashing"), WAIT);
            String txId = crash.substring(crash.lastIndexOf(' ') + 1);

            // Past the hold timeout the participants ask alpha, find it down, and keep holding.
            awaitStillHeld(txId);
            assertHeld(owner, from, to, before);

            if (killParticipants) {
                for (String name : PARTICIPANTS) {
                    participants.get(name).kill();
                    BankProcess back = start(name, durable(name));
                    participants.put(name, back);
                    back.awaitListening(WAIT);
                    assertThat(back.output()).as(name + " recovered its hold")
                            .containsPattern("recovered \\d+ accounts, \\d+ owners, 0 decisions; "
                                    + "1 transactions in doubt");
                }
                awaitStillHeld(txId); // asked by the restarted banks, which still find alpha down
                assertHeld(owner, from, to, before);
            }

            restarted = start("alpha", alphaOptions);
            restarted.awaitListening(WAIT);
            assertThat(restarted.output()).contains("recovered 0 accounts, 1 owners, "
                    + (expected == TxState.COMMITTED ? 1 : 0) + " decisions; 0 transactions in doubt");
            for (String name : PARTICIPANTS) {
                participants.get(name).await(line -> line.contains("in doubt: " + txId + " resolved as "
                        + expected), WAIT);
            }

            long moved = expected == TxState.COMMITTED ? 300 : 0;
            assertThat(account("beta", owner, from)).isEqualTo(new AccountView(from, "individual", 1_000 - moved,
                    1_000 - moved, List.of(owner)));
            assertThat(account("gamma", owner, to).balance()).isEqualTo(moved);
            assertThat(audit("beta").subList(1, 4)).containsExactly(0L, 0L, 0L);
            assertThat(audit("gamma").subList(1, 4)).containsExactly(0L, 0L, 0L);
            assertThat(total("beta") + total("gamma")).isEqualTo(before);
        } finally { // a failure must not leave alpha's port taken for the next test
            alpha.close();
            if (restarted != null) {
                restarted.close();
            }
        }
    }

    /** Waits until both participants said they keep the transaction held because its coordinator is down. */
    private void awaitStillHeld(String txId) throws InterruptedException {
        for (String name : PARTICIPANTS) {
            participants.get(name).await(line -> line.contains("in doubt: " + txId + " stays held"), WAIT);
        }
    }

    /** Beta holds the 300 it voted to give, gamma expects it, both in doubt, and no money was created or lost. */
    private void assertHeld(String owner, String from, String to, long before) {
        assertThat(account("beta", owner, from)).isEqualTo(new AccountView(from, "individual", 1_000, 700,
                List.of(owner)));
        assertThat(account("gamma", owner, to).balance()).isZero();
        assertThat(audit("beta").subList(1, 4)).as("held, incoming, in doubt").containsExactly(300L, 0L, 1L);
        assertThat(audit("gamma").subList(1, 4)).containsExactly(0L, 300L, 1L);
        assertThat(total("beta") + total("gamma")).isEqualTo(before);
    }

    /** {@return a bank's options: a data directory of this name, the quick settings, and {@code more}} */
    private static List<String> durable(String dataDir, String... more) {
        List<String> options = new ArrayList<>(List.of("--data-dir", dir.resolve("data").resolve(dataDir).toString()));
        options.addAll(QUICK);
        options.addAll(List.of(more));
        return options;
    }

    private BankProcess start(String name, List<String> options) throws Exception {
        BankProcess bank = BankProcess.start(name, consortiumFile, SECRET, dir.resolve(name + ".log"), options);
        started.add(bank);
        return bank;
    }

    private ConsortiumClient customer(String bank) {
        return ConsortiumClient.connect(consortium.find(bank).orElseThrow(), Duration.ofSeconds(20));
    }

    private void openWithDeposit(String bank, String owner, String account, long deposit) {
        try (ConsortiumClient client = customer(bank)) {
            client.login(owner, "password-" + owner);
            client.openAccount(account, "individual", List.of());
            if (deposit > 0) {
                client.deposit(account, deposit);
            }
        }
    }

    private BankClient operator(String bank) {
        return PeerLink.connectionTo(consortium.find(bank).orElseThrow(), SECRET, Duration.ofSeconds(20)).connect();
    }

    private List<Object> audit(String bank) {
        try (BankClient operator = operator(bank)) {
            return Replies.list(operator.execute(Call.raw("AUDIT")), "AUDIT");
        }
    }

    private long total(String bank) {
        return (Long) audit(bank).get(0);
    }

    private AccountView account(String bank, String owner, String account) {
        try (BankClient operator = operator(bank)) {
            return AccountView.readAll(operator.execute(Call.raw("HOLDINGS", owner))).stream()
                    .filter(view -> view.account().equals(account)).findFirst().orElseThrow();
        }
    }
}

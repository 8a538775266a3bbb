package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Position;
import dev.ledger.examples.consortium.ConsortiumClient.BankHoldings;
import dev.ledger.examples.consortium.ConsortiumClient.TransferOutcome;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import dev.ledger.net.ServerErrorException;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three banks of a consortium in this JVM, over TCP: who may send which command, owners and accounts, deposits
 * and withdrawals, cross-bank transfers (all or nothing, owners' sources only, a down bank named), and in-doubt
 * resolution by asking the coordinator.
 */
@Timeout(60)
class ConsortiumBankTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";
    private static final String CY = "71428793860";

    private LocalConsortium banks;

    @BeforeEach
    void openAccounts() throws Exception {
        banks = new LocalConsortium("alpha", "beta", "gamma");
        banks.register(ANA, "alpha", "beta", "gamma");
        banks.register(BO, "alpha", "beta");
        banks.register(CY, "beta", "gamma");
        banks.open("alpha", "ana", "individual", 1_000, ANA);
        banks.open("alpha", "ana-bo", "joint", 500, ANA, BO);
        banks.open("beta", "ana", "individual", 400, ANA);
        banks.open("beta", "bo", "individual", 0, BO);
        banks.open("gamma", "cy", "business", 50, CY);
    }

    @AfterEach
    void stopBanks() {
        banks.close();
    }

    @Test
    void peerCommandsNeedTheConsortiumSecretAndALoginNeverOpensThem() {
        List<List<String>> peerCommands = List.of(List.of("PREPARE", "alpha-x-1", "1000", "ana", "-1"),
                List.of("COMMIT", "alpha-x-1"), List.of("ABORT", "alpha-x-1"), List.of("TXSTATUS", "alpha-x-1"),
                List.of("INDOUBT"), List.of("DECISION", "alpha-x-1"), List.of("CHECKOWNER", ANA, "ana"),
                List.of("HOLDINGS", ANA), List.of("AUDIT"));
        try (BankClient stranger = banks.anonymous("alpha")) {
            for (List<String> command : peerCommands) {
                assertThatThrownBy(() -> stranger.execute(Call.raw(command.toArray(String[]::new))))
                        .as(command.get(0)).isInstanceOfSatisfying(ServerErrorException.class,
                                e -> assertThat(e.kind()).isEqualTo("NOAUTH"));
            }
            stranger.execute(Call.raw("LOGIN", ANA, LocalConsortium.password(ANA)));
            for (List<String> command : peerCommands) {
                assertThatThrownBy(() -> stranger.execute(Call.raw(command.toArray(String[]::new))))
                        .as("logged in, " + command.get(0)).isInstanceOfSatisfying(ServerErrorException.class,
                                e -> assertThat(e.kind()).isEqualTo("NOAUTH"));
            }
            assertThatThrownBy(() -> stranger.auth("not-the-secret-at-all")).hasMessage("ERR invalid password");
            for (List<String> wrong : List.of(List.of("AUTH", "default", "not-the-secret-at-all"),
                    List.of("AUTH", "admin", LocalConsortium.SECRET),
                    List.of("HELLO", "2", "AUTH", "default", "not-the-secret-at-all"))) {
                assertThatThrownBy(() -> stranger.execute(Call.raw(wrong.toArray(String[]::new)))).as(wrong.toString())
                        .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
            }
            assertThatThrownBy(() -> stranger.execute(Call.raw("COMMIT", "alpha-x-1")))
                    .isInstanceOf(ServerErrorException.class).hasMessageStartingWith("NOAUTH");
        }
        for (List<String> asAPeer : List.of(List.of("AUTH", "default", LocalConsortium.SECRET),
                List.of("HELLO", "2", "AUTH", "default", LocalConsortium.SECRET))) {
            try (BankClient redisStyle = banks.anonymous("alpha")) {
                redisStyle.execute(Call.raw(asAPeer.toArray(String[]::new)));
                assertThat(redisStyle.inDoubt()).as(asAPeer.get(0) + " with a user admits a peer").isEmpty();
            }
        }
        assertThat(banks.bank("alpha").bank().position("ana")).isEqualTo(new Position(1_000, 0, 0));
        try (BankClient peer = banks.peer("alpha")) {
            assertThat(peer.inDoubt()).isEmpty();
            assertThat(peer.execute(Call.raw("AUDIT"))).isEqualTo(List.of(1_500L, 0L, 0L, 0L));
            assertThatThrownBy(() -> peer.execute(Call.raw("MYACCOUNTS")))
                    .as("the secret logs nobody in").hasMessageStartingWith("NOAUTH log in first");
        }
    }

    @Test
    void ledgerNetsCommandsThatIgnoreOwnersAreSwitchedOff() {
        // Every built-in of ledger-net's server: none may act on an account without an owner's login.
        List<List<String>> builtIns = List.of(List.of("OPEN", "mine", "100"), List.of("BALANCE", "ana"),
                List.of("DEPOSIT", "ana", "5"), List.of("WITHDRAW", "ana", "5"), List.of("TRANSFER", "ana", "ana-bo",
                        "5"), List.of("MTRANSFER", "ana-bo", "ana", "5"), List.of("SNAPSHOT"), List.of("TOTAL"),
                List.of("ACCOUNTS"));
        try (BankClient stranger = banks.anonymous("alpha"); BankClient peer = banks.peer("alpha")) {
            for (BankClient client : List.of(stranger, peer)) {
                for (List<String> command : builtIns) {
                    assertThatThrownBy(() -> client.execute(Call.raw(command.toArray(String[]::new))))
                            .as(command.get(0)).isInstanceOf(ServerErrorException.class)
                            .hasMessageMatching("(ERR \\w+ is not available at a consortium bank|NOAUTH log in).*");
                }
            }
            stranger.ping();
        }
        assertThat(banks.total()).isEqualTo(1_950);
    }

    @Test
    void registrationChecksTheTaxIdAndPasswordAndLoginsFailAlike() {
        try (ConsortiumClient client = banks.customer("alpha")) {
            for (String bad : List.of("1234567890", "123456789012", "1234567890a", "", "12345 78901",
                    "529.982.247/25", "529982.247-25")) {
                assertThatThrownBy(() -> client.register(bad, "long enough"))
                        .hasMessageStartingWith("ERR a tax id (CPF) is 11 digits");
            }
            for (String wrong : List.of("12345678901", "52998224724", "10000000001")) {
                assertThatThrownBy(() -> client.register(wrong, "long enough"))
                        .hasMessage("ERR '" + wrong + "' is not a valid tax id (CPF): its check digits are wrong");
            }
            for (String repeated : List.of("11111111111", "00000000000", "999.999.999-99")) {
                assertThatThrownBy(() -> client.register(repeated, "long enough"))
                        .hasMessage("ERR '" + repeated + "' is not a valid tax id (CPF): all its digits are the same");
            }
            assertThatThrownBy(() -> client.register("12345678909", "short"))
                    .hasMessage("ERR a password is 8 to 128 characters, got 5");
            assertThatThrownBy(() -> client.register(ANA, "another password"))
                    .hasMessage("ERR tax id " + ANA + " is already registered here");
            assertThatThrownBy(() -> client.login(ANA, "wrong password"))
                    .hasMessage("DENIED invalid tax id or password");
            assertThatThrownBy(() -> client.login("12345678909", "wrong password"))
                    .hasMessage("DENIED invalid tax id or password");
            assertThatThrownBy(client::myAccounts).hasMessageStartingWith("NOAUTH log in first");

            client.login(ANA, LocalConsortium.password(ANA));
            assertThat(client.myAccounts()).extracting(AccountView::account).containsExactly("ana", "ana-bo");
            assertThatThrownBy(() -> client.login(ANA, "wrong password")).hasMessageStartingWith("DENIED");
            assertThatThrownBy(client::myAccounts).as("a failed login ends the previous one")
                    .hasMessageStartingWith("NOAUTH");
        }
    }

    @Test
    void accountTypesTakeTheirNumberOfOwnersAllRegisteredHere() {
        try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
            assertThatThrownBy(() -> ana.openAccount("solo", "individual", List.of(BO)))
                    .hasMessageStartingWith("ERR an individual account has one owner");
            assertThatThrownBy(() -> ana.openAccount("pair", "joint", List.of()))
                    .hasMessage("ERR a joint account needs at least one co-owner");
            assertThatThrownBy(() -> ana.openAccount("pair", "joint", List.of(CY)))
                    .hasMessage("ERR co-owner " + CY + " is not registered at this bank");
            assertThatThrownBy(() -> ana.openAccount("pair", "joint", List.of(ANA)))
                    .hasMessageStartingWith("ERR an owner is named twice");
            assertThatThrownBy(() -> ana.openAccount("pair", "shared", List.of(BO)))
                    .hasMessage("ERR an account type is individual, joint or business, got 'shared'");
            assertThatThrownBy(() -> ana.openAccount("ana", "individual", List.of()))
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_ACCOUNT));
            assertThatThrownBy(() -> ana.openAccount("no spaces", "individual", List.of()))
                    .isInstanceOfSatisfying(LedgerException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ID));
            ana.openAccount("shop", "business", List.of());
            ana.openAccount("family", "JOINT", List.of(BO));
        }
        try (ConsortiumClient bo = banks.loggedIn("alpha", BO)) {
            assertThat(bo.myAccounts()).extracting(AccountView::account, AccountView::type)
                    .containsExactly(tuple("ana-bo", "joint"),
                            tuple("family", "joint"));
        }
    }

    @Test
    void ownersDepositAndWithdrawTheirOwnAccountsAndEitherJointOwnerMaySpend() {
        try (ConsortiumClient bo = banks.loggedIn("alpha", BO); ConsortiumClient cy = banks.loggedIn("beta", CY)) {
            assertThat(bo.withdraw("ana-bo", 200)).hasValue(300);
            assertThat(bo.deposit("ana-bo", 50)).isEqualTo(350);
            assertThat(bo.withdraw("ana-bo", 351)).as("insufficient funds").isEmpty();
            assertThatThrownBy(() -> bo.withdraw("ana", 1)).hasMessage("DENIED alpha/ana is not an account of yours");
            assertThatThrownBy(() -> bo.deposit("nobody", 1)).hasMessage("DENIED alpha/nobody is not an account of "
                    + "yours");
            assertThatThrownBy(() -> cy.deposit("ana", 1)).hasMessage("DENIED beta/ana is not an account of yours");
            assertThatThrownBy(() -> bo.deposit("ana-bo", 0)).isInstanceOfSatisfying(LedgerException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_AMOUNT));
            assertThatThrownBy(() -> bo.deposit("ana-bo", -5)).isInstanceOf(LedgerException.class);
            try (BankClient raw = banks.anonymous("alpha")) {
                raw.execute(Call.raw("LOGIN", BO, LocalConsortium.password(BO)));
                for (String amount : List.of("1e3", "+5", "5.0", "", "99999999999999999999")) {
                    assertThatThrownBy(() -> raw.execute(Call.raw("DEPOSIT", "ana-bo", amount)))
                            .as(amount).hasMessageStartingWith("ERR amount");
                }
            }
        }
        assertThat(banks.bank("alpha").bank().balance("ana-bo")).isEqualTo(350);
        assertThat(banks.total()).isEqualTo(1_950 - 200 + 50);
    }

    @Test
    void aTransferFromSeveralBanksMovesAllOrNothing() throws InterruptedException {
        try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
            TransferOutcome paid = ana.transfer("gamma/cy", sources("alpha/ana", 300, "beta/ana", 100,
                    "alpha/ana-bo", 50));
            assertThat(paid.committed()).as(paid.detail()).isTrue();
            assertThat(paid.detail()).startsWith("alpha-");
            awaitSettled();
            assertThat(balance("alpha", "ana")).isEqualTo(700);
            assertThat(balance("beta", "ana")).isEqualTo(300);
            assertThat(balance("alpha", "ana-bo")).isEqualTo(450);

            TransferOutcome refused = ana.transfer("gamma/cy", sources("alpha/ana", 300, "beta/ana", 301));
            assertThat(refused.committed()).isFalse();
            assertThat(refused.detail()).isEqualTo("insufficient funds at beta: insufficient funds in 'ana' for 301");
            TransferOutcome unknown = ana.transfer("gamma/nobody", sources("alpha/ana", 1));
            assertThat(unknown.detail()).isEqualTo("refused by gamma: unknown account 'nobody'");
        }
        awaitSettled();
        assertThat(balance("alpha", "ana")).isEqualTo(700);
        assertThat(balance("beta", "ana")).isEqualTo(300);
        assertThat(balance("gamma", "cy")).isEqualTo(50 + 450);
        assertThat(banks.total()).isEqualTo(1_950);
    }

    @Test
    void moneyLeavesOnlyAccountsTheLoggedInOwnerOwnsAtWhicheverBank() throws InterruptedException {
        try (ConsortiumClient bo = banks.loggedIn("beta", BO); ConsortiumClient cy = banks.loggedIn("gamma", CY)) {
            assertThat(bo.transfer("beta/bo", sources("alpha/ana-bo", 100)).committed())
                    .as("a joint owner spends from the joint account at another bank").isTrue();
            assertThatThrownBy(() -> bo.transfer("beta/bo", sources("alpha/ana", 100)))
                    .hasMessage("DENIED alpha/ana is not an account of yours");
            assertThatThrownBy(() -> bo.transfer("alpha/ana", sources("beta/ana", 100)))
                    .hasMessage("DENIED beta/ana is not an account of yours");
            assertThatThrownBy(() -> cy.transfer("gamma/cy", sources("beta/bo", 50, "alpha/nobody", 1)))
                    .hasMessageStartingWith("DENIED");
        }
        awaitSettled();
        assertThat(balance("alpha", "ana-bo")).isEqualTo(400);
        assertThat(balance("beta", "bo")).isEqualTo(100);
        assertThat(balance("alpha", "ana")).isEqualTo(1_000);
        assertThat(banks.total()).isEqualTo(1_950);
    }

    @Test
    void malformedTransfersAreRefusedBeforeAnyBankIsAsked() {
        List<List<String>> malformed = List.of(
                List.of("gamma/cy", "alpha/ana"),
                List.of("gamma/cy", "alpha/ana", "10", "beta/ana"),
                List.of("delta/cy", "alpha/ana", "10"),
                List.of("gamma-cy", "alpha/ana", "10"),
                List.of("gamma/cy", "alpha/ana", "0"),
                List.of("gamma/cy", "alpha/ana", "-10"),
                List.of("gamma/cy", "alpha/ana", "ten"),
                List.of("gamma/cy", "alpha/ana", "10", "alpha/ana", "5"),
                List.of("alpha/ana", "alpha/ana", "10"),
                List.of("gamma/c y", "alpha/ana", "10"),
                List.of("gamma/cy", "alpha/ana", "9223372036854775807", "beta/ana", "1"));
        try (BankClient raw = banks.anonymous("alpha")) {
            raw.execute(Call.raw("LOGIN", ANA, LocalConsortium.password(ANA)));
            for (List<String> arguments : malformed) {
                String[] command = Stream.concat(Stream.of("XTRANSFER"),
                        arguments.stream()).toArray(String[]::new);
                assertThatThrownBy(() -> raw.execute(Call.raw(command))).as(String.join(" ", arguments))
                        .satisfiesAnyOf(e -> assertThat(e).isInstanceOfSatisfying(ServerErrorException.class,
                                error -> assertThat(error.kind()).isEqualTo("ERR")),
                                e -> assertThat(e).isInstanceOfSatisfying(LedgerException.class, // an amount
                                        error -> assertThat(error.code()).isEqualTo(ErrorCode.INVALID_AMOUNT)));
            }
            assertThatThrownBy(() -> raw.execute(Call.raw("XTRANSFER", "delta/cy", "alpha/ana", "10")))
                    .hasMessage("ERR unknown bank 'delta'; the consortium is alpha, beta, gamma");
            assertThatThrownBy(() -> raw.execute(Call.raw("XTRANSFER", "alpha/ana", "alpha/ana", "10")))
                    .hasMessage("ERR cannot pay alpha/ana from itself");
        }
        assertThat(banks.bank("alpha").bank().inDoubt()).isEmpty();
        assertThat(banks.total()).isEqualTo(1_950);
    }

    @Test
    void aDownBankAbortsTheTransfersInvolvingItIsNamedAndTheOthersGoOn() throws InterruptedException {
        banks.stop("gamma");
        try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
            TransferOutcome toDown = ana.transfer("gamma/cy", sources("alpha/ana", 10, "beta/ana", 10));
            assertThat(toDown.committed()).isFalse();
            assertThat(toDown.detail()).isEqualTo("bank gamma unreachable; nothing moved");
            assertThat(ana.transfer("beta/ana", sources("gamma/ana", 10)).detail())
                    .startsWith("bank gamma unreachable: cannot connect to").endsWith("; nothing moved");
            assertThat(ana.transfer("beta/ana", sources("alpha/ana", 10)).committed()).isTrue();
            awaitSettled();

            List<BankHoldings> everywhere = ana.allAccounts();
            assertThat(everywhere).extracting(BankHoldings::bank).containsExactly("alpha", "beta", "gamma");
            assertThat(everywhere.get(0).accounts()).extracting(AccountView::account).containsExactly("ana", "ana-bo");
            assertThat(everywhere.get(1).accounts()).extracting(AccountView::balance).containsExactly(410L);
            assertThat(everywhere.get(2).reachable()).isFalse();
            assertThat(everywhere.get(2).unreachable()).contains("cannot connect to 127.0.0.1:"
                    + banks.member("gamma").port());
        }
        assertThat(banks.bank("alpha").bank().position("ana")).isEqualTo(new Position(990, 0, 0));
        assertThat(banks.bank("beta").bank().position("ana")).isEqualTo(new Position(410, 0, 0));
    }

    @Test
    void aParticipantAsksTheCoordinatorAboutTransactionsInDoubt() throws Exception {
        ConsortiumBank beta = banks.bank("beta");
        try (BankClient alphaAsPeer = banks.peer("beta")) {
            // As alpha would prepare them, with a zero hold timeout: in doubt at once.
            assertThat(alphaAsPeer.prepare("alpha-t-1", List.of(Leg.debit("ana", 100)), Duration.ZERO).commit())
                    .isTrue();
            assertThat(alphaAsPeer.prepare("alpha-t-2", List.of(Leg.debit("ana", 50)), Duration.ZERO).commit())
                    .isTrue();
            assertThat(alphaAsPeer.prepare("gamma-t-3", List.of(Leg.debit("ana", 25)), Duration.ZERO).commit())
                    .isTrue();
        }
        banks.decisionLogs.get("alpha").decide("alpha-t-1", TxState.COMMITTED); // alpha decided, beta missed it
        banks.stop("gamma");
        assertThat(beta.bank().position("ana")).isEqualTo(new Position(400, 175, 0));

        assertThat(beta.resolveInDoubt()).isEqualTo(2);

        assertThat(beta.bank().status("alpha-t-1")).isEqualTo(TxState.COMMITTED);
        assertThat(beta.bank().status("alpha-t-2")).as("undecided at alpha: presumed abort").isEqualTo(TxState.ABORTED);
        assertThat(beta.bank().inDoubt()).as("gamma is down: its transaction stays held").containsExactly("gamma-t-3");
        assertThat(beta.bank().position("ana")).isEqualTo(new Position(300, 25, 0));

        banks.start("gamma"); // a new coordinator that never decided gamma-t-3
        assertThat(beta.resolveInDoubt()).isEqualTo(1);
        assertThat(beta.bank().position("ana")).isEqualTo(new Position(300, 0, 0));
        try (BankClient peer = banks.peer("alpha")) {
            assertThatThrownBy(() -> peer.execute(Call.raw("DECISION", "beta-t-9")))
                    .hasMessage("ERR 'beta-t-9' is not a transaction coordinated by alpha");
        }
    }

    private long balance(String bank, String account) {
        return banks.bank(bank).bank().balance(account);
    }

    /** A committed transfer is final when XTRANSFER answers; the participants' commits may still be on the way. */
    private void awaitSettled() throws InterruptedException {
        for (ConsortiumBank bank : banks.banks.values()) {
            assertThat(bank.awaitSettled(Duration.ofSeconds(10))).as(bank.name() + " settled").isTrue();
        }
        for (String bank : banks.banks.keySet()) {
            assertThat(banks.audit(bank).subList(1, 4)).as("held, incoming, in doubt at " + bank)
                    .containsExactly(0L, 0L, 0L);
        }
    }

    private static Map<String, Long> sources(Object... addressesAndAmounts) {
        Map<String, Long> sources = new LinkedHashMap<>();
        for (int i = 0; i < addressesAndAmounts.length; i += 2) {
            sources.put((String) addressesAndAmounts[i], ((Number) addressesAndAmounts[i + 1]).longValue());
        }
        return sources;
    }
}

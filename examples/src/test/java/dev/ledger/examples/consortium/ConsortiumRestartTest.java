package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.examples.consortium.ConsortiumClient.BankHoldings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable banks in this JVM ({@link ConsortiumBank.Builder#dataDir}): after owners registered, opened accounts,
 * paid in and out and moved money across banks, both banks stop and start again on their data directories, and
 * every owner logs in with the same password and finds the same accounts, owners and balances, and can go on.
 */
@Timeout(60)
class ConsortiumRestartTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";

    @TempDir
    Path dir;

    @Test
    void ownersFindTheirAccountsAndBalancesAfterTheBanksRestart() throws Exception {
        try (LocalConsortium banks = new LocalConsortium(dir, "alpha", "beta")) {
            banks.register(ANA, "alpha", "beta");
            banks.register(BO, "alpha");
            banks.open("alpha", "ana-bo", "joint", 1_000, ANA, BO);
            banks.open("alpha", "bo", "individual", 0, BO);
            banks.open("beta", "ana", "individual", 500, ANA);
            try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
                assertThat(ana.withdraw("ana-bo", 50)).hasValue(950);
                Map<String, Long> sources = new LinkedHashMap<>();
                sources.put("beta/ana", 200L);
                sources.put("alpha/ana-bo", 100L);
                assertThat(ana.transfer("alpha/bo", sources).committed()).isTrue();
            }
            banks.awaitSettled();
            List<BankHoldings> anaBefore = allAccounts(banks, ANA);
            List<BankHoldings> boBefore = allAccounts(banks, BO);
            assertThat(anaBefore).extracting(BankHoldings::accounts).containsExactly(
                    List.of(new AccountView("ana-bo", "joint", 850, 850, List.of(ANA, BO))),
                    List.of(new AccountView("ana", "individual", 300, 300, List.of(ANA))));

            banks.stop("alpha");
            banks.stop("beta");
            banks.start("alpha");
            banks.start("beta");

            assertThat(banks.bank("alpha").recovery()).as("alpha coordinated the transfer")
                    .isEqualTo(new ConsortiumBank.Recovery(2, 2, 1, 0, 0));
            assertThat(banks.bank("beta").recovery()).isEqualTo(new ConsortiumBank.Recovery(1, 1, 0, 0, 0));
            assertThat(allAccounts(banks, ANA)).isEqualTo(anaBefore);
            assertThat(allAccounts(banks, BO)).isEqualTo(boBefore);
            assertThat(banks.total()).isEqualTo(850 + 300 + 300);

            try (ConsortiumClient stranger = banks.customer("alpha")) {
                assertThatThrownBy(() -> stranger.login(ANA, "not-the-password"))
                        .hasMessage("DENIED invalid tax id or password");
                assertThatThrownBy(() -> stranger.register(ANA, "another-password"))
                        .hasMessage("ERR tax id " + ANA + " is already registered here");
            }
            try (ConsortiumClient bo = banks.loggedIn("alpha", BO)) {
                assertThatThrownBy(() -> bo.openAccount("ana-bo", "individual", List.of()))
                        .isInstanceOfSatisfying(LedgerException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.DUPLICATE_ACCOUNT));
                assertThat(bo.transfer("beta/ana", Map.of("alpha/bo", 300L)).committed())
                        .as("and money moves on after the restart").isTrue();
            }
            banks.awaitSettled();
            assertThat(banks.bank("beta").bank().balance("ana")).isEqualTo(600);
        }
    }

    private static List<BankHoldings> allAccounts(LocalConsortium banks, String owner) {
        try (ConsortiumClient client = banks.loggedIn("alpha", owner)) {
            return client.allAccounts();
        }
    }
}

package dev.ledger.examples.consortium;

import static dev.ledger.examples.consortium.ConsortiumClient.TransferOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a person, or someone attacking one, meets at a consortium bank's RESP door; the REST door in RestApiTest. */
@Timeout(120)
class HardeningTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";

    @Test
    void oneCustomerFillingTheirAccountBlocksNoOtherCustomer() throws IOException, InterruptedException {
        try (LocalConsortium banks = new LocalConsortium(null, builder -> builder.maxAmount(Long.MAX_VALUE),
                "alpha", "beta")) {
            banks.register(ANA, "alpha");
            banks.register(BO, "alpha", "beta");
            banks.open("alpha", "ana", "individual", 0, ANA);
            banks.open("alpha", "bo", "individual", 100, BO);
            banks.open("alpha", "bo2", "individual", 0, BO);
            banks.open("beta", "bo", "individual", 100, BO);
            try (ConsortiumClient ana = banks.loggedIn("alpha", ANA); ConsortiumClient bo = banks.loggedIn("alpha", BO)) {
                ana.deposit("ana", 9_223_372_036_854_000_000L);
                assertThat(ana.deposit("ana", 765_278)).isEqualTo(9_223_372_036_854_765_278L);
                assertThat(ana.deposit("ana", 10_529)).isEqualTo(Long.MAX_VALUE);
                assertThatThrownBy(() -> ana.deposit("ana", 1)).isInstanceOfSatisfying(LedgerException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.OVERFLOW)).hasMessageContaining("'ana'");

                assertThat(bo.deposit("bo", 1_000)).as("another customer's deposit").isEqualTo(1_100);
                assertThat(bo.transfer("alpha/bo2", Map.of("alpha/bo", 50L)).committed())
                        .as("a transfer between two other accounts of the bank").isTrue();
                assertThat(bo.transfer("alpha/bo2", Map.of("beta/bo", 50L)).committed())
                        .as("a transfer into the bank from another").isTrue();
                TransferOutcome intoFull = bo.transfer("alpha/ana", Map.of("alpha/bo", 1L));
                assertThat(intoFull.committed()).isFalse();
                assertThat(intoFull.detail()).contains("'ana'").contains("past 9223372036854775807");
            }
            banks.awaitSettled();
            assertThat(banks.bank("alpha").bank().balance("bo")).isEqualTo(1_050);
            assertThat(banks.bank("alpha").bank().balance("bo2")).isEqualTo(100);
            assertThat(banks.bank("alpha").bank().balance("ana")).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void repeatedWrongPasswordsLockTheTaxIdOutWhileOthersLogIn() throws IOException {
        AtomicLong clock = new AtomicLong();
        try (LocalConsortium banks = new LocalConsortium(null, builder -> builder.throttle(new LoginThrottle(5, 50,
                Duration.ofSeconds(1), Duration.ofMinutes(15), 1_000, clock::get)), "alpha")) {
            banks.register(ANA, "alpha");
            banks.register(BO, "alpha");
            try (ConsortiumClient guesser = banks.customer("alpha")) {
                for (int i = 0; i < 5; i++) {
                    assertThatThrownBy(() -> guesser.login(ANA, "guess")).hasMessage("DENIED invalid tax id or password");
                }
                assertThatThrownBy(() -> guesser.login(ANA, "guess")).hasMessage("DENIED invalid tax id or password");
                assertThatThrownBy(() -> guesser.login(ANA, LocalConsortium.password(ANA)))
                        .hasMessage("LOCKED too many failed logins for this tax id or from this address: try again "
                                + "in 1 s");
                guesser.login(BO, LocalConsortium.password(BO)); // another tax id from the same address

                clock.addAndGet(Duration.ofSeconds(1).toNanos() + 1);
                assertThatThrownBy(() -> guesser.login(ANA, "guess")).hasMessage("DENIED invalid tax id or password");
                assertThatThrownBy(() -> guesser.login(ANA, LocalConsortium.password(ANA)))
                        .as("each further failure doubles the lockout").hasMessageEndingWith("try again in 2 s");
                clock.addAndGet(Duration.ofSeconds(2).toNanos() + 1);
                guesser.login(ANA, LocalConsortium.password(ANA));
            }
        }
    }

    @Test
    void theDataDirectoryAndTheCustomerFileAreTheOwnersAlone(@TempDir Path dirs) throws IOException {
        Path alpha = dirs.resolve("alpha");
        Files.createDirectories(alpha, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwxr-xr-x")));
        Files.createFile(alpha.resolve(BankStorage.CUSTOMERS), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-r--r--"))); // as an older version left it
        try (LocalConsortium banks = new LocalConsortium(dirs, "alpha", "beta")) {
            banks.register(ANA, "alpha", "beta");
        }
        for (String bank : List.of("alpha", "beta")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirs.resolve(bank))))
                    .as(bank).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirs.resolve(bank)
                    .resolve(BankStorage.CUSTOMERS)))).as(bank).isEqualTo("rw-------");
        }
    }

    @Test
    void refusalsNameTheRealReason() throws IOException {
        try (LocalConsortium banks = new LocalConsortium("alpha", "beta")) {
            banks.register(ANA, "alpha", "beta");
            banks.open("alpha", "home", "individual", 700, ANA);
            banks.open("beta", "home", "individual", 0, ANA);
            try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
                assertThat(ana.deposit("alpha/home", 1)).as("an account of this bank, with the bank named")
                        .isEqualTo(701);
                assertThatThrownBy(() -> ana.deposit("beta/home", 1))
                        .hasMessage("ERR beta/home is at bank beta, not at alpha: deposit and withdraw there");

                Map<String, Long> seventeen = new LinkedHashMap<>();
                for (int i = 0; i < 17; i++) {
                    seventeen.put("alpha/a" + i, 1L);
                }
                assertThatThrownBy(() -> ana.transfer("beta/home", seventeen))
                        .hasMessage("ERR a transfer takes at most 16 sources, got 17");

                TransferOutcome overdraft = ana.transfer("beta/home", Map.of("alpha/home", 702L));
                try (BankClient raw = banks.anonymous("alpha")) {
                    raw.execute(Call.raw("LOGIN", ANA, LocalConsortium.password(ANA)));
                    assertThatThrownBy(() -> raw.execute(Call.raw("XTRANSFER", "beta/home", "alpha/home", "702")))
                            .as("redis-cli sees what the client says").hasMessage("FAILED " + overdraft.detail());
                    assertThatThrownBy(() -> raw.execute(Call.raw("XTRANSFER", "beta/home", "alpha/home",
                            Long.toString(Long.MAX_VALUE)))).hasMessageContaining("an amount is 1 to "
                            + ConsortiumBank.DEFAULT_MAX_AMOUNT + " minor units");
                }
                assertThat(overdraft.detail()).isEqualTo("insufficient funds at alpha: insufficient funds in 'home' "
                        + "for 702");
            }
        }
    }

    @Test
    void aBankWithAnotherSecretIsNamedAsSuchNotAsAWrongPassword() throws IOException {
        try (LocalConsortium banks = new LocalConsortium("alpha", "beta")) {
            banks.register(ANA, "alpha", "beta");
            banks.open("alpha", "home", "individual", 100, ANA);
            banks.open("beta", "home", "individual", 100, ANA);
            banks.stop("beta");
            try (ConsortiumBank impostor = ConsortiumBank.builder("beta", banks.consortium,
                    "not-the-consortium-secret").passwordIterations(PasswordHasher.MIN_ITERATIONS).build().start();
                 ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
                List<String> why = new ArrayList<>();
                ana.allAccounts().stream().filter(bank -> !bank.reachable()).forEach(bank -> why.add(bank.unreachable()));
                assertThat(why).containsExactly("bank beta does not accept the consortium secret of bank alpha: the "
                        + "banks' secrets differ");
                TransferOutcome refused = ana.transfer("alpha/home", Map.of("beta/home", 10L));
                assertThat(refused.committed()).isFalse();
                assertThat(refused.detail()).isEqualTo("bank beta does not accept the consortium secret of bank "
                        + "alpha: the banks' secrets differ; nothing moved");
                assertThat(impostor.name()).isEqualTo("beta");
            }
        }
    }
}

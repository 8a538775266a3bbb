package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Position;
import dev.ledger.examples.consortium.CustomerFile.Opening;
import dev.ledger.examples.consortium.CustomerFile.Registration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bank's customer file: registrations and openings survive a reopen, a line torn by a crash is cut off, damage
 * elsewhere fails the open, and an ownership whose bank account a crash left unopened gets it on recovery.
 */
@Timeout(60)
class CustomerFileTest {
    private static final String ANA = "52998224725";
    private static final String BO = "39053344705";

    @TempDir
    Path dir;

    @Test
    void registrationsAndOpeningsSurviveReopeningInTheirOrder() throws Exception {
        Path file = dir.resolve("customers.log");
        List<CustomerFile.Entry> written = List.of(new Registration(ANA, "pbkdf2-sha256$1000$c2FsdA$aGFzaA"),
                new Registration(BO, "pbkdf2-sha256$1000$c2FsdDI$aGFzaDI"),
                new Opening("ana-bo", AccountType.JOINT, List.of(ANA, BO)));
        try (CustomerFile customers = CustomerFile.open(file)) {
            assertThat(customers.recovered()).isEmpty();
            written.forEach(customers::append);
        }
        Opening later = new Opening("bo", AccountType.INDIVIDUAL, List.of(BO));
        try (CustomerFile customers = CustomerFile.open(file)) {
            assertThat(customers.recovered()).containsExactlyElementsOf(written);
            customers.append(later);
        }
        try (CustomerFile customers = CustomerFile.open(file)) {
            assertThat(customers.recovered()).hasSize(4).last().isEqualTo(later);
        }
    }

    @Test
    void aLineTornByACrashIsCutOffBeforeTheNextEntry() throws Exception {
        Path file = dir.resolve("customers.log");
        Files.writeString(file, "OPENED ana individual " + ANA + "\nOPENED bo indiv", StandardCharsets.UTF_8);

        try (CustomerFile customers = CustomerFile.open(file)) {
            assertThat(customers.recovered()).containsExactly(new Opening("ana", AccountType.INDIVIDUAL,
                    List.of(ANA)));
            customers.append(new Opening("cy", AccountType.BUSINESS, List.of(BO)));
        }
        assertThat(Files.readAllLines(file)).containsExactly("OPENED ana individual " + ANA,
                "OPENED cy business " + BO);
    }

    @Test
    void aDamagedLineBeforeTheEndFailsTheOpenRatherThanLoseACustomer() throws Exception {
        Path file = dir.resolve("customers.log");
        Files.writeString(file, "OPENED ana individual " + ANA + "\nOPENED bo savings " + BO + "\n"
                + "REGISTERED " + BO + " pbkdf2-sha256$1000$c2FsdA$aGFzaA\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CustomerFile.open(file)).isInstanceOf(IOException.class)
                .hasMessageEndingWith("line 2 is not a registration or an opening");
    }

    @Test
    void anOwnershipWhoseBankAccountIsMissingGetsItOpenedWhenTheBankRecovers() throws Exception {
        // A crash after the opening was recorded and before the bank account was opened: the bank has nothing.
        Path alphaData = dir.resolve("alpha");
        Files.createDirectories(alphaData);
        String hash = new PasswordHasher(PasswordHasher.MIN_ITERATIONS).hash(LocalConsortium.password(ANA)
                .toCharArray());
        try (CustomerFile customers = CustomerFile.open(alphaData.resolve(BankStorage.CUSTOMERS))) {
            customers.append(new Registration(ANA, hash));
            customers.append(new Opening("savings", AccountType.INDIVIDUAL, List.of(ANA)));
        }

        try (LocalConsortium banks = new LocalConsortium(dir, "alpha")) {
            assertThat(banks.bank("alpha").recovery()).isEqualTo(new ConsortiumBank.Recovery(1, 1, 0, 0, 1));
            assertThat(banks.bank("alpha").bank().position("savings")).isEqualTo(new Position(0, 0, 0));
            try (ConsortiumClient ana = banks.loggedIn("alpha", ANA)) {
                assertThat(ana.myAccounts()).containsExactly(new AccountView("savings", "individual", 0, 0,
                        List.of(ANA)));
                assertThat(ana.deposit("savings", 250)).isEqualTo(250);
            }
            banks.stop("alpha");

            banks.start("alpha");
            assertThat(banks.bank("alpha").recovery()).as("opened once, and kept")
                    .isEqualTo(new ConsortiumBank.Recovery(1, 1, 0, 0, 0));
            assertThat(banks.bank("alpha").bank().position("savings")).isEqualTo(new Position(250, 0, 0));
        }
    }
}

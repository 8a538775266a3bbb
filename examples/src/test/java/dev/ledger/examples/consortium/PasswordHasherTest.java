package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Passwords are kept as salted PBKDF2 hashes only. */
class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.MIN_ITERATIONS);

    @Test
    void keepsASaltedHashAndNeverThePassword() {
        String first = hasher.hash("correct horse".toCharArray());
        String second = hasher.hash("correct horse".toCharArray());

        assertThat(first).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct", "horse");
        assertThat(first.split("\\$")).hasSize(4);
        assertThat(second).as("a new random salt each time").isNotEqualTo(first);
        assertThat(hasher.verify("correct horse".toCharArray(), first)).isTrue();
        assertThat(hasher.verify("correct horse".toCharArray(), second)).isTrue();
        assertThat(hasher.verify("correct horsf".toCharArray(), first)).isFalse();
        assertThat(hasher.verify("".toCharArray(), first)).isFalse();
    }

    @Test
    void aRecordVerifiesWithTheIterationCountItWasMadeWith() {
        String weaker = hasher.hash("secret password".toCharArray());

        assertThat(new PasswordHasher(2 * PasswordHasher.MIN_ITERATIONS).verify("secret password".toCharArray(),
                weaker)).isTrue();
    }

    @Test
    void ownersEraseThePasswordTheyWereGiven() {
        Owners owners = new Owners(hasher, CustomerFile.inMemory());
        char[] password = "long enough".toCharArray();

        owners.register("12345678909", password);

        assertThat(password).containsOnly('\0');
        assertThat(owners.authenticate("12345678909", "long enough".toCharArray())).isTrue();
        assertThat(owners.authenticate("98765432100", "long enough".toCharArray())).isFalse();
    }
}

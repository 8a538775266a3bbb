package dev.ledger.examples.consortium;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2 password hashes ({@code PBKDF2WithHmacSHA256}, from the JDK): a password is never kept, only
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} with a random 16-byte salt per password. The record carries its
 * iteration count, so raising the count later only affects new passwords, and old records still verify.
 *
 * <p>Concurrency: immutable; {@link SecureRandom} and {@link SecretKeyFactory#getInstance} are thread-safe.
 */
final class PasswordHasher {
    /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023). */
    static final int DEFAULT_ITERATIONS = 600_000;
    /** Below this a hash is too cheap to guess against; tests and the demo use a little more than this. */
    static final int MIN_ITERATIONS = 1_000;
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();

    PasswordHasher(int iterations) {
        if (iterations < MIN_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 needs at least " + MIN_ITERATIONS + " iterations, got "
                    + iterations);
        }
        this.iterations = iterations;
    }

    /**
     * Hashes a password with a new random salt.
     *
     * @param password the password
     * @return the record to store
     */
    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * Checks a password against a stored record, comparing the hashes in constant time.
     *
     * @param password the password to check
     * @param stored a record made by {@link #hash}
     * @return whether the password is the one hashed
     */
    boolean verify(char[] password, String stored) {
        String[] parts = stored.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException("not a " + SCHEME + " record");
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] expected = base64.decode(parts[3]);
        byte[] actual = derive(password, base64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Overwrites a password's characters once it is no longer needed, so it does not linger in memory. */
    static void erase(char[] password) {
        Arrays.fill(password, '\0');
    }
}

package dev.ledger.examples.consortium;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owners registered at one bank: tax id and password hash. The password itself is never stored. Each
 * registration is recorded in the bank's {@link CustomerFile} before it is visible, so a login that worked once
 * works after a restart too.
 *
 * <p>Concurrency: {@code registerLock} serializes registrations: the check that the tax id is free, the durable
 * append and the publication in {@code hashes}, so of two registrations of one tax id only one is recorded, and the
 * file never holds a registration that was refused. {@code hashes} is a concurrent map, read without the lock.
 * Records never change once registered. The password is hashed before the lock is taken.
 */
final class Owners {
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 128;

    private final PasswordHasher hasher;
    private final CustomerFile file;
    private final Object registerLock = new Object();
    /** Password hashes by tax id. Written under registerLock, after the registration is durable. */
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    /** Verified against when the tax id is unknown, so a failed login costs the same either way. */
    private final String decoy;

    /**
     * Creates the owners of a bank, with none registered yet; {@link #restore} adds those of an earlier run.
     *
     * @param hasher hashes new passwords
     * @param file where registrations are recorded before they are visible
     */
    Owners(PasswordHasher hasher, CustomerFile file) {
        this.hasher = hasher;
        this.file = file;
        this.decoy = hasher.hash("not anyone's password".toCharArray());
    }

    /**
     * Restores a registration that the customer file recorded in an earlier run. Called before the bank serves.
     *
     * @param registration the registration
     */
    void restore(CustomerFile.Registration registration) {
        hashes.putIfAbsent(registration.taxId(), registration.passwordHash());
    }

    /**
     * Registers an owner.
     *
     * @param taxId the owner's tax id
     * @param password the password; erased when this returns
     * @throws Refusal if the tax id is malformed or taken, or the password too short or long
     * @throws java.io.UncheckedIOException if the registration could not be recorded; then it is not visible
     */
    void register(String taxId, char[] password) {
        try {
            TaxId.parse(taxId);
            if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
                throw Refusal.badRequest("a password is " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                        + " characters, got " + password.length);
            }
            if (hashes.containsKey(taxId)) { // spares the hash
                throw taken(taxId);
            }
            String hash = hasher.hash(password);
            synchronized (registerLock) {
                if (hashes.containsKey(taxId)) {
                    throw taken(taxId);
                }
                file.append(new CustomerFile.Registration(taxId, hash));
                hashes.put(taxId, hash);
            }
        } finally {
            PasswordHasher.erase(password);
        }
    }

    private static Refusal taken(String taxId) {
        return new Refusal(Refusal.Reason.CONFLICT, "tax id " + taxId + " is already registered here");
    }

    /**
     * Checks an owner's credentials.
     *
     * @param taxId the tax id
     * @param password the password; erased when this returns
     * @return whether the tax id is registered with this password
     */
    boolean authenticate(String taxId, char[] password) {
        try {
            String stored = TaxId.isWellFormed(taxId) ? hashes.get(taxId) : null;
            boolean matches = hasher.verify(password, stored != null ? stored : decoy);
            return stored != null && matches;
        } finally {
            PasswordHasher.erase(password);
        }
    }

    /** {@return whether the tax id is registered here} */
    boolean isRegistered(String taxId) {
        return hashes.containsKey(taxId);
    }

    /** {@return the number of registered owners} */
    int size() {
        return hashes.size();
    }
}

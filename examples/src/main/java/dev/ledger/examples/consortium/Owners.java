package dev.ledger.examples.consortium;

import dev.ledger.net.CommandException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owners registered at one bank: tax id and password hash. The password itself is never stored.
 *
 * <p>Concurrency: {@code hashes} is a concurrent map and a registration is one {@code putIfAbsent}, so two
 * concurrent registrations of one tax id cannot both succeed. Records never change once registered.
 */
final class Owners {
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 128;

    private final PasswordHasher hasher;
    private final Map<String, String> hashes = new ConcurrentHashMap<>();
    /** Verified against when the tax id is unknown, so a failed login costs the same either way. */
    private final String decoy;

    Owners(PasswordHasher hasher) {
        this.hasher = hasher;
        this.decoy = hasher.hash("not anyone's password".toCharArray());
    }

    /**
     * Registers an owner.
     *
     * @param taxId the owner's tax id
     * @param password the password; erased when this returns
     * @throws CommandException if the tax id is malformed or taken, or the password too short or long
     */
    void register(String taxId, char[] password) {
        try {
            TaxId.check(taxId);
            if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
                throw new CommandException("a password is " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                        + " characters, got " + password.length);
            }
            if (hashes.containsKey(taxId) || hashes.putIfAbsent(taxId, hasher.hash(password)) != null) {
                throw new CommandException("tax id " + taxId + " is already registered here");
            }
        } finally {
            PasswordHasher.erase(password);
        }
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
            String stored = TaxId.isValid(taxId) ? hashes.get(taxId) : null;
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

package dev.ledger.examples.consortium;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The web panel's logins: a random token per login, sent as the session cookie, mapped here to the owner's tax id.
 * A token is 256 random bits, so it cannot be guessed or forged; one unused for {@code idleTimeout} expires, and
 * one that is not here (forged, expired, logged out, or from before a restart) logs no one in.
 *
 * <p>Memory is bounded: at {@code maxSessions}, expired sessions are dropped, and if none has expired the oldest
 * login is ended.
 *
 * <p>Concurrency: thread-safe. {@code sessions} is a concurrent map of immutable entries; a use replaces its entry
 * to extend it. The random generator is thread-safe.
 */
final class WebSessions {
    /** The cookie's name before the bank's: browsers keep cookies per host, not per port, so each bank has its own. */
    static final String COOKIE_PREFIX = "ledger_session_";

    private record Entry(String taxId, long created, long lastUsed) {
    }

    private final String cookie;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final long idleTimeout;
    private final int maxSessions;
    private final LongSupplier clock;

    /**
     * Creates the logins of one bank's web panel.
     *
     * @param bank the bank's name, which names the cookie
     * @param idleTimeout how long an unused login lasts
     * @param maxSessions the logins kept at most
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    WebSessions(String bank, Duration idleTimeout, int maxSessions, LongSupplier clock) {
        this.cookie = COOKIE_PREFIX + bank;
        this.idleTimeout = idleTimeout.toNanos();
        this.maxSessions = maxSessions;
        this.clock = clock;
    }

    /** {@return the session cookie's name: one per bank, so a browser can be logged in at several banks at once} */
    String cookie() {
        return cookie;
    }

    /**
     * Logs an owner in.
     *
     * @param taxId the owner
     * @return the new token, for the cookie
     */
    String start(String taxId) {
        long now = clock.getAsLong();
        if (sessions.size() >= maxSessions) {
            sessions.values().removeIf(entry -> expired(entry, now));
            if (sessions.size() >= maxSessions) {
                sessions.entrySet().stream().min((a, b) -> Long.compare(a.getValue().created(), b.getValue().created()))
                        .ifPresent(oldest -> sessions.remove(oldest.getKey()));
            }
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Entry(taxId, now, now));
        return token;
    }

    /**
     * Finds who a token logs in, and extends the login.
     *
     * @param token the cookie's value, or null
     * @return the owner's tax id, or empty for no valid login
     */
    Optional<String> owner(String token) {
        if (token == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        Entry entry = sessions.get(token);
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, now)) {
            sessions.remove(token, entry);
            return Optional.empty();
        }
        sessions.replace(token, entry, new Entry(entry.taxId(), entry.created(), now));
        return Optional.of(entry.taxId());
    }

    /**
     * Ends a login; nothing happens for an unknown token.
     *
     * @param token the cookie's value, or null
     */
    void end(String token) {
        if (token != null) {
            sessions.remove(token);
        }
    }

    private boolean expired(Entry entry, long now) {
        return now - entry.lastUsed() > idleTimeout;
    }
}

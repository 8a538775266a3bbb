package dev.ledger.examples.consortium;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: failed logins are counted per tax id and per client address, and once a key has
 * failed {@code freeAttempts} times in a row it is locked out, first for {@code firstLockout}, then twice as long
 * at each further failure, up to {@code maxLockout}. A locked key is refused before its password is checked, so a
 * guesser also spends none of the bank's hashing time. A success clears the tax id's count; a key with no failure
 * for {@code maxLockout} is forgotten.
 *
 * <p>Addresses get more free attempts than tax ids: people behind one address (a NAT, or this machine in a demo)
 * mistype passwords independently.
 *
 * <p>Memory is bounded: past {@code maxKeys} keys, forgotten and then unlocked keys are dropped first; a locked
 * key is never dropped, so a flood of new keys cannot unlock one under attack.
 *
 * <p>Concurrency: thread-safe. Each key's {@code Entry} is replaced atomically by {@code ConcurrentHashMap.compute};
 * entries are immutable. Two racing failures of one key are both counted.
 */
final class LoginThrottle {
    /** Failures of one key, and until when it is locked (in {@code clock} nanoseconds). */
    private record Entry(int failures, long lockedUntil, long lastFailure) {
    }

    /** How a key fares now. */
    record Verdict(boolean allowed, long retryAfterSeconds) {
        static final Verdict ALLOWED = new Verdict(true, 0);
    }

    private final int taxIdFreeAttempts;
    private final int addressFreeAttempts;
    private final long firstLockout;
    private final long maxLockout;
    private final int maxKeys;
    private final LongSupplier clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Creates a throttle.
     *
     * @param taxIdFreeAttempts failures of one tax id before it is locked
     * @param addressFreeAttempts failures from one address before it is locked
     * @param firstLockout the first lockout; each further failure doubles it
     * @param maxLockout the longest lockout, and how long an idle key is remembered
     * @param maxKeys the keys remembered at most
     * @param clock nanoseconds, as {@link System#nanoTime()}
     */
    LoginThrottle(int taxIdFreeAttempts, int addressFreeAttempts, Duration firstLockout, Duration maxLockout,
            int maxKeys, LongSupplier clock) {
        this.taxIdFreeAttempts = taxIdFreeAttempts;
        this.addressFreeAttempts = addressFreeAttempts;
        this.firstLockout = firstLockout.toNanos();
        this.maxLockout = maxLockout.toNanos();
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** {@return a throttle with the bank's defaults: 5 tries per tax id, 20 per address, 1 s doubling to 15 min} */
    static LoginThrottle standard() {
        return new LoginThrottle(5, 20, Duration.ofSeconds(1), Duration.ofMinutes(15), 100_000, System::nanoTime);
    }

    /**
     * Tells whether a login may be tried now.
     *
     * @param taxId the tax id tried
     * @param address the client's address
     * @return allowed, or refused with when to retry
     */
    Verdict check(String taxId, String address) {
        long now = clock.getAsLong();
        long until = Math.max(lockedUntil(taxIdKey(taxId), now), lockedUntil(addressKey(address), now));
        if (until == 0) {
            return Verdict.ALLOWED;
        }
        return new Verdict(false, Math.max(1, (until - now + 999_999_999L) / 1_000_000_000L));
    }

    /**
     * Counts a failed login.
     *
     * @param taxId the tax id tried
     * @param address the client's address
     * @return whether this failure locked the tax id or the address
     */
    boolean failed(String taxId, String address) {
        long now = clock.getAsLong();
        boolean locked = fail(taxIdKey(taxId), taxIdFreeAttempts, now);
        locked |= fail(addressKey(address), addressFreeAttempts, now);
        if (entries.size() > maxKeys) {
            trim(now);
        }
        return locked;
    }

    /**
     * Clears the tax id's failures after a successful login. The address keeps its count: one success does not
     * excuse a guesser trying many tax ids from it.
     *
     * @param taxId the tax id that logged in
     */
    void succeeded(String taxId) {
        entries.remove(taxIdKey(taxId));
    }

    /** {@return the number of keys remembered} */
    int size() {
        return entries.size();
    }

    private boolean fail(String key, int freeAttempts, long now) {
        Entry entry = entries.compute(key, (unused, old) -> {
            int failures = old == null || forgotten(old, now) ? 1 : old.failures() + 1;
            long lockedUntil = failures <= freeAttempts ? 0 : now + lockout(failures - freeAttempts);
            return new Entry(failures, lockedUntil, now);
        });
        return entry.lockedUntil() != 0;
    }

    /** {@code firstLockout * 2^(excess - 1)}, at most {@code maxLockout}. */
    private long lockout(int excess) {
        long lockout = firstLockout;
        for (int i = 1; i < excess && lockout < maxLockout; i++) {
            lockout *= 2;
        }
        return Math.min(lockout, maxLockout);
    }

    private long lockedUntil(String key, long now) {
        Entry entry = entries.get(key);
        return entry == null || entry.lockedUntil() - now <= 0 ? 0 : entry.lockedUntil();
    }

    private boolean forgotten(Entry entry, long now) {
        return now - entry.lastFailure() > maxLockout;
    }

    /** Drops forgotten keys, then unlocked ones, until within bounds. */
    private void trim(long now) {
        entries.values().removeIf(entry -> forgotten(entry, now));
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && entries.size() > maxKeys; ) {
            if (it.next().lockedUntil() - now <= 0) {
                it.remove();
            }
        }
    }

    private static String taxIdKey(String taxId) {
        return "taxid:" + taxId;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}

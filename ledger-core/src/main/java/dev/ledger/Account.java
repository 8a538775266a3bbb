package dev.ledger;

/**
 * A handle on one account of one {@link Bank}: resolve it once with {@link Bank#account(String)} and pass it to
 * the bank's operations to skip the id lookup on hot paths.
 *
 * <p>A handle is only valid with the bank that issued it; any other bank rejects it with
 * {@link ErrorCode#FOREIGN_ACCOUNT}. Handles compare by identity.
 *
 * <p>Concurrency: {@link #id()}, {@link #ordinal()} and {@link #lock()} are final and safe to read from any thread.
 * The money fields are guarded by this account's lock as the bank's {@link dev.ledger.lock.LockStrategy} defines it
 * (the per-account lock, or the strategy's single global lock); they are written only inside a write section and
 * read only inside a read section. Invariants, holding whenever no write section runs on this account:
 * {@code 0 <= held <= balance} and {@code balance + incoming <= Long.MAX_VALUE}.
 */
public final class Account {
    /** The registry that opened this account: the identity a bank checks handles against, and nothing more. */
    final Object owner;
    private final String id;
    private final int ordinal;
    private final Object lock;

    /** The money on the account, including held money. Guarded by the account's lock. */
    long balance;
    /** Money reserved for prepared outgoing transfers: it cannot be spent. Guarded by the account's lock. */
    long held;
    /** Money reserved for prepared incoming transfers: not yet spendable. Guarded by the account's lock. */
    long incoming;

    Account(Object owner, String id, int ordinal, Object lock, long balance) {
        this.owner = owner;
        this.id = id;
        this.ordinal = ordinal;
        this.lock = lock;
        this.balance = balance;
    }

    /**
     * Tells whether a bank accepts {@code id} as an account id: 1 to 64 characters of {@code [A-Za-z0-9_.-]}.
     *
     * @param id a candidate id, or null
     * @return whether it is valid
     */
    public static boolean isValidId(String id) {
        if (id == null || id.isEmpty() || id.length() > 64) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '.' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks an id against {@link #isValidId}.
     *
     * @param id a candidate id, or null
     * @return the id
     * @throws LedgerException {@code INVALID_ID} if it is not a valid account id
     */
    static String checkId(String id) {
        if (!isValidId(id)) {
            String shown = id == null ? "null" : "'" + (id.length() > 80 ? id.substring(0, 80) + "..." : id) + "'";
            throw new LedgerException(ErrorCode.INVALID_ID,
                    "account id must be 1 to 64 characters of [A-Za-z0-9_.-], got " + shown);
        }
        return id;
    }

    /** {@return the account's id, which matches {@code [A-Za-z0-9_.-]{1,64}}} */
    public String id() {
        return id;
    }

    /**
     * {@return the account's creation index in its bank: 0 for the first account opened, then 1, 2 and so on}
     * It is the global lock order: strategies that lock several accounts lock them by ascending ordinal.
     */
    public int ordinal() {
        return ordinal;
    }

    /**
     * {@return the lock object that the bank's lock strategy made for this account with
     * {@link dev.ledger.lock.LockStrategy#newLock()}, or {@code null} if the strategy keeps no per-account lock}
     * Only the strategy may use it.
     */
    public Object lock() {
        return lock;
    }

    /** {@return the account's id} */
    @Override
    public String toString() {
        return id;
    }
}

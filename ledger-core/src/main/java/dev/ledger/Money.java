package dev.ledger;

/**
 * The rules every operation applies to amounts: positive, never wrapping around, and never taking an account's
 * balance plus the credits promised to it past {@link Long#MAX_VALUE}. Overflow is a property of each account, not
 * of the bank, so one customer's large balance cannot refuse anyone else's operation.
 *
 * <p>Concurrency: stateless. {@link #room} reads an account's money fields, so it runs inside a section holding
 * that account's lock.
 */
final class Money {
    private Money() {
    }

    /** {@return how much more an account can be paid: its lock must be held} */
    static long room(Account account) {
        return Long.MAX_VALUE - account.balance - account.incoming;
    }

    static LedgerException overflow(Account account, long amount) {
        return new LedgerException(ErrorCode.OVERFLOW, overflowMessage(account, amount));
    }

    static String overflowMessage(Account account, long amount) {
        return "adding " + amount + " to account '" + account.id()
                + "' would take its balance plus the credits promised to it past " + Long.MAX_VALUE;
    }

    static void checkPositive(long amount) {
        if (amount <= 0) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT, "amount must be positive, got " + amount);
        }
    }

    static long addChecked(long a, long b, String what) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new LedgerException(ErrorCode.OVERFLOW, what + " overflows a long");
        }
    }
}

package dev.ledger;

import java.math.BigInteger;

/**
 * A sum of balances that is exact past {@link Long#MAX_VALUE}: 128 bits kept as two longs, so that adding never
 * allocates and never throws, as a read section that may see a torn read must not. Balances are never negative, so
 * the sum only grows by carries out of the low word.
 *
 * <p>Concurrency: not thread-safe. A bank's total is summed on the calling thread; a {@link Snapshot}'s is summed in
 * its constructor and never changed after.
 */
final class Total {
    /** The sum's low 64 bits, unsigned. */
    private long low;
    /** The sum's bits above the low 64: the carries out of {@code low}. */
    private long high;

    /** Starts again from zero: an optimistic read section may run more than once. */
    void clear() {
        low = 0;
        high = 0;
    }

    /** Adds a balance, which is zero or more. */
    void add(long balance) {
        long sum = low + balance;
        if (Long.compareUnsigned(sum, low) < 0) {
            high++;
        }
        low = sum;
    }

    /**
     * Returns the sum as a long.
     *
     * @param what what the sum is, for the message
     * @return the sum
     * @throws LedgerException {@code OVERFLOW} if the sum does not fit a long
     */
    long toLong(String what) {
        if (high != 0 || low < 0) {
            throw new LedgerException(ErrorCode.OVERFLOW,
                    what + ", " + exact() + ", does not fit a long; use totalExact()");
        }
        return low;
    }

    /** {@return the exact sum} */
    BigInteger exact() {
        BigInteger sum = BigInteger.valueOf(high).shiftLeft(64).add(BigInteger.valueOf(low & Long.MAX_VALUE));
        return low < 0 ? sum.setBit(63) : sum;
    }
}

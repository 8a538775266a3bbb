package dev.ledger.net.internal;

/** Strict decimal parsing of RESP integers and of amounts, straight from bytes. */
public final class Numbers {
    private Numbers() {
    }

    /**
     * Parses {@code -?[0-9]+} that fits a {@code long}. Anything else is refused: a sign {@code +}, an exponent,
     * spaces, an empty string, an overflow.
     *
     * @throws NumberFormatException whose message says which: {@code empty}, {@code not an integer} or
     *     {@code out of range}
     */
    public static long parseLong(byte[] bytes, int offset, int length) {
        if (length == 0) {
            throw new NumberFormatException("empty");
        }
        int i = offset;
        int end = offset + length;
        boolean negative = bytes[i] == '-';
        if (negative && ++i == end) {
            throw new NumberFormatException("not an integer");
        }
        // Accumulate negatively: the negative range is one larger, so Long.MIN_VALUE parses too.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplicationLimit = limit / 10;
        long result = 0;
        boolean overflow = false;
        for (; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new NumberFormatException("not an integer");
            }
            if (result < multiplicationLimit || result * 10 < limit + digit) {
                overflow = true; // keep scanning: "99999999999999999999x" is not an integer, not out of range
            } else {
                result = result * 10 - digit;
            }
        }
        if (overflow) {
            throw new NumberFormatException("out of range");
        }
        return negative ? result : -result;
    }

    /** Returns the number of bytes {@code value} takes in decimal, sign included. */
    static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int length = 1;
        if (value < 0) {
            length++;
            value = -value;
        }
        while (value >= 10) {
            value /= 10;
            length++;
        }
        return length;
    }
}

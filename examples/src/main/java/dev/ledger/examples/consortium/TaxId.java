package dev.ledger.examples.consortium;

/**
 * An owner's tax id, a Brazilian CPF: 11 digits, the last two check digits of the first nine, written plain
 * ({@code 52998224725}) or punctuated ({@code 529.982.247-25}). The id that names an owner at every bank of the
 * consortium, always kept as its 11 digits. Ids of one repeated digit ({@code 11111111111}) pass the check-digit
 * test but are not issued, and are refused.
 */
final class TaxId {
    private static final int LENGTH = 11;

    private TaxId() {
    }

    /**
     * Reads a tax id, plain or punctuated, and checks it.
     *
     * @param text what the client sent
     * @return the tax id as 11 digits
     * @throws Refusal {@link Refusal.Reason#BAD_REQUEST BAD_REQUEST} naming the problem
     */
    static String parse(String text) {
        String digits = digits(text);
        if (digits == null) {
            throw Refusal.badRequest("a tax id (CPF) is 11 digits, as 52998224725 or 529.982.247-25; got '"
                    + Texts.shorten(String.valueOf(text)) + "'");
        }
        if (!hasValidCheckDigits(digits)) {
            throw Refusal.badRequest("'" + Texts.shorten(text) + "' is not a valid tax id (CPF): "
                    + (isOneDigitRepeated(digits) ? "all its digits are the same" : "its check digits are wrong"));
        }
        return digits;
    }

    /** {@return whether the text is a valid tax id, plain or punctuated} */
    static boolean isValid(String text) {
        String digits = digits(text);
        return digits != null && hasValidCheckDigits(digits);
    }

    /**
     * {@return whether the text is 11 digits, whatever its check digits} For what the bank wrote itself or a peer
     * sends: ids that passed {@link #parse} where they came in, or were registered before check digits were checked.
     */
    static boolean isWellFormed(String text) {
        return text != null && text.length() == LENGTH && allDigits(text, 0, LENGTH);
    }

    /** {@return the tax id punctuated for people: {@code 529.982.247-25}} */
    static String format(String taxId) {
        return taxId.substring(0, 3) + "." + taxId.substring(3, 6) + "." + taxId.substring(6, 9) + "-"
                + taxId.substring(9);
    }

    /** {@return the tax id with its middle hidden, for logs: {@code 529.***.***-25}} */
    static String masked(String taxId) {
        return isValid(taxId) ? taxId.substring(0, 3) + ".***.***-" + taxId.substring(9) : "(malformed)";
    }

    /** {@return the 11 digits of {@code ddddddddddd} or {@code ddd.ddd.ddd-dd}, or null for anything else} */
    private static String digits(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() == LENGTH) {
            return allDigits(text, 0, LENGTH) ? text : null;
        }
        if (text.length() == 14 && text.charAt(3) == '.' && text.charAt(7) == '.' && text.charAt(11) == '-'
                && allDigits(text, 0, 3) && allDigits(text, 4, 7) && allDigits(text, 8, 11)
                && allDigits(text, 12, 14)) {
            return text.substring(0, 3) + text.substring(4, 7) + text.substring(8, 11) + text.substring(12);
        }
        return null;
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasValidCheckDigits(String digits) {
        return !isOneDigitRepeated(digits) && checkDigit(digits, 9) == digits.charAt(9) - '0'
                && checkDigit(digits, 10) == digits.charAt(10) - '0';
    }

    /** The check digit over the first {@code count} digits, weighted {@code count + 1} down to 2. */
    private static int checkDigit(String digits, int count) {
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += (digits.charAt(i) - '0') * (count + 1 - i);
        }
        return sum * 10 % 11 % 10;
    }

    private static boolean isOneDigitRepeated(String digits) {
        return digits.chars().allMatch(c -> c == digits.charAt(0));
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.net.CommandException;

/** An owner's tax id: exactly 11 decimal digits. The id that names an owner at every bank of the consortium. */
final class TaxId {
    private TaxId() {
    }

    /**
     * Checks a tax id's format.
     *
     * @param text what the client sent
     * @return the tax id
     * @throws CommandException {@code -ERR} naming the problem
     */
    static String check(String text) {
        if (!isValid(text)) {
            throw new CommandException("a tax id is 11 digits, got '" + Texts.shorten(String.valueOf(text)) + "'");
        }
        return text;
    }

    /** {@return whether the text is 11 ASCII digits} */
    static boolean isValid(String text) {
        if (text == null || text.length() != 11) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}

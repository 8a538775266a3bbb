package dev.ledger.examples.consortium;

import java.util.Locale;

/** What kind of account it is, which decides how many owners it has. */
enum AccountType {
    /** One owner. */
    INDIVIDUAL,
    /** Two or more owners, any of whom may spend from it. */
    JOINT,
    /** A business's account: one or more owners, the people who may act for it. */
    BUSINESS;

    /**
     * Reads a type by its lower-case name.
     *
     * @param text {@code individual}, {@code joint} or {@code business}, in any case
     * @return the type
     * @throws Refusal naming the choices
     */
    static AccountType parse(String text) {
        for (AccountType type : values()) {
            if (type.label().equalsIgnoreCase(text)) {
                return type;
            }
        }
        throw Refusal.badRequest("an account type is individual, joint or business, got '" + text + "'");
    }

    /** {@return the type's name as written in commands: {@code individual}, {@code joint} or {@code business}} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks the number of owners for this type.
     *
     * @param owners the number of owners, the opener included
     * @throws Refusal if the type does not allow that many
     */
    void checkOwnerCount(int owners) {
        if (this == INDIVIDUAL && owners != 1) {
            throw Refusal.badRequest("an individual account has one owner; name co-owners only for a joint "
                    + "or business account");
        }
        if (this == JOINT && owners < 2) {
            throw Refusal.badRequest("a joint account needs at least one co-owner");
        }
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.Account;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;

/**
 * The consortium's account ids. The rule is the library's, {@link Account#isValidId}; this only turns a refusal
 * into the module's error and words it for a person.
 *
 * <p>Stateless.
 */
final class AccountIds {
    private AccountIds() {
    }

    /**
     * Checks an account id's format, as the bank would when it opens the account.
     *
     * @param account the id
     * @return the id
     * @throws LedgerException {@code INVALID_ID}
     */
    static String require(String account) {
        if (!Account.isValidId(account)) {
            throw new LedgerException(ErrorCode.INVALID_ID, whyInvalid(account));
        }
        return account;
    }

    /** {@return why an id that {@link Account#isValidId} refuses is not one, for a person} */
    static String whyInvalid(String account) {
        return "an account id is 1 to 64 characters of [A-Za-z0-9_.-], got '" + Texts.shorten(String.valueOf(account))
                + "'";
    }
}

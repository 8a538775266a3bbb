package dev.ledger.examples.consortium;

import dev.ledger.net.ProtocolViolationException;
import dev.ledger.net.Reply;
import java.util.List;

/**
 * One account as an owner sees it, and how it travels in replies: an array of
 * {@code [account, type, balance, available, owners]}, the owners' tax ids joined by commas.
 *
 * @param account the account's id at its bank
 * @param type {@code individual}, {@code joint} or {@code business}
 * @param balance the balance, held money included
 * @param available what can be spent now: the balance less money held for prepared transfers
 * @param owners the owners' tax ids
 */
record AccountView(String account, String type, long balance, long available, List<String> owners) {
    private static final int FIELDS = 5;

    AccountView {
        owners = List.copyOf(owners);
    }

    /** Writes the account as one array value. */
    void write(Reply reply) {
        reply.array(FIELDS);
        reply.bulk(account);
        reply.bulk(type);
        reply.integer(balance);
        reply.integer(available);
        reply.bulk(String.join(",", owners));
    }

    /** Writes a list of accounts as one array value. */
    static void writeAll(List<AccountView> accounts, Reply reply) {
        reply.array(accounts.size());
        accounts.forEach(account -> account.write(reply));
    }

    /**
     * Reads what {@link #writeAll} wrote, as {@link dev.ledger.net.Call#raw} decodes it.
     *
     * @param value the reply
     * @return the accounts
     * @throws ProtocolViolationException if the reply has another shape
     */
    static List<AccountView> readAll(Object value) {
        return Replies.list(value, "accounts").stream().map(AccountView::read).toList();
    }

    private static AccountView read(Object value) {
        List<Object> fields = Replies.list(value, "an account");
        if (fields.size() != FIELDS) {
            throw new ProtocolViolationException("an account has " + FIELDS + " fields, got " + fields.size());
        }
        String owners = Replies.string(fields.get(4), "owners");
        return new AccountView(Replies.string(fields.get(0), "account"), Replies.string(fields.get(1), "type"),
                Replies.integer(fields.get(2), "balance"), Replies.integer(fields.get(3), "available"),
                owners.isEmpty() ? List.of() : List.of(owners.split(",")));
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who owns which account at one bank, and each account's type. The money itself is in the {@link Bank}.
 *
 * <p>An account's owners never change once it is open, so a check "does this owner own that account" stays
 * true: the coordinating bank of a transfer may check ownership first and prepare afterwards without a race.
 *
 * <p><b>Durability.</b> An opening is recorded in the bank's {@link CustomerFile} first, then the account is
 * opened in the bank with a zero balance, and only then is it visible here. A crash in between leaves an ownership
 * whose bank account is missing, and {@link #restore} opens that account when the bank starts again. Never the
 * other way round: a bank account without a recorded owner could receive money that nobody can reach. If the bank
 * refuses the account after the ownership was recorded (its journal failed), the opening is refused now and
 * completed at the next start.
 *
 * <p>Concurrency: {@code openLock} serializes openings (the check that the id is free, the durable record, the
 * bank account and the publication), so the customer file holds no opening that was refused as a duplicate.
 * {@code accounts} and {@code byOwner} are concurrent maps, written under the lock and read without it; an
 * opening writes {@code accounts} before {@code byOwner}, so a reader that sees the index entry also sees the
 * record.
 */
final class AccountBook {
    /** An open account's owners and type. */
    private record Ownership(AccountType type, List<String> owners) {
    }

    private final Bank bank;
    private final Owners registered;
    private final CustomerFile file;
    private final Object openLock = new Object();
    /** Ownerships by account. Written under openLock. */
    private final Map<String, Ownership> accounts = new ConcurrentHashMap<>();
    /** Accounts by owner. Written under openLock, after {@code accounts}. */
    private final Map<String, Set<String>> byOwner = new ConcurrentHashMap<>();

    /**
     * Creates the book of a bank, with no account yet; {@link #restore} adds those of an earlier run.
     *
     * @param bank the bank that holds the accounts' money
     * @param registered the bank's registered owners
     * @param file where openings are recorded before the bank account is opened
     */
    AccountBook(Bank bank, Owners registered, CustomerFile file) {
        this.bank = bank;
        this.registered = registered;
        this.file = file;
    }

    /**
     * Opens an account with a zero balance.
     *
     * @param account the new account's id
     * @param type its type
     * @param owners its owners, the opener first; each registered at this bank, none twice
     * @throws Refusal if the owners do not fit the type or one is not registered here
     * @throws LedgerException {@code INVALID_ID} or {@code DUPLICATE_ACCOUNT}
     * @throws java.io.UncheckedIOException if the opening could not be recorded; then it is not visible
     */
    void open(String account, AccountType type, List<String> owners) {
        Set<String> distinct = new LinkedHashSet<>(owners);
        if (distinct.size() != owners.size()) {
            throw Refusal.badRequest("an owner is named twice: " + String.join(" ", owners));
        }
        type.checkOwnerCount(owners.size());
        for (String owner : owners) {
            if (!registered.isRegistered(owner)) {
                throw Refusal.badRequest("co-owner " + owner + " is not registered at this bank");
            }
        }
        AccountIds.require(account);
        synchronized (openLock) {
            if (accounts.containsKey(account) || bank.find(account).isPresent()) {
                throw new LedgerException(ErrorCode.DUPLICATE_ACCOUNT, "account '" + account + "' already exists");
            }
            CustomerFile.Opening opening = new CustomerFile.Opening(account, type, owners);
            file.append(opening);
            bank.open(account, 0);
            publish(opening);
        }
    }

    /**
     * Restores an opening that the customer file recorded in an earlier run, and opens its bank account with a
     * zero balance if the bank does not have it (the earlier run crashed in between). Called before the bank
     * serves.
     *
     * @param opening the opening
     * @return whether the bank account was missing and has been opened
     */
    boolean restore(CustomerFile.Opening opening) {
        synchronized (openLock) {
            boolean missing = bank.find(opening.account()).isEmpty();
            if (missing) {
                bank.open(opening.account(), 0);
            }
            publish(opening);
            return missing;
        }
    }

    /** Makes an opening visible. Runs under openLock. */
    private void publish(CustomerFile.Opening opening) {
        accounts.put(opening.account(), new Ownership(opening.type(), opening.owners()));
        for (String owner : opening.owners()) {
            byOwner.computeIfAbsent(owner, unused -> ConcurrentHashMap.newKeySet()).add(opening.account());
        }
    }

    /** {@return the number of accounts with their owners} */
    int size() {
        return accounts.size();
    }

    /** {@return whether the tax id is one of the account's owners; false for an unknown account} */
    boolean owns(String taxId, String account) {
        Ownership ownership = accounts.get(account);
        return ownership != null && ownership.owners().contains(taxId);
    }

    /** {@return the owner's accounts at this bank, by id, with their balances now} */
    List<AccountView> holdings(String taxId) {
        List<AccountView> views = new ArrayList<>();
        for (String account : byOwner.getOrDefault(taxId, Set.of())) {
            Ownership ownership = accounts.get(account);
            Position position = bank.position(account);
            views.add(new AccountView(account, ownership.type().label(), position.balance(), position.available(),
                    ownership.owners()));
        }
        views.sort(Comparator.comparing(AccountView::account));
        return views;
    }
}

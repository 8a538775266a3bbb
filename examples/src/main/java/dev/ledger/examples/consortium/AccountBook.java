package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.Position;
import dev.ledger.net.CommandException;
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
 * <p>Concurrency: {@code openLock} serializes openings; {@code accounts} and {@code byOwner} are concurrent maps,
 * read without the lock. An opening opens the bank account first (zero balance, so nobody can spend or see it
 * yet), then records it in {@code accounts}, then indexes it by owner; a reader that sees the index entry also
 * sees the record.
 */
final class AccountBook {
    /** An open account's owners and type. */
    private record Ownership(AccountType type, List<String> owners) {
    }

    private final Bank bank;
    private final Owners registered;
    private final Object openLock = new Object();
    private final Map<String, Ownership> accounts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byOwner = new ConcurrentHashMap<>();

    AccountBook(Bank bank, Owners registered) {
        this.bank = bank;
        this.registered = registered;
    }

    /**
     * Opens an account with a zero balance.
     *
     * @param account the new account's id
     * @param type its type
     * @param owners its owners, the opener first; each registered at this bank, none twice
     * @throws CommandException if the owners do not fit the type or one is not registered here
     * @throws dev.ledger.LedgerException {@code INVALID_ID} or {@code DUPLICATE_ACCOUNT}
     */
    void open(String account, AccountType type, List<String> owners) {
        Set<String> distinct = new LinkedHashSet<>(owners);
        if (distinct.size() != owners.size()) {
            throw new CommandException("an owner is named twice: " + String.join(" ", owners));
        }
        type.checkOwnerCount(owners.size());
        for (String owner : owners) {
            TaxId.check(owner);
            if (!registered.isRegistered(owner)) {
                throw new CommandException("co-owner " + owner + " is not registered at this bank");
            }
        }
        synchronized (openLock) {
            bank.open(account, 0);
            accounts.put(account, new Ownership(type, List.copyOf(owners)));
            for (String owner : owners) {
                byOwner.computeIfAbsent(owner, unused -> ConcurrentHashMap.newKeySet()).add(account);
            }
        }
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

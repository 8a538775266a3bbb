package dev.ledger.examples.consortium;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Receipt;
import dev.ledger.examples.consortium.CrossBankTransfer.Address;
import dev.ledger.examples.consortium.CrossBankTransfer.Source;
import dev.ledger.examples.consortium.Peers.Answer;
import dev.ledger.net.Call;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What a bank's customers can do, written once for both front doors: the RESP commands ({@link CustomerCommands})
 * and the REST API ({@link RestApi}) parse their own syntax, call these methods, and say a {@link Refusal} in their
 * own words. Every rule about customers' input lives here or below (tax ids in {@link TaxId}, account ids in
 * {@link AccountBook}, types in {@link AccountType}, amounts in {@link #amount}).
 *
 * <p>Concurrency: thread-safe; stateless apart from its collaborators, which are thread-safe.
 */
final class CustomerService {
    /** Sources per transfer: enough for any person, few enough that one request stays small. */
    static final int MAX_SOURCES = 16;

    /**
     * One bank's answer about an owner's accounts, in the consortium's order.
     *
     * @param bank the bank's name
     * @param accounts its accounts, or an empty list if the bank did not answer
     * @param unreachable why the bank did not answer, or null if it did
     * @param <T> what is shown of each account
     */
    record AtBank<T>(String bank, List<T> accounts, String unreachable) {
        boolean reachable() {
            return unreachable == null;
        }
    }

    /**
     * An account as anyone may see it, to pick it as a destination: where it is and its type, never its money.
     *
     * @param bank the bank's name
     * @param account the account's id there
     * @param type its type's label
     */
    record AccountRef(String bank, String account, String type) {
    }

    /**
     * One source of a transfer as the customer wrote it.
     *
     * @param account {@code bank/account}
     * @param amount in minor units
     */
    record SourceText(String account, long amount) {
    }

    private final String bankName;
    private final Consortium consortium;
    private final Bank bank;
    private final Owners owners;
    private final AccountBook book;
    private final Peers peers;
    private final CrossBankTransfer transfers;
    private final LoginThrottle throttle;
    private final long maxAmount;

    CustomerService(String bankName, Consortium consortium, Bank bank, Owners owners, AccountBook book, Peers peers,
            CrossBankTransfer transfers, LoginThrottle throttle, long maxAmount) {
        this.bankName = bankName;
        this.consortium = consortium;
        this.bank = bank;
        this.owners = owners;
        this.book = book;
        this.peers = peers;
        this.transfers = transfers;
        this.throttle = throttle;
        this.maxAmount = maxAmount;
    }

    /** {@return this bank's name} */
    String bankName() {
        return bankName;
    }

    /** {@return every bank's name, in the consortium's order} */
    List<String> banks() {
        return consortium.names();
    }

    /**
     * Registers an owner at this bank.
     *
     * @param taxId a tax id, plain or punctuated
     * @param password the password; erased when this returns
     * @return the tax id as 11 digits
     */
    String register(String taxId, char[] password) {
        String owner;
        try {
            owner = TaxId.parse(taxId);
        } catch (Refusal malformed) {
            PasswordHasher.erase(password);
            throw malformed;
        }
        owners.register(owner, password);
        return owner;
    }

    /**
     * Checks an owner's credentials, unless too many logins failed lately for the tax id or from the address.
     *
     * @param taxId a tax id, plain or punctuated
     * @param password the password; erased when this returns
     * @param address the client's address, for the rate limit and the security log
     * @return the tax id as 11 digits
     * @throws Refusal {@code UNAUTHORIZED} for wrong credentials, {@code TOO_MANY_ATTEMPTS} when locked out
     */
    String login(String taxId, char[] password, String address) {
        String owner;
        try {
            owner = TaxId.parse(taxId);
            LoginThrottle.Verdict verdict = throttle.check(owner, address);
            if (!verdict.allowed()) {
                SecurityLog.loginRefused(bankName, owner, address, verdict.retryAfterSeconds());
                throw new Refusal(Refusal.Reason.TOO_MANY_ATTEMPTS, "too many failed logins for this tax id or "
                        + "from this address: try again in " + verdict.retryAfterSeconds() + " s",
                        verdict.retryAfterSeconds());
            }
        } catch (Refusal refused) {
            PasswordHasher.erase(password);
            throw refused;
        }
        if (!owners.authenticate(owner, password)) {
            boolean locked = throttle.failed(owner, address);
            SecurityLog.loginFailed(bankName, owner, address, locked);
            throw new Refusal(Refusal.Reason.UNAUTHORIZED, "invalid tax id or password");
        }
        throttle.succeeded(owner);
        return owner;
    }

    /**
     * Opens an account at this bank, with a zero balance.
     *
     * @param owner the logged-in owner, its first owner
     * @param account the new account's id
     * @param type {@code individual}, {@code joint} or {@code business}
     * @param coOwners the other owners' tax ids, plain or punctuated
     * @return the new account
     */
    AccountView open(String owner, String account, String type, List<String> coOwners) {
        AccountType accountType = AccountType.parse(type);
        if (coOwners.size() > MAX_SOURCES) {
            throw Refusal.badRequest("an account has at most " + (MAX_SOURCES + 1) + " owners, got "
                    + (coOwners.size() + 1));
        }
        List<String> accountOwners = new ArrayList<>(List.of(owner));
        for (String coOwner : coOwners) {
            accountOwners.add(TaxId.parse(coOwner));
        }
        book.open(account, accountType, accountOwners);
        return book.holdings(owner).stream().filter(view -> view.account().equals(account)).findFirst()
                .orElseThrow();
    }

    /** {@return the owner's accounts at this bank} */
    List<AccountView> holdings(String owner) {
        return book.holdings(owner);
    }

    /**
     * The owner's accounts at every bank; the other banks are asked at once, each call with a timeout.
     *
     * @param owner the logged-in owner
     * @return each bank's accounts, or why it did not answer, in the consortium's order
     */
    List<AtBank<AccountView>> allAccounts(String owner) {
        return atEveryBank(owner, (bank, views) -> views);
    }

    /**
     * The accounts a tax id holds at every bank, to pick one as a destination: where and of what type, never
     * their money.
     *
     * @param taxId a tax id, plain or punctuated
     * @return each bank's accounts of that tax id, or why it did not answer, in the consortium's order
     */
    List<AtBank<AccountRef>> accountsOf(String taxId) {
        String owner = TaxId.parse(taxId);
        return atEveryBank(owner, (bank, views) -> views.stream()
                .map(view -> new AccountRef(bank, view.account(), view.type())).toList());
    }

    /** Asks every other bank at once for the owner's accounts; {@code shown} picks what is shown of them. */
    private <T> List<AtBank<T>> atEveryBank(String owner, BiFunction<String, List<AccountView>, List<T>> shown) {
        List<String> others = consortium.names().stream().filter(name -> !name.equals(bankName)).toList();
        Map<String, Answer<List<AccountView>>> answers = peers.askEach(others,
                link -> AccountView.readAll(link.call(Call.raw("HOLDINGS", owner))));
        List<AtBank<T>> result = new ArrayList<>();
        for (String name : consortium.names()) {
            if (name.equals(bankName)) {
                result.add(new AtBank<>(name, shown.apply(name, book.holdings(owner)), null));
                continue;
            }
            Answer<List<AccountView>> answer = answers.get(name);
            if (answer.answered()) {
                result.add(new AtBank<>(name, shown.apply(name, answer.value()), null));
            } else { // the bank is named already: say only why, unless it refuses this bank's secret
                String why = Peers.rejectsSecret(answer.failure()) ? Peers.describe(bankName, name, answer.failure())
                        : Texts.rootMessage(answer.failure());
                SecurityLog.peerUnreachable(bankName, "bank " + name + " did not answer: " + why);
                result.add(new AtBank<>(name, List.of(), why));
            }
        }
        return result;
    }

    /**
     * Deposits into one of the owner's accounts at this bank.
     *
     * @param owner the logged-in owner
     * @param account the account, {@code account} or {@code thisbank/account}
     * @param amount in minor units
     * @return the new balance
     */
    long deposit(String owner, String account, long amount) {
        return bank.deposit(owned(owner, account), amount(amount));
    }

    /**
     * Withdraws from one of the owner's accounts at this bank.
     *
     * @param owner the logged-in owner
     * @param account the account, {@code account} or {@code thisbank/account}
     * @param amount in minor units
     * @return the new balance
     * @throws Refusal {@code INSUFFICIENT_FUNDS} if the available money does not cover it
     */
    long withdraw(String owner, String account, long amount) {
        String id = owned(owner, account);
        Receipt receipt = bank.withdraw(id, amount(amount));
        if (!receipt.outcome().isOk()) {
            throw new Refusal(Refusal.Reason.INSUFFICIENT_FUNDS, "insufficient funds"); // ledger-net's WITHDRAW reply
        }
        return receipt.balance();
    }

    /**
     * Pays the sum of the amounts into one account, each taken from its source, across banks, all or nothing, by
     * two-phase commit coordinated by this bank.
     *
     * @param owner the logged-in owner, who must own every source
     * @param to the destination, {@code bank/account}
     * @param sources each source, {@code bank/account}, and its amount; 1 to {@value #MAX_SOURCES}
     * @return the transaction's id
     */
    String transfer(String owner, String to, List<SourceText> sources) {
        if (sources.isEmpty() || sources.size() > MAX_SOURCES) {
            throw Refusal.badRequest("a transfer takes 1 to " + MAX_SOURCES + " sources, got " + sources.size());
        }
        Address destination = address(to);
        List<Source> checked = new ArrayList<>();
        Set<Address> seen = new HashSet<>(Set.of(destination));
        long total = 0;
        for (SourceText source : sources) {
            Address from = address(source.account());
            long amount = amount(source.amount());
            if (!seen.add(from)) {
                throw Refusal.badRequest(from.equals(destination) ? "cannot pay " + destination + " from itself"
                        : from + " is named twice as a source");
            }
            if (total > Long.MAX_VALUE - amount) {
                throw Refusal.badRequest("the amounts' sum overflows a long");
            }
            total += amount;
            checked.add(new Source(from, amount));
        }
        return transfers.transfer(owner, destination, checked);
    }

    /**
     * Checks an amount: positive, and at most the bank's maximum per operation. Thrown as the bank itself would,
     * so the RESP replies carry {@code INVALID_AMOUNT} as ledger-net's do.
     *
     * @param amount in minor units
     * @return the amount
     * @throws LedgerException {@code INVALID_AMOUNT}
     */
    long amount(long amount) {
        if (amount <= 0 || amount > maxAmount) {
            throw new LedgerException(ErrorCode.INVALID_AMOUNT, "an amount is 1 to " + maxAmount
                    + " minor units, got " + amount);
        }
        return amount;
    }

    /** Reads {@code bank/account}, naming what is wrong. */
    private Address address(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw Refusal.badRequest("expected <bank>/<account>, got '" + Texts.shorten(text) + "'");
        }
        String name = text.substring(0, slash);
        if (consortium.find(name).isEmpty()) {
            throw Refusal.badRequest("unknown bank '" + Texts.shorten(name) + "'; the consortium is " + consortium);
        }
        String account = text.substring(slash + 1);
        if (!Account.isValidId(account)) {
            throw Refusal.badRequest(AccountIds.whyInvalid(account));
        }
        return new Address(name, account);
    }

    /**
     * Resolves an account of this bank that the owner owns. The same refusal for an account that does not exist
     * and one of someone else, so neither is revealed.
     */
    private String owned(String owner, String account) {
        String id = account;
        int slash = account.indexOf('/');
        if (slash >= 0) {
            String named = account.substring(0, slash);
            if (!named.equals(bankName)) {
                throw Refusal.badRequest(Texts.shorten(account) + " is at bank " + Texts.shorten(named)
                        + ", not at " + bankName + ": deposit and withdraw there");
            }
            id = account.substring(slash + 1);
        }
        if (!book.owns(owner, id)) {
            throw new Refusal(Refusal.Reason.FORBIDDEN, bankName + "/" + Texts.shorten(id)
                    + " is not an account of yours");
        }
        return id;
    }
}

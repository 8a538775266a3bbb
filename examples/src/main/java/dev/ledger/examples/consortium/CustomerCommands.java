package dev.ledger.examples.consortium;

import static dev.ledger.examples.consortium.Roles.ownersOnly;

import dev.ledger.Bank;
import dev.ledger.Receipt;
import dev.ledger.examples.consortium.Peers.Answer;
import dev.ledger.net.BankServer;
import dev.ledger.net.Call;
import dev.ledger.net.CommandException;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands for a bank's customers, the owners:
 * <ul>
 *   <li>{@code REGISTER tax-id password} and {@code LOGIN tax-id password}, open to anyone; a login holds for the
 *       connection, {@code LOGOUT} ends it;
 *   <li>after LOGIN: {@code OPENACCOUNT account type [co-owner-tax-id ...]}, {@code MYACCOUNTS} (here),
 *       {@code ALLACCOUNTS} (at every bank, unreachable ones named), {@code DEPOSIT account amount},
 *       {@code WITHDRAW account amount} (own accounts at this bank) and {@link CrossBankTransfer XTRANSFER}.
 * </ul>
 * The bank's plain commands that take no owner into account (ledger-net's {@code OPEN}, {@code TRANSFER},
 * {@code BALANCE}, ...) are switched off; {@code DEPOSIT} and {@code WITHDRAW} are replaced by owner-checked ones
 * with the same replies.
 *
 * <p>Stateless apart from its collaborators, which are thread-safe; logins live in the connections' sessions.
 */
final class CustomerCommands {
    /** ledger-net's commands that would let anyone act on any account. */
    static final List<String> SWITCHED_OFF = List.of("OPEN", "BALANCE", "TRANSFER", "MTRANSFER", "SNAPSHOT",
            "TOTAL", "ACCOUNTS");

    private final String bankName;
    private final Consortium consortium;
    private final Bank bank;
    private final Owners owners;
    private final AccountBook book;
    private final Peers peers;
    private final CrossBankTransfer transfers;

    CustomerCommands(String bankName, Consortium consortium, Bank bank, Owners owners, AccountBook book, Peers peers,
            CrossBankTransfer transfers) {
        this.bankName = bankName;
        this.consortium = consortium;
        this.bank = bank;
        this.owners = owners;
        this.book = book;
        this.peers = peers;
        this.transfers = transfers;
    }

    void register(BankServer.Builder server) {
        server.command("REGISTER", this::register)
                .command("LOGIN", this::login)
                .command("LOGOUT", this::logout)
                .command("OPENACCOUNT", ownersOnly(this::openAccount))
                .command("MYACCOUNTS", ownersOnly(this::myAccounts))
                .command("ALLACCOUNTS", ownersOnly(this::allAccounts))
                .command("DEPOSIT", ownersOnly(this::deposit))
                .command("WITHDRAW", ownersOnly(this::withdraw))
                .command("XTRANSFER", ownersOnly(transfers::handle));
        for (String name : SWITCHED_OFF) {
            server.command(name, (request, reply) -> {
                throw new CommandException(name + " is not available at a consortium bank: log in, then use "
                        + "MYACCOUNTS, DEPOSIT, WITHDRAW or XTRANSFER");
            });
        }
    }

    private void register(Request request, Reply reply) {
        request.requireArguments(2, 2);
        owners.register(request.argument(0), request.argument(1).toCharArray());
        reply.ok();
    }

    /** A failed login also ends the login the connection had, so a mistyped LOGIN never leaves someone else's. */
    private void login(Request request, Reply reply) {
        request.requireArguments(2, 2);
        Roles.logOut(request.session());
        String taxId = TaxId.check(request.argument(0));
        if (!owners.authenticate(taxId, request.argument(1).toCharArray())) {
            throw new CommandException("DENIED", "invalid tax id or password");
        }
        Roles.logIn(request.session(), taxId);
        reply.ok();
    }

    private void logout(Request request, Reply reply) {
        request.requireArguments(0, 0);
        Roles.logOut(request.session());
        reply.ok();
    }

    /** {@code OPENACCOUNT account type [co-owner ...]}: the logged-in owner is the first owner. */
    private void openAccount(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2 + 16);
        AccountType type = AccountType.parse(request.argument(1));
        List<String> accountOwners = new ArrayList<>(List.of(owner));
        for (int i = 2; i < request.argumentCount(); i++) {
            accountOwners.add(TaxId.check(request.argument(i)));
        }
        book.open(request.argument(0), type, accountOwners);
        reply.ok();
    }

    private void myAccounts(Request request, Reply reply, String owner) {
        request.requireArguments(0, 0);
        AccountView.writeAll(book.holdings(owner), reply);
    }

    /**
     * {@code ALLACCOUNTS}: for every bank in the consortium's order, {@code [bank, "OK", accounts]} or
     * {@code [bank, "UNREACHABLE", why]}. The other banks are asked at once, each call with a timeout.
     */
    private void allAccounts(Request request, Reply reply, String owner) {
        request.requireArguments(0, 0);
        List<String> others = consortium.names().stream().filter(name -> !name.equals(bankName)).toList();
        Map<String, Answer<List<AccountView>>> answers = peers.askEach(others,
                link -> AccountView.readAll(link.call(Call.raw("HOLDINGS", owner))));
        reply.array(consortium.names().size());
        for (String name : consortium.names()) {
            reply.array(3);
            reply.bulk(name);
            if (name.equals(bankName)) {
                reply.bulk("OK");
                AccountView.writeAll(book.holdings(owner), reply);
                continue;
            }
            Answer<List<AccountView>> answer = answers.get(name);
            if (answer.answered()) {
                reply.bulk("OK");
                AccountView.writeAll(answer.value(), reply);
            } else {
                reply.bulk("UNREACHABLE");
                reply.bulk(Texts.rootMessage(answer.failure()));
            }
        }
    }

    private void deposit(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2);
        String account = owned(owner, request.argument(0));
        reply.integer(bank.deposit(account, request.longArgument(1, "amount")));
    }

    private void withdraw(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2);
        String account = owned(owner, request.argument(0));
        Receipt receipt = bank.withdraw(account, request.longArgument(1, "amount"));
        if (receipt.outcome().isOk()) {
            reply.integer(receipt.balance());
        } else {
            reply.error("FAILED", "insufficient funds");
        }
    }

    /** The same refusal for an account that does not exist and one of someone else, so neither is revealed. */
    private String owned(String owner, String account) {
        if (!book.owns(owner, account)) {
            throw new CommandException("DENIED", bankName + "/" + Texts.shorten(account)
                    + " is not an account of yours");
        }
        return account;
    }
}

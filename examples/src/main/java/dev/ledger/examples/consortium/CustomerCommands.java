package dev.ledger.examples.consortium;

import static dev.ledger.examples.consortium.Roles.ownersOnly;

import dev.ledger.examples.consortium.CustomerService.AccountRef;
import dev.ledger.examples.consortium.CustomerService.AtBank;
import dev.ledger.examples.consortium.CustomerService.SourceText;
import dev.ledger.net.BankServer;
import dev.ledger.net.CommandException;
import dev.ledger.net.CommandHandler;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The RESP commands for a bank's customers, the owners. Each parses its arguments, calls {@link CustomerService},
 * and writes the reply; a {@link Refusal} becomes an error reply whose first word is its reason's
 * {@link Refusal.Reason#respKind() kind}.
 * <ul>
 *   <li>{@code REGISTER tax-id password} and {@code LOGIN tax-id password}, open to anyone; a login holds for the
 *       connection, {@code LOGOUT} ends it;
 *   <li>after LOGIN: {@code OPENACCOUNT account type [co-owner-tax-id ...]}, {@code MYACCOUNTS} (here),
 *       {@code ALLACCOUNTS} (at every bank, unreachable ones named), {@code FINDACCOUNTS tax-id} (where a tax id
 *       holds accounts, without balances), {@code DEPOSIT account amount}, {@code WITHDRAW account amount} (own
 *       accounts at this bank) and {@code XTRANSFER to-bank/account from-bank/account amount [...]} (see
 *       {@link CrossBankTransfer}).
 * </ul>
 * The bank's plain commands that take no owner into account (ledger-net's {@code OPEN}, {@code TRANSFER},
 * {@code BALANCE}, ...) are switched off; {@code DEPOSIT} and {@code WITHDRAW} are replaced by owner-checked ones
 * with the same replies.
 *
 * <p>Replies of XTRANSFER: {@code +OK <txid>}; {@code -FAILED ...} if a bank did not answer or voted ABORT (nothing
 * moved); {@code -DENIED} for a source the owner does not own; {@code -ERR} for malformed arguments.
 *
 * <p>Stateless apart from the service, which is thread-safe; logins live in the connections' sessions.
 */
final class CustomerCommands {
    /** ledger-net's commands that would let anyone act on any account. */
    static final List<String> SWITCHED_OFF = List.of("OPEN", "BALANCE", "TRANSFER", "MTRANSFER", "SNAPSHOT",
            "TOTAL", "ACCOUNTS");

    private final CustomerService service;

    CustomerCommands(CustomerService service) {
        this.service = service;
    }

    void register(BankServer.Builder server) {
        server.command("REGISTER", saying(this::register))
                .command("LOGIN", saying(this::login))
                .command("LOGOUT", this::logout)
                .command("OPENACCOUNT", saying(ownersOnly(this::openAccount)))
                .command("MYACCOUNTS", saying(ownersOnly(this::myAccounts)))
                .command("ALLACCOUNTS", saying(ownersOnly(this::allAccounts)))
                .command("FINDACCOUNTS", saying(ownersOnly(this::findAccounts)))
                .command("DEPOSIT", saying(ownersOnly(this::deposit)))
                .command("WITHDRAW", saying(ownersOnly(this::withdraw)))
                .command("XTRANSFER", saying(ownersOnly(this::transfer)));
        for (String name : SWITCHED_OFF) {
            server.command(name, (request, reply) -> {
                throw new CommandException(name + " is not available at a consortium bank: log in, then use "
                        + "MYACCOUNTS, DEPOSIT, WITHDRAW or XTRANSFER");
            });
        }
    }

    /** {@return the handler, with a {@link Refusal} said as an error reply of its reason's kind} */
    static CommandHandler saying(CommandHandler handler) {
        return (request, reply) -> {
            try {
                handler.handle(request, reply);
            } catch (Refusal refusal) {
                throw new CommandException(refusal.reason().respKind(), refusal.getMessage());
            }
        };
    }

    private void register(Request request, Reply reply) {
        request.requireArguments(2, 2);
        service.register(request.argument(0), request.argument(1).toCharArray());
        reply.ok();
    }

    /** A failed login also ends the login the connection had, so a mistyped LOGIN never leaves someone else's. */
    private void login(Request request, Reply reply) {
        request.requireArguments(2, 2);
        Roles.logOut(request.session());
        InetSocketAddress client = request.session().remoteAddress();
        String owner = service.login(request.argument(0), request.argument(1).toCharArray(),
                client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString());
        Roles.logIn(request.session(), owner);
        reply.ok();
    }

    private void logout(Request request, Reply reply) {
        request.requireArguments(0, 0);
        Roles.logOut(request.session());
        reply.ok();
    }

    /** {@code OPENACCOUNT account type [co-owner ...]}: the logged-in owner is the first owner. */
    private void openAccount(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2 + CustomerService.MAX_SOURCES);
        List<String> coOwners = new ArrayList<>();
        for (int i = 2; i < request.argumentCount(); i++) {
            coOwners.add(request.argument(i));
        }
        service.open(owner, request.argument(0), request.argument(1), coOwners);
        reply.ok();
    }

    private void myAccounts(Request request, Reply reply, String owner) {
        request.requireArguments(0, 0);
        AccountView.writeAll(service.holdings(owner), reply);
    }

    /**
     * {@code ALLACCOUNTS}: for every bank in the consortium's order, {@code [bank, "OK", accounts]} or
     * {@code [bank, "UNREACHABLE", why]}.
     */
    private void allAccounts(Request request, Reply reply, String owner) {
        request.requireArguments(0, 0);
        writeEach(service.allAccounts(owner), reply, AccountView::writeAll);
    }

    /** {@code FINDACCOUNTS tax-id}: as ALLACCOUNTS, each account {@code [account, type]} without its money. */
    private void findAccounts(Request request, Reply reply, String owner) {
        request.requireArguments(1, 1);
        writeEach(service.accountsOf(request.argument(0)), reply, (accounts, out) -> {
            out.array(accounts.size());
            for (AccountRef account : accounts) {
                out.array(2);
                out.bulk(account.account());
                out.bulk(account.type());
            }
        });
    }

    private static <T> void writeEach(List<AtBank<T>> banks, Reply reply, BiConsumer<List<T>, Reply> accounts) {
        reply.array(banks.size());
        for (AtBank<T> bank : banks) {
            reply.array(3);
            reply.bulk(bank.bank());
            if (bank.reachable()) {
                reply.bulk("OK");
                accounts.accept(bank.accounts(), reply);
            } else {
                reply.bulk("UNREACHABLE");
                reply.bulk(bank.unreachable());
            }
        }
    }

    private void deposit(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2);
        reply.integer(service.deposit(owner, request.argument(0), request.longArgument(1, "amount")));
    }

    private void withdraw(Request request, Reply reply, String owner) {
        request.requireArguments(2, 2);
        reply.integer(service.withdraw(owner, request.argument(0), request.longArgument(1, "amount")));
    }

    /** Checks the shape here: a count beyond the limit names the limit rather than the argument count. */
    private void transfer(Request request, Reply reply, String owner) {
        int arguments = request.argumentCount();
        if (arguments < 3 || arguments % 2 == 0) {
            throw new CommandException("XTRANSFER takes <to-bank>/<to-account>, then <from-bank>/<from-account> "
                    + "<amount> pairs, 1 to " + CustomerService.MAX_SOURCES + " of them");
        }
        if ((arguments - 1) / 2 > CustomerService.MAX_SOURCES) {
            throw new CommandException("a transfer takes at most " + CustomerService.MAX_SOURCES + " sources, got "
                    + (arguments - 1) / 2);
        }
        List<SourceText> sources = new ArrayList<>();
        for (int i = 1; i < arguments; i += 2) {
            sources.add(new SourceText(request.argument(i), request.longArgument(i + 1, "amount")));
        }
        reply.simple("OK " + service.transfer(owner, request.argument(0), sources));
    }
}

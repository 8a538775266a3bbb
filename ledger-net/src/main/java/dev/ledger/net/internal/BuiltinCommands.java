package dev.ledger.net.internal;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Debit;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import dev.ledger.Receipt;
import dev.ledger.Snapshot;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.net.Command;
import dev.ledger.net.CommandException;
import dev.ledger.net.CommandHandler;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Vote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The server's built-in commands: the bank's operations and its two-phase-commit participant, plus PING, ECHO
 * and QUIT. The commands Redis clients send on their own (AUTH, HELLO, CLIENT, INFO...) are {@link ServerCommands}. Each handler checks every
 * argument before it touches the bank, so a refused request changes nothing; what each command takes and answers
 * is described in {@link Command}.
 *
 * <p>Stateless apart from the bank, which is thread-safe: one instance serves every connection.
 */
public final class BuiltinCommands {
    private static final List<Command> ONCE_OPERATIONS =
            List.of(Command.DEPOSIT, Command.WITHDRAW, Command.TRANSFER, Command.MTRANSFER);

    private final Bank bank;

    private BuiltinCommands(Bank bank) {
        this.bank = bank;
    }

    /**
     * Returns the handlers of the bank's commands and of PING, ECHO and QUIT. Each handler runs once the request's
     * number of arguments is checked against its {@link Command}.
     *
     * @param bank the bank they serve
     * @return the handlers by command
     */
    public static Map<Command, CommandHandler> handlers(Bank bank) {
        BuiltinCommands commands = new BuiltinCommands(bank);
        Map<Command, CommandHandler> handlers = new EnumMap<>(Command.class);
        handlers.put(Command.PING, BuiltinCommands::ping);
        handlers.put(Command.ECHO, BuiltinCommands::echo);
        handlers.put(Command.QUIT, BuiltinCommands::quit);
        handlers.put(Command.OPEN, commands::open);
        handlers.put(Command.BALANCE, commands::balance);
        handlers.put(Command.DEPOSIT, commands::deposit);
        handlers.put(Command.WITHDRAW, commands::withdraw);
        handlers.put(Command.TRANSFER, commands::transfer);
        handlers.put(Command.MTRANSFER, commands::multiTransfer);
        handlers.put(Command.TRANSFERS, commands::transfers);
        handlers.put(Command.CHAIN, commands::chain);
        handlers.put(Command.ONCE, commands::once);
        handlers.put(Command.SNAPSHOT, commands::snapshot);
        handlers.put(Command.TOTAL, commands::total);
        handlers.put(Command.ACCOUNTS, commands::accounts);
        handlers.put(Command.PREPARE, commands::prepare);
        handlers.put(Command.COMMIT, commands::commit);
        handlers.put(Command.ABORT, commands::abort);
        handlers.put(Command.TXSTATUS, commands::status);
        handlers.put(Command.INDOUBT, commands::inDoubt);
        handlers.put(Command.PREPARED, commands::prepared);
        return handlers;
    }

    private static void ping(Request request, Reply reply) {
        if (request.argumentCount() == 1) {
            reply.bulk(request.argumentBytes(0));
        } else {
            reply.simple("PONG");
        }
    }

    /** As in Redis; {@code redis-cli --pipe} ends a bulk load with it to find the last reply. */
    private static void echo(Request request, Reply reply) {
        reply.bulk(request.argumentBytes(0));
    }

    private static void quit(Request request, Reply reply) {
        reply.ok();
        request.session().closeAfterReply();
    }

    private void open(Request request, Reply reply) {
        String id = request.argument(0);
        long initial = request.argumentCount() == 2 ? request.longArgument(1, "initial balance") : 0;
        try {
            bank.open(id, initial);
        } catch (LedgerException e) {
            if (e.code() == ErrorCode.DUPLICATE_ACCOUNT) {
                throw new LedgerException(ErrorCode.DUPLICATE_ACCOUNT, "account exists: '" + id + "'");
            }
            throw e;
        }
        reply.ok();
    }

    private void balance(Request request, Reply reply) {
        reply.integer(bank.balance(account(request, 0)));
    }

    private void deposit(Request request, Reply reply) {
        Account account = account(request, 0);
        reply.integer(bank.deposit(account, amount(request, 1)));
    }

    private void withdraw(Request request, Reply reply) {
        Account account = account(request, 0);
        Receipt receipt = bank.withdraw(account, amount(request, 1));
        if (receipt.outcome().isOk()) {
            reply.integer(receipt.balance());
        } else {
            insufficientFunds(reply);
        }
    }

    private void transfer(Request request, Reply reply) {
        Account from = account(request, 0);
        Account to = account(request, 1);
        outcome(bank.transfer(from, to, amount(request, 2)), reply);
    }

    /** {@code MTRANSFER to from1 amount1 [from2 amount2 ...]}. */
    private void multiTransfer(Request request, Reply reply) {
        Account to = account(request, 0);
        outcome(bank.transfer(to, debits(request, 1)), reply);
    }

    /** The source and amount pairs of a multi-leg transfer, from argument {@code from} on. */
    private List<Debit> debits(Request request, int from) {
        List<Debit> sources = new ArrayList<>((request.argumentCount() - from) / 2);
        for (int i = from; i < request.argumentCount(); i += 2) {
            sources.add(Debit.of(account(request, i), amount(request, i + 1)));
        }
        return sources;
    }

    /** {@code ONCE id OPERATION arguments...}: the operation's arguments start at index 2. */
    private void once(Request request, Reply reply) {
        String id = request.argument(0);
        Command operation = onceOperation(request.argument(1));
        if (!operation.acceptsArgumentCount(request.argumentCount() - 2)) {
            throw new CommandException(Errors.wrongArguments(operation.name()));
        }
        TransferStatus status;
        switch (operation) {
            case DEPOSIT:
                status = bank.depositOnce(id, request.argument(2), amount(request, 3));
                break;
            case WITHDRAW:
                status = bank.withdrawOnce(id, request.argument(2), amount(request, 3));
                break;
            case TRANSFER:
                status = bank.transfer(new Transfer(id, request.argument(2), request.argument(3), amount(request, 4)));
                break;
            default: // MTRANSFER
                Account to = account(request, 2);
                status = bank.transferOnce(id, to, debits(request, 3));
                break;
        }
        reply.simple(status.name());
    }

    private static Command onceOperation(String name) {
        for (Command operation : ONCE_OPERATIONS) {
            if (operation.name().equalsIgnoreCase(name)) {
                return operation;
            }
        }
        throw new CommandException("ONCE applies DEPOSIT, WITHDRAW, TRANSFER or MTRANSFER, not '"
                + Text.printable(name) + "'");
    }

    /**
     * {@code TRANSFERS id from to amount [...]}: every amount is parsed before any transfer runs, so a bad one
     * applies nothing; the bank refuses a batch over its limit, also before applying any.
     */
    private void transfers(Request request, Reply reply) {
        statuses(bank.transfers(batch(request, false)), reply);
    }

    /** {@code CHAIN id from to amount [...]}: parsed as {@code TRANSFERS}, each transfer linked to the next. */
    private void chain(Request request, Reply reply) {
        statuses(bank.transfers(batch(request, true)), reply);
    }

    private static List<Transfer> batch(Request request, boolean linked) {
        int count = request.argumentCount() / 4;
        List<Transfer> batch = new ArrayList<>(count);
        for (int i = 0; i < request.argumentCount(); i += 4) {
            String id = request.argument(i);
            batch.add(new Transfer(id.isEmpty() ? null : id, request.argument(i + 1), request.argument(i + 2),
                    request.longArgument(i + 3, "amount of transfer " + i / 4), linked && i / 4 < count - 1));
        }
        return batch;
    }

    /** {@code [index, STATUS, ...]}: the transfers not applied now. */
    private static void statuses(List<TransferStatus> statuses, Reply reply) {
        int notApplied = 0;
        for (TransferStatus status : statuses) {
            if (status != TransferStatus.OK) {
                notApplied++;
            }
        }
        reply.array(2 * notApplied);
        for (int i = 0; i < statuses.size(); i++) {
            if (statuses.get(i) != TransferStatus.OK) {
                reply.integer(i);
                reply.bulk(statuses.get(i).name());
            }
        }
    }

    /** A map of id to balance sorted by id, of one consistent cut; in RESP2 the flat array {@code [id, balance, ...]}. */
    private void snapshot(Request request, Reply reply) {
        Snapshot snapshot = bank.snapshot();
        Integer[] order = new Integer[snapshot.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparing(snapshot::id));
        reply.map(order.length);
        for (int i : order) {
            reply.bulk(snapshot.id(i));
            reply.integer(snapshot.balance(i));
        }
    }

    /** The sum of every balance may pass a long; the reply is a RESP integer, so such a total is refused. */
    private void total(Request request, Reply reply) {
        BigInteger total = bank.totalExact();
        if (total.bitLength() >= Long.SIZE) {
            throw new LedgerException(ErrorCode.OVERFLOW,
                    "the bank's total money, " + total + ", does not fit a 64-bit integer reply");
        }
        reply.integer(total.longValue());
    }

    private void accounts(Request request, Reply reply) {
        String[] ids = bank.accounts().stream().map(Account::id).sorted().toArray(String[]::new);
        reply.array(ids.length);
        for (String id : ids) {
            reply.bulk(id);
        }
    }

    /** {@code PREPARE txid timeout-ms account signed-amount [account signed-amount ...]}. */
    private void prepare(Request request, Reply reply) {
        String txId = request.argument(0);
        long timeout = request.longArgument(1, "timeout");
        if (timeout < 0) {
            throw new CommandException("timeout must be zero or more milliseconds, got " + timeout);
        }
        List<Leg> legs = new ArrayList<>(request.argumentCount() / 2);
        for (int i = 2; i < request.argumentCount(); i += 2) {
            legs.add(new Leg(request.argument(i), request.longArgument(i + 1, "amount")));
        }
        Vote vote = bank.prepare(txId, legs, Duration.ofMillis(timeout));
        if (vote.commit()) {
            reply.simple("PREPARED");
        } else {
            reply.error("ABORT", vote.reason().name() + " " + vote.message());
        }
    }

    private void commit(Request request, Reply reply) {
        bank.commit(request.argument(0));
        reply.ok();
    }

    private void abort(Request request, Reply reply) {
        bank.abort(request.argument(0));
        reply.ok();
    }

    private void status(Request request, Reply reply) {
        reply.simple(bank.status(request.argument(0)).name());
    }

    private void inDoubt(Request request, Reply reply) {
        ids(bank.inDoubt(), reply);
    }

    private void prepared(Request request, Reply reply) {
        ids(bank.preparedTransactions(), reply);
    }

    private static void ids(List<String> ids, Reply reply) {
        reply.array(ids.size());
        for (String id : ids) {
            reply.bulk(id);
        }
    }

    private Account account(Request request, int index) {
        return bank.account(request.argument(index));
    }

    private static long amount(Request request, int index) {
        return request.longArgument(index, "amount");
    }

    private static void outcome(Outcome outcome, Reply reply) {
        if (outcome.isOk()) {
            reply.ok();
        } else {
            insufficientFunds(reply);
        }
    }

    private static void insufficientFunds(Reply reply) {
        reply.error("FAILED", "insufficient funds");
    }
}

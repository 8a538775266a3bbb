package dev.ledger.net.internal;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Debit;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import dev.ledger.Receipt;
import dev.ledger.Snapshot;
import dev.ledger.net.CommandException;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Vote;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The server's built-in commands: the bank's operations and its two-phase-commit participant, plus PING, ECHO
 * and QUIT. The commands Redis clients send on their own (AUTH, HELLO, CLIENT, INFO...) are {@link ServerCommands}. Each handler checks every argument before it touches the bank, so a refused request changes nothing.
 *
 * <p>Stateless apart from the bank, which is thread-safe: one instance serves every connection.
 */
public final class BuiltinCommands {
    private final Bank bank;

    private BuiltinCommands(Bank bank) {
        this.bank = bank;
    }

    /**
     * Registers the built-in commands.
     *
     * @param table where to register them
     * @param bank the bank they serve
     */
    public static void register(CommandTable.Builder table, Bank bank) {
        BuiltinCommands commands = new BuiltinCommands(bank);
        table.add("PING", BuiltinCommands::ping)
                .add("ECHO", BuiltinCommands::echo)
                .add("QUIT", BuiltinCommands::quit)
                .add("OPEN", commands::open)
                .add("BALANCE", commands::balance)
                .add("DEPOSIT", commands::deposit)
                .add("WITHDRAW", commands::withdraw)
                .add("TRANSFER", commands::transfer)
                .add("MTRANSFER", commands::multiTransfer)
                .add("SNAPSHOT", commands::snapshot)
                .add("TOTAL", commands::total)
                .add("ACCOUNTS", commands::accounts)
                .add("PREPARE", commands::prepare)
                .add("COMMIT", commands::commit)
                .add("ABORT", commands::abort)
                .add("TXSTATUS", commands::status)
                .add("INDOUBT", commands::inDoubt);
    }

    private static void ping(Request request, Reply reply) {
        request.requireArguments(0, 1);
        if (request.argumentCount() == 1) {
            reply.bulk(request.argumentBytes(0));
        } else {
            reply.simple("PONG");
        }
    }

    /** As in Redis; {@code redis-cli --pipe} ends a bulk load with it to find the last reply. */
    private static void echo(Request request, Reply reply) {
        request.requireArguments(1, 1);
        reply.bulk(request.argumentBytes(0));
    }

    private static void quit(Request request, Reply reply) {
        reply.ok();
        request.session().closeAfterReply();
    }

    private void open(Request request, Reply reply) {
        request.requireArguments(1, 2);
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
        request.requireArguments(1, 1);
        reply.integer(bank.balance(account(request, 0)));
    }

    private void deposit(Request request, Reply reply) {
        request.requireArguments(2, 2);
        Account account = account(request, 0);
        reply.integer(bank.deposit(account, amount(request, 1)));
    }

    private void withdraw(Request request, Reply reply) {
        request.requireArguments(2, 2);
        Account account = account(request, 0);
        Receipt receipt = bank.withdraw(account, amount(request, 1));
        if (receipt.outcome().isOk()) {
            reply.integer(receipt.balance());
        } else {
            insufficientFunds(reply);
        }
    }

    private void transfer(Request request, Reply reply) {
        request.requireArguments(3, 3);
        Account from = account(request, 0);
        Account to = account(request, 1);
        outcome(bank.transfer(from, to, amount(request, 2)), reply);
    }

    /** {@code MTRANSFER to from1 amount1 [from2 amount2 ...]}. */
    private void multiTransfer(Request request, Reply reply) {
        request.requireArguments(3, Integer.MAX_VALUE);
        requirePairsAfter(request, 1);
        Account to = account(request, 0);
        List<Debit> sources = new ArrayList<>(request.argumentCount() / 2);
        for (int i = 1; i < request.argumentCount(); i += 2) {
            sources.add(Debit.of(account(request, i), amount(request, i + 1)));
        }
        outcome(bank.transfer(to, sources), reply);
    }

    /** A map of id to balance sorted by id, of one consistent cut; in RESP2 the flat array {@code [id, balance, ...]}. */
    private void snapshot(Request request, Reply reply) {
        request.requireArguments(0, 0);
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
        request.requireArguments(0, 0);
        BigInteger total = bank.totalExact();
        if (total.bitLength() >= Long.SIZE) {
            throw new LedgerException(ErrorCode.OVERFLOW,
                    "the bank's total money, " + total + ", does not fit a 64-bit integer reply");
        }
        reply.integer(total.longValue());
    }

    private void accounts(Request request, Reply reply) {
        request.requireArguments(0, 0);
        String[] ids = bank.accounts().stream().map(Account::id).sorted().toArray(String[]::new);
        reply.array(ids.length);
        for (String id : ids) {
            reply.bulk(id);
        }
    }

    /** {@code PREPARE txid timeout-ms account signed-amount [account signed-amount ...]}. */
    private void prepare(Request request, Reply reply) {
        request.requireArguments(4, Integer.MAX_VALUE);
        requirePairsAfter(request, 2);
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
        request.requireArguments(1, 1);
        bank.commit(request.argument(0));
        reply.ok();
    }

    private void abort(Request request, Reply reply) {
        request.requireArguments(1, 1);
        bank.abort(request.argument(0));
        reply.ok();
    }

    private void status(Request request, Reply reply) {
        request.requireArguments(1, 1);
        reply.simple(bank.status(request.argument(0)).name());
    }

    private void inDoubt(Request request, Reply reply) {
        request.requireArguments(0, 0);
        List<String> ids = bank.inDoubt();
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

    /** Checks that the arguments after the first {@code fixed} ones come in pairs. */
    private static void requirePairsAfter(Request request, int fixed) {
        if ((request.argumentCount() - fixed) % 2 != 0) {
            throw new CommandException(Errors.wrongArguments(request.name()));
        }
    }
}

package dev.ledger.net;

import dev.ledger.net.internal.CommandTable;
import dev.ledger.net.internal.Errors;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The commands a {@link BankServer} answers out of the box, each described once, here: its arguments, its reply
 * and what it does. The server checks the number of arguments from this description before a command's handler
 * runs; {@link Call} has a call for each of the bank's commands, and {@link BankClient} a typed method. Names are
 * case-insensitive on the wire. Applications add their own commands, or replace these, with
 * {@link BankServer.Builder#command}.
 *
 * <p><b>Replies.</b> Business rejections are {@code -FAILED insufficient funds}; a refused 2PC prepare is
 * {@code -ABORT REASON message}; misuse is {@code -ERR message}, ending in {@code (CODE)} when the bank refused
 * it with a {@link dev.ledger.LedgerException} (a {@link dev.ledger.ErrorCode}, such as {@code UNKNOWN_ACCOUNT}).
 * A refused request changes nothing. A wrong number of arguments is
 * {@code -ERR wrong number of arguments for 'name' command}.
 *
 * <p>Without authentication, when the server has a password, only the commands marked so below are answered.
 */
public enum Command {
    // ---------------------------------------------------------------- the connection

    /** {@code PING [message]}: {@code +PONG}, or the message as a bulk string. Allowed before authentication. */
    PING(0, 1, Auth.NOT_NEEDED),
    /** {@code ECHO message}: the message; {@code redis-cli --pipe} ends a bulk load with it. */
    ECHO(1, 1),
    /** {@code QUIT}: {@code +OK}, then the server closes the connection. Allowed before authentication. */
    QUIT(0, Integer.MAX_VALUE, Auth.NOT_NEEDED),
    /**
     * {@code AUTH [username] password}: {@code +OK}; the only user is {@code default}. Allowed before
     * authentication, of course.
     */
    AUTH(1, 2, Auth.NOT_NEEDED),

    // ---------------------------------------------------------------- the bank

    /**
     * {@code OPEN account [initial]}: {@code +OK} once the account is open, with a zero balance or the initial
     * one; refused with {@code DUPLICATE_ACCOUNT}, {@code INVALID_ID} or {@code INVALID_AMOUNT}.
     */
    OPEN(1, 2),
    /** {@code BALANCE account}: the balance as an integer, held money included; refused with {@code UNKNOWN_ACCOUNT}. */
    BALANCE(1, 1),
    /**
     * {@code DEPOSIT account amount}: the new balance as an integer; refused with {@code UNKNOWN_ACCOUNT},
     * {@code INVALID_AMOUNT}, or {@code OVERFLOW} if the balance plus the credits promised to the account would
     * pass {@link Long#MAX_VALUE}.
     */
    DEPOSIT(2, 2),
    /**
     * {@code WITHDRAW account amount}: the new balance as an integer if the available money covers the amount,
     * else {@code -FAILED insufficient funds}; refused with {@code UNKNOWN_ACCOUNT} or {@code INVALID_AMOUNT}.
     */
    WITHDRAW(2, 2),
    /**
     * {@code TRANSFER from to amount}: {@code +OK}, or {@code -FAILED insufficient funds}; refused with
     * {@code UNKNOWN_ACCOUNT}, {@code INVALID_AMOUNT}, {@code SAME_ACCOUNT}, or {@code OVERFLOW} if the
     * destination's balance plus the credits promised to it would pass {@link Long#MAX_VALUE}.
     */
    TRANSFER(3, 3),
    /**
     * {@code MTRANSFER to from1 amount1 [from2 amount2 ...]}: takes each source's amount and pays the sum into
     * {@code to}, all or nothing: {@code +OK}, or {@code -FAILED insufficient funds}.
     */
    MTRANSFER(3, Integer.MAX_VALUE, 1),
    /**
     * {@code TRANSFERS id from to amount [id from to amount ...]}: applies a batch of at most
     * {@value Call#MAX_TRANSFERS_PER_BATCH} transfers ({@link dev.ledger.Bank#transfers}), each on its own, and
     * answers once the batch is durable. An empty id ({@code ""}) means none; with one, a transfer is applied at
     * most once, so a retry is safe. The reply is the flat array {@code [index, STATUS, ...]} of the transfers that
     * were not applied now, {@code index} 0-based and {@code STATUS} a {@link dev.ledger.TransferStatus} name
     * ({@code REPEATED} included), the same in RESP2 and RESP3; an empty array means all were. A bad amount
     * anywhere, or a larger batch, is {@code -ERR} and applies nothing.
     */
    TRANSFERS(4, Integer.MAX_VALUE, 0, 4),
    /**
     * {@code CHAIN id from to amount [id from to amount ...]}: applies the transfers as one linked chain
     * ({@link dev.ledger.Transfer#linkedToNext}): in order, all or none, at most
     * {@value Call#MAX_TRANSFERS_PER_BATCH}. Answered as {@link #TRANSFERS} is; when the chain fails, the failing
     * transfer has its reason and the others {@code CHAIN_FAILED}.
     */
    CHAIN(4, Integer.MAX_VALUE, 0, 4),
    /**
     * {@code ONCE id DEPOSIT account amount}, {@code ONCE id WITHDRAW account amount},
     * {@code ONCE id TRANSFER from to amount} or {@code ONCE id MTRANSFER to from1 amount1 [...]}: the operation,
     * applied at most once per id ({@link dev.ledger.Bank#depositOnce}, {@link dev.ledger.Bank#withdrawOnce},
     * {@link dev.ledger.Bank#transfer(dev.ledger.Transfer)}, {@link dev.ledger.Bank#transferOnce}), so a retry is
     * safe. The reply is the {@link dev.ledger.TransferStatus} name as a simple string, such as {@code +OK},
     * {@code +REPEATED}, {@code +INSUFFICIENT_FUNDS} or {@code +ID_CONFLICT}; the operation's arguments are checked
     * as that command's.
     */
    ONCE(4, Integer.MAX_VALUE),
    /**
     * {@code SNAPSHOT}: every balance of one consistent cut, by account id, sorted by id: a map in RESP3, the flat
     * array {@code [id, balance, ...]} in RESP2.
     */
    SNAPSHOT(0, 0),
    /** {@code TOTAL}: the bank's money at one instant, as an integer; refused with {@code OVERFLOW} past a long. */
    TOTAL(0, 0),
    /** {@code ACCOUNTS}: every account id, sorted, as an array. */
    ACCOUNTS(0, 0),

    // ---------------------------------------------------------------- the two-phase-commit participant

    /**
     * {@code PREPARE txid timeout-ms account signed-amount [account signed-amount ...]}: the bank's vote,
     * {@code +PREPARED} or {@code -ABORT REASON message}; the holds wait {@code timeout-ms} for the decision.
     */
    PREPARE(4, Integer.MAX_VALUE, 2),
    /** {@code COMMIT txid}: {@code +OK}; refused with {@code TRANSACTION_CONFLICT} or {@code UNKNOWN_TRANSACTION}. */
    COMMIT(1, 1),
    /** {@code ABORT txid}: {@code +OK}; refused with {@code TRANSACTION_CONFLICT} if it committed. */
    ABORT(1, 1),
    /** {@code TXSTATUS txid}: what the bank knows of the transaction, a {@link dev.ledger.tx.TxState} name. */
    TXSTATUS(1, 1),
    /** {@code INDOUBT}: the ids of the prepared transactions that have outlived their timeout, sorted. */
    INDOUBT(0, 0),
    /**
     * {@code PREPARED}: the ids of every transaction prepared here and not yet committed or aborted, in doubt or
     * not, sorted: what a transaction manager's recovery asks a resource for.
     */
    PREPARED(0, 0),

    // ---------------------------------------------------------------- what Redis clients and tools send on their own

    /**
     * {@code HELLO [protover [AUTH username password] [SETNAME name]]}: switches to RESP2 or RESP3, authenticating
     * and naming the connection at once; the server's description as a map. Allowed before authentication, with
     * {@code AUTH}.
     */
    HELLO(0, Integer.MAX_VALUE, Auth.SELF_CHECKED),
    /**
     * {@code CLIENT ID | INFO | LIST | GETNAME | SETNAME name | SETINFO attribute value | ...}: as in Redis.
     * Allowed before authentication: {@code SETINFO} only.
     */
    CLIENT(1, Integer.MAX_VALUE, Auth.SELF_CHECKED),
    /** {@code SELECT 0}: {@code +OK}; the bank is the one database. */
    SELECT(1, 1),
    /** {@code TIME}: the server's clock, seconds and microseconds. */
    TIME(0, 0),
    /** {@code DBSIZE}: the number of accounts. */
    DBSIZE(0, 0),
    /** {@code COMMAND [COUNT | LIST | INFO name... | DOCS name...]}: the commands, as tools ask for them. */
    COMMAND(0, Integer.MAX_VALUE),
    /** {@code CONFIG GET pattern [pattern ...]}: the few settings tools ask for. */
    CONFIG(1, Integer.MAX_VALUE),
    /** {@code INFO [section ...]}: the server's figures, in Redis's format, plus a {@code ledger} section. */
    INFO(0, Integer.MAX_VALUE);

    /** Who may send a command before the connection has authenticated. */
    enum Auth {
        /** Only authenticated connections. */
        NEEDED,
        /** Any connection, whichever handler serves the name. */
        NOT_NEEDED,
        /** Any connection; the built-in handler itself refuses what an unauthenticated one may not do. */
        SELF_CHECKED
    }

    private final int minArguments;
    private final int maxArguments;
    /** From which argument on the arguments come in groups of {@code groupSize}, or -1 if they do not. */
    private final int groupsFrom;
    private final int groupSize;
    private final Auth auth;

    Command(int minArguments, int maxArguments) {
        this(minArguments, maxArguments, -1, 1, Auth.NEEDED);
    }

    /** Arguments in pairs from {@code pairsFrom} on. */
    Command(int minArguments, int maxArguments, int pairsFrom) {
        this(minArguments, maxArguments, pairsFrom, 2, Auth.NEEDED);
    }

    Command(int minArguments, int maxArguments, int groupsFrom, int groupSize) {
        this(minArguments, maxArguments, groupsFrom, groupSize, Auth.NEEDED);
    }

    Command(int minArguments, int maxArguments, Auth auth) {
        this(minArguments, maxArguments, -1, 1, auth);
    }

    Command(int minArguments, int maxArguments, int groupsFrom, int groupSize, Auth auth) {
        this.minArguments = minArguments;
        this.maxArguments = maxArguments;
        this.groupsFrom = groupsFrom;
        this.groupSize = groupSize;
        this.auth = auth;
    }

    /**
     * Returns whether this command takes {@code count} arguments, its name not counted.
     *
     * @param count a number of arguments
     * @return whether the command's description admits it
     */
    public boolean acceptsArgumentCount(int count) {
        return count >= minArguments && count <= maxArguments
                && (groupsFrom < 0 || (count - groupsFrom) % groupSize == 0);
    }

    /** Returns the names of the commands any connection may send, whichever handler serves them. */
    static Set<String> alwaysAllowedBeforeAuth() {
        return EnumSet.allOf(Command.class).stream().filter(command -> command.auth == Auth.NOT_NEEDED)
                .map(Command::name).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Registers the handlers of built-in commands, each behind the check of its number of arguments.
     *
     * @param table the table to register them in
     * @param handlers the handlers by command
     */
    static void register(CommandTable.Builder table, Map<Command, CommandHandler> handlers) {
        handlers.forEach((command, handler) -> {
            if (command.auth == Auth.SELF_CHECKED) {
                table.addBeforeAuth(command.name(), command.checked(handler));
            } else {
                table.add(command.name(), command.checked(handler));
            }
        });
    }

    /**
     * Returns the handler that first checks the request's number of arguments, as described here, then runs
     * {@code handler}. A handler that replaces the command, or wraps this one, gets the check only through this.
     */
    CommandHandler checked(CommandHandler handler) {
        if (minArguments == 0 && maxArguments == Integer.MAX_VALUE && groupsFrom < 0) {
            return handler;
        }
        return (request, reply) -> {
            if (!acceptsArgumentCount(request.argumentCount())) {
                throw new CommandException(Errors.wrongArguments(request.name()));
            }
            handler.handle(request, reply);
        };
    }
}

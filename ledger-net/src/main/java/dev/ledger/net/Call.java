package dev.ledger.net;

import dev.ledger.Bank;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import static dev.ledger.net.Command.*;

import dev.ledger.net.internal.ErrorReply;
import dev.ledger.net.internal.Errors;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * One command for a {@link BankClient} and how to read its reply: what the client's typed methods send, and what
 * a {@link Pipeline} queues. What each command takes and answers on the wire is described once, in {@link Command};
 * a call adds the Java type its reply decodes to.
 *
 * <pre>{@code
 * Pipeline pipeline = client.pipeline();
 * Response<Outcome> first = pipeline.add(Call.transfer("alice", "bob", 10));
 * Response<Long> balance = pipeline.add(Call.balance("bob"));
 * pipeline.sync();
 * }</pre>
 *
 * <p>Decoding maps the reply the way the bank itself would answer: results as values, {@code -FAILED} as an
 * {@link Outcome}, {@code -ABORT} as a {@link Vote}, a bank's refusal ({@code -ERR ... (CODE)}) as a
 * {@link LedgerException} with that code, other error replies as {@link ServerErrorException}, and a reply of the
 * wrong shape as {@link ProtocolViolationException}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param <T> the type of the result
 */
public final class Call<T> {
    /** The most transfers one {@link Command#TRANSFERS} request may hold: the bank's batch limit. */
    public static final int MAX_TRANSFERS_PER_BATCH = Bank.MAX_TRANSFERS_PER_BATCH;

    private static final String INSUFFICIENT_FUNDS = "insufficient funds";

    private final List<String> command;
    private final Function<Object, T> decoder;

    private Call(List<String> command, Function<Object, T> decoder) {
        this.command = command;
        this.decoder = decoder;
    }

    /** Returns the command as sent: its name, then its arguments. */
    public List<String> command() {
        return command;
    }

    /** Decodes the reply read for this call. */
    T decode(Object reply) {
        return decoder.apply(reply);
    }

    /** {@link Command#PING}: returns normally on {@code +PONG}. */
    public static Call<Void> ping() {
        return of(reply -> expectSimple(PING, reply, "PONG"), PING);
    }

    /**
     * {@link Command#ECHO}: returns the message.
     *
     * @param message any text
     * @return the call
     */
    public static Call<String> echo(String message) {
        return of(reply -> string(ECHO, reply), ECHO, message);
    }

    /** {@link Command#QUIT}: returns normally on {@code +OK}; the server then closes the connection. */
    public static Call<Void> quit() {
        return of(reply -> expectSimple(QUIT, reply, "OK"), QUIT);
    }

    /**
     * {@link Command#AUTH}: returns normally if accepted.
     *
     * @param password the server's password
     * @return the call
     */
    public static Call<Void> auth(String password) {
        return of(reply -> expectSimple(AUTH, reply, "OK"), AUTH, password);
    }

    /**
     * {@link Command#OPEN} with a zero balance: returns normally once the account is open.
     *
     * @param account the new account's id
     * @return the call
     */
    public static Call<Void> open(String account) {
        return of(reply -> expectSimple(OPEN, reply, "OK"), OPEN, account);
    }

    /**
     * {@link Command#OPEN} with an initial balance: returns normally once the account is open.
     *
     * @param account the new account's id
     * @param initialBalance its opening balance
     * @return the call
     */
    public static Call<Void> open(String account, long initialBalance) {
        return of(reply -> expectSimple(OPEN, reply, "OK"), OPEN, account, Long.toString(initialBalance));
    }

    /**
     * {@link Command#BALANCE}: returns the balance.
     *
     * @param account the account's id
     * @return the call
     */
    public static Call<Long> balance(String account) {
        return of(reply -> integer(BALANCE, reply), BALANCE, account);
    }

    /**
     * {@link Command#DEPOSIT}: returns the new balance.
     *
     * @param account the account's id
     * @param amount a positive amount
     * @return the call
     */
    public static Call<Long> deposit(String account, long amount) {
        return of(reply -> integer(DEPOSIT, reply), DEPOSIT, account, Long.toString(amount));
    }

    /**
     * {@link Command#WITHDRAW}: returns the new balance, or empty if the funds were insufficient.
     *
     * @param account the account's id
     * @param amount a positive amount
     * @return the call
     */
    public static Call<OptionalLong> withdraw(String account, long amount) {
        return of(reply -> failedFunds(reply) ? OptionalLong.empty() : OptionalLong.of(integer(WITHDRAW, reply)),
                WITHDRAW, account, Long.toString(amount));
    }

    /**
     * {@link Command#TRANSFER}: returns {@link Outcome#OK} or {@link Outcome#INSUFFICIENT_FUNDS}.
     *
     * @param from the source account's id
     * @param to the destination account's id
     * @param amount a positive amount
     * @return the call
     */
    public static Call<Outcome> transfer(String from, String to, long amount) {
        return of(reply -> outcome(TRANSFER, reply), TRANSFER, from, to, Long.toString(amount));
    }

    /**
     * {@link Command#MTRANSFER}: returns {@link Outcome#OK} or {@link Outcome#INSUFFICIENT_FUNDS}.
     *
     * @param to the destination account
     * @param sources the source accounts and their amounts, in order; at least one
     * @return the call
     */
    public static Call<Outcome> transfer(String to, Map<String, Long> sources) {
        List<String> command = new ArrayList<>(2 + 2 * sources.size());
        command.add(MTRANSFER.name());
        command.add(to);
        sources.forEach((from, amount) -> {
            command.add(from);
            command.add(Long.toString(amount));
        });
        return new Call<>(List.copyOf(command), reply -> outcome(MTRANSFER, reply));
    }

    /**
     * {@link Command#TRANSFERS} with one transfer: returns its status.
     *
     * @param transfer the transfer; its id may be null
     * @return the call
     */
    public static Call<TransferStatus> transfer(Transfer transfer) {
        Call<List<TransferStatus>> batch = transfers(List.of(transfer));
        return new Call<>(batch.command, reply -> batch.decode(reply).get(0));
    }

    /**
     * {@link Command#TRANSFERS}: returns each transfer's status, in order.
     *
     * @param transfers 1 to {@value #MAX_TRANSFERS_PER_BATCH} transfers, none linked; ids may be null
     * @return the call
     * @throws IllegalArgumentException if there are none or too many, or one is linked (see {@link #chain})
     */
    public static Call<List<TransferStatus>> transfers(List<Transfer> transfers) {
        for (Transfer transfer : transfers) {
            if (transfer.linked()) {
                throw new IllegalArgumentException("TRANSFERS carries transfers that are not linked; send a linked "
                        + "chain with Call.chain, or the whole list with BankClient.transfers");
            }
        }
        return batch(TRANSFERS, transfers);
    }

    /**
     * {@link Command#CHAIN}: applies the transfers as one linked chain, whatever their own links; returns each
     * transfer's status, in order.
     *
     * @param chain 1 to {@value #MAX_TRANSFERS_PER_BATCH} transfers; ids may be null
     * @return the call
     * @throws IllegalArgumentException if there are none or too many
     */
    public static Call<List<TransferStatus>> chain(List<Transfer> chain) {
        return batch(CHAIN, chain);
    }

    private static Call<List<TransferStatus>> batch(Command command, List<Transfer> transfers) {
        if (transfers.isEmpty() || transfers.size() > MAX_TRANSFERS_PER_BATCH) {
            throw new IllegalArgumentException("a " + command + " request holds 1 to " + MAX_TRANSFERS_PER_BATCH
                    + " transfers, got " + transfers.size());
        }
        List<String> parts = new ArrayList<>(1 + 4 * transfers.size());
        parts.add(command.name());
        for (Transfer transfer : transfers) {
            parts.add(transfer.id() == null ? "" : transfer.id());
            parts.add(Objects.requireNonNull(transfer.from(), "from"));
            parts.add(Objects.requireNonNull(transfer.to(), "to"));
            parts.add(Long.toString(transfer.amount()));
        }
        int size = transfers.size();
        return new Call<>(List.copyOf(parts), reply -> statuses(command, reply, size));
    }

    /**
     * {@link Command#ONCE} with {@link Command#DEPOSIT}: returns what became of the deposit.
     *
     * @param id the client's id for the deposit
     * @param account the account's id
     * @param amount a positive amount
     * @return the call
     */
    public static Call<TransferStatus> depositOnce(String id, String account, long amount) {
        return once(id, DEPOSIT, account, Long.toString(amount));
    }

    /**
     * {@link Command#ONCE} with {@link Command#WITHDRAW}: returns what became of the withdrawal.
     *
     * @param id the client's id for the withdrawal
     * @param account the account's id
     * @param amount a positive amount
     * @return the call
     */
    public static Call<TransferStatus> withdrawOnce(String id, String account, long amount) {
        return once(id, WITHDRAW, account, Long.toString(amount));
    }

    /**
     * {@link Command#ONCE} with {@link Command#MTRANSFER}: returns what became of the multi-leg transfer.
     *
     * @param id the client's id for the transfer
     * @param to the destination account's id
     * @param sources the source accounts' ids and amounts, in order; at least one
     * @return the call
     */
    public static Call<TransferStatus> transferOnce(String id, String to, Map<String, Long> sources) {
        List<String> arguments = new ArrayList<>(1 + 2 * sources.size());
        arguments.add(to);
        sources.forEach((from, amount) -> {
            arguments.add(from);
            arguments.add(Long.toString(amount));
        });
        return once(id, MTRANSFER, arguments.toArray(String[]::new));
    }

    private static Call<TransferStatus> once(String id, Command operation, String... arguments) {
        String[] parts = new String[arguments.length + 2];
        parts[0] = Objects.requireNonNull(id, "id");
        parts[1] = operation.name();
        System.arraycopy(arguments, 0, parts, 2, arguments.length);
        return of(reply -> status(ONCE, string(ONCE, reply)), ONCE, parts);
    }

    /** {@link Command#SNAPSHOT}: returns the balances by account id, in the server's order (by id). */
    public static Call<Map<String, Long>> snapshot() {
        return of(reply -> {
            if (reply instanceof Map) { // RESP3
                Map<String, Long> balances = new LinkedHashMap<>();
                ((Map<?, ?>) reply).forEach((id, balance) ->
                        balances.put(string(SNAPSHOT, id), integer(SNAPSHOT, balance)));
                return Collections.unmodifiableMap(balances);
            }
            List<Object> flat = array(SNAPSHOT, reply);
            if (flat.size() % 2 != 0) {
                throw new ProtocolViolationException(SNAPSHOT + ": expected id and balance pairs, got "
                        + flat.size() + " elements");
            }
            Map<String, Long> balances = new LinkedHashMap<>(flat.size());
            for (int i = 0; i < flat.size(); i += 2) {
                balances.put(string(SNAPSHOT, flat.get(i)), integer(SNAPSHOT, flat.get(i + 1)));
            }
            return Collections.unmodifiableMap(balances);
        }, SNAPSHOT);
    }

    /** {@link Command#TOTAL}: returns the total. */
    public static Call<Long> total() {
        return of(reply -> integer(TOTAL, reply), TOTAL);
    }

    /** {@link Command#ACCOUNTS}: returns the ids, in the server's order (sorted). */
    public static Call<List<String>> accounts() {
        return of(reply -> strings(ACCOUNTS, reply), ACCOUNTS);
    }

    /**
     * {@link Command#PREPARE}: returns the participant's {@link Vote}.
     *
     * @param txId the transaction id
     * @param legs the legs at that bank
     * @param timeout how long the holds wait for the decision
     * @return the call
     */
    public static Call<Vote> prepare(String txId, List<Leg> legs, Duration timeout) {
        List<String> command = new ArrayList<>(3 + 2 * legs.size());
        command.add(PREPARE.name());
        command.add(txId);
        command.add(Long.toString(timeout.toMillis()));
        for (Leg leg : legs) {
            command.add(leg.account());
            command.add(Long.toString(leg.amount()));
        }
        return new Call<>(List.copyOf(command), Call::vote);
    }

    /**
     * {@link Command#COMMIT}: returns {@link TxState#COMMITTED}; a refusal is a {@link LedgerException}.
     *
     * @param txId the transaction id
     * @return the call
     */
    public static Call<TxState> commit(String txId) {
        return of(reply -> {
            expectSimple(COMMIT, reply, "OK");
            return TxState.COMMITTED;
        }, COMMIT, txId);
    }

    /**
     * {@link Command#ABORT}: returns {@link TxState#ABORTED}; a refusal is a {@link LedgerException}.
     *
     * @param txId the transaction id
     * @return the call
     */
    public static Call<TxState> abort(String txId) {
        return of(reply -> {
            expectSimple(ABORT, reply, "OK");
            return TxState.ABORTED;
        }, ABORT, txId);
    }

    /**
     * {@link Command#TXSTATUS}: returns the state as a {@link TxState}.
     *
     * @param txId the transaction id
     * @return the call
     */
    public static Call<TxState> status(String txId) {
        return of(reply -> {
            String state = string(TXSTATUS, reply);
            try {
                return TxState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw new ProtocolViolationException(TXSTATUS + ": unknown state '" + state + "'");
            }
        }, TXSTATUS, txId);
    }

    /** {@link Command#INDOUBT}: returns the ids, in the server's order (sorted). */
    public static Call<List<String>> inDoubt() {
        return of(reply -> strings(INDOUBT, reply), INDOUBT);
    }

    /** {@link Command#PREPARED}: returns the ids, in the server's order (sorted). */
    public static Call<List<String>> preparedTransactions() {
        return of(reply -> strings(PREPARED, reply), PREPARED);
    }

    /**
     * Any command, such as one an application registered on its server. The result is the reply as read: a
     * {@code String} for a simple or bulk string, a {@code Long} for an integer, a {@code List<Object>} for an
     * array, {@code null} for a null bulk string; an error reply is thrown as for every call.
     *
     * @param command the command name and its arguments
     * @return the call
     */
    public static Call<Object> raw(String... command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("a command needs at least its name");
        }
        return of(reply -> {
            checkError(reply);
            return reply;
        }, command);
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    private static <T> Call<T> of(Function<Object, T> decoder, String... command) {
        for (String part : command) {
            Objects.requireNonNull(part, "a command argument");
        }
        return new Call<>(List.of(command), decoder);
    }

    private static <T> Call<T> of(Function<Object, T> decoder, Command command, String... arguments) {
        String[] parts = new String[arguments.length + 1];
        parts[0] = command.name();
        System.arraycopy(arguments, 0, parts, 1, arguments.length);
        return of(decoder, parts);
    }

    // ---------------------------------------------------------------- decoding

    /** Reads {@code [index, STATUS, ...]}, the transfers not applied now, in increasing order; the others are OK. */
    private static List<TransferStatus> statuses(Command command, Object reply, int size) {
        List<Object> flat = array(command, reply);
        if (flat.size() % 2 != 0) {
            throw new ProtocolViolationException(command + ": expected index and status pairs, got "
                    + flat.size() + " elements");
        }
        TransferStatus[] statuses = new TransferStatus[size];
        Arrays.fill(statuses, TransferStatus.OK);
        long previous = -1;
        for (int i = 0; i < flat.size(); i += 2) {
            long index = integer(command, flat.get(i));
            if (index <= previous || index >= size) {
                throw new ProtocolViolationException(command + ": index " + index + " out of order or beyond the "
                        + size + " transfers sent");
            }
            previous = index;
            statuses[(int) index] = status(command, string(command, flat.get(i + 1)));
        }
        return List.of(statuses);
    }

    private static TransferStatus status(Command command, String name) {
        try {
            return TransferStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException(command + ": unknown status '" + name + "'");
        }
    }

    private static Vote vote(Object reply) {
        if (reply instanceof ErrorReply && ((ErrorReply) reply).kind().equals("ABORT")) {
            String detail = ((ErrorReply) reply).detail();
            int space = detail.indexOf(' ');
            String reason = space < 0 ? detail : detail.substring(0, space);
            try {
                return Vote.abortVote(AbortReason.valueOf(reason), space < 0 ? "" : detail.substring(space + 1));
            } catch (IllegalArgumentException e) {
                throw new ProtocolViolationException(PREPARE + ": unknown abort reason '" + reason + "'");
            }
        }
        expectSimple(PREPARE, reply, "PREPARED");
        return Vote.commitVote();
    }

    private static Outcome outcome(Command command, Object reply) {
        if (failedFunds(reply)) {
            return Outcome.INSUFFICIENT_FUNDS;
        }
        expectSimple(command, reply, "OK");
        return Outcome.OK;
    }

    private static boolean failedFunds(Object reply) {
        return reply instanceof ErrorReply && ((ErrorReply) reply).kind().equals("FAILED")
                && ((ErrorReply) reply).detail().equals(INSUFFICIENT_FUNDS);
    }

    private static Void expectSimple(Command command, Object reply, String expected) {
        checkError(reply);
        if (!expected.equals(reply)) {
            throw unexpected(command, "+" + expected, reply);
        }
        return null;
    }

    private static long integer(Command command, Object reply) {
        checkError(reply);
        if (!(reply instanceof Long)) {
            throw unexpected(command, "an integer", reply);
        }
        return (Long) reply;
    }

    private static String string(Command command, Object reply) {
        checkError(reply);
        if (!(reply instanceof String)) {
            throw unexpected(command, "a string", reply);
        }
        return (String) reply;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> array(Command command, Object reply) {
        checkError(reply);
        if (!(reply instanceof List)) {
            throw unexpected(command, "an array", reply);
        }
        return (List<Object>) reply;
    }

    private static List<String> strings(Command command, Object reply) {
        List<Object> elements = array(command, reply);
        List<String> strings = new ArrayList<>(elements.size());
        for (Object element : elements) {
            strings.add(string(command, element));
        }
        return Collections.unmodifiableList(strings);
    }

    /** Throws the exception an error reply stands for, if it is one. */
    private static void checkError(Object reply) {
        if (reply instanceof ErrorReply) {
            ErrorReply error = (ErrorReply) reply;
            if (error.kind().equals("ERR")) {
                var code = Errors.ledgerCode(error.detail());
                if (code != null) {
                    throw new LedgerException(code, Errors.withoutCode(error.detail()));
                }
            }
            throw new ServerErrorException(error.kind(), error.detail());
        }
    }

    private static ProtocolViolationException unexpected(Command command, String expected, Object reply) {
        String shown = reply instanceof String ? "'" + reply + "'" : String.valueOf(reply);
        return new ProtocolViolationException(command.name() + ": expected " + expected + ", got " + shown);
    }
}

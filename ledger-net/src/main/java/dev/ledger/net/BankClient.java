package dev.ledger.net;

import dev.ledger.Outcome;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A blocking client of a {@link BankServer} (or of any server speaking its commands), over one TCP connection.
 *
 * <pre>{@code
 * try (BankClient client = BankClient.builder().port(5000).password("secret").connect()) {
 *     client.open("alice", 100);
 *     Outcome outcome = client.transfer("alice", "bob", 25);
 * }
 * }</pre>
 *
 * <p><b>Results.</b> Methods answer as the {@link dev.ledger.Bank} does: values and {@link Outcome}s; a refusal by
 * the bank is thrown as {@link dev.ledger.LedgerException} with the bank's {@link dev.ledger.ErrorCode}; another
 * error reply is a {@link ServerErrorException}; a reply that makes no sense is a
 * {@link ProtocolViolationException}. Network failures, including the read timeout, are
 * {@link UncheckedIOException}s; after one the connection is closed (a late reply would be mistaken for the next
 * one) and every later call fails at once: connect a new client. Nothing is retried, since a transfer whose reply
 * was lost may have been applied; a {@link Transfer} with an id, though, can be sent again safely on a new
 * connection (see {@link #transfers}).
 *
 * <p><b>Pipelining.</b> {@link #pipeline()} batches calls into one round trip.
 *
 * <p>Concurrency: thread-safe. Calls from several threads take turns on the one connection, whose lock guards the
 * socket, its buffers and whether a failure broke it; for parallel requests use one client per thread.
 */
public final class BankClient implements AutoCloseable {
    private final ClientConnection connection;
    private final int protocol;

    private BankClient(Settings settings) throws IOException {
        this.connection = new ClientConnection(settings);
        this.protocol = settings.protocol;
    }

    /** Returns the protocol version this connection speaks: 2, or 3 if the builder asked for it. */
    public int protocol() {
        return protocol;
    }

    /** Returns a builder; by default it connects to 127.0.0.1:5000. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects with the default timeouts and no password.
     *
     * @param host the server's host
     * @param port the server's port
     * @return the connected client
     * @throws UncheckedIOException if the connection fails
     */
    public static BankClient connect(String host, int port) {
        return builder().host(host).port(port).connect();
    }

    // ---------------------------------------------------------------- typed commands
    // Each sends the command's Call: see Command for what it takes, answers and refuses, and Call for its result.

    /** Sends {@link Command#PING} and waits for {@code +PONG}. */
    public void ping() {
        execute(Call.ping());
    }

    /**
     * Sends {@link Command#ECHO}.
     *
     * @param message any text
     * @return the message, as the server sent it back
     */
    public String echo(String message) {
        return execute(Call.echo(message));
    }

    /** Sends {@link Command#QUIT}, waits for {@code +OK}, and closes the connection. */
    public void quit() {
        try {
            execute(Call.quit());
        } finally {
            close();
        }
    }

    /**
     * Authenticates this connection with {@link Command#AUTH}.
     *
     * @param password the server's password
     * @throws ServerErrorException {@code ERR invalid password}
     */
    public void auth(String password) {
        execute(Call.auth(password));
    }

    /**
     * Opens an account with a zero balance: {@link Command#OPEN}.
     *
     * @param account the new account's id
     */
    public void open(String account) {
        execute(Call.open(account));
    }

    /**
     * Opens an account with an initial balance: {@link Command#OPEN}.
     *
     * @param account the new account's id
     * @param initialBalance its opening balance
     */
    public void open(String account, long initialBalance) {
        execute(Call.open(account, initialBalance));
    }

    /**
     * Returns an account's balance, held money included: {@link Command#BALANCE}.
     *
     * @param account the account's id
     * @return the balance
     */
    public long balance(String account) {
        return execute(Call.balance(account));
    }

    /**
     * Adds money to an account: {@link Command#DEPOSIT}.
     *
     * @param account the account's id
     * @param amount a positive amount
     * @return the new balance
     */
    public long deposit(String account, long amount) {
        return execute(Call.deposit(account, amount));
    }

    /**
     * Takes money from an account if its available money covers it: {@link Command#WITHDRAW}.
     *
     * @param account the account's id
     * @param amount a positive amount
     * @return the new balance, or empty if the funds were insufficient (nothing changed)
     */
    public OptionalLong withdraw(String account, long amount) {
        return execute(Call.withdraw(account, amount));
    }

    /**
     * Moves money between two accounts: {@link Command#TRANSFER}.
     *
     * @param from the source account's id
     * @param to the destination account's id
     * @param amount a positive amount
     * @return {@link Outcome#OK} or {@link Outcome#INSUFFICIENT_FUNDS}
     */
    public Outcome transfer(String from, String to, long amount) {
        return execute(Call.transfer(from, to, amount));
    }

    /**
     * Takes money from several accounts and pays the sum into one, all or nothing: {@link Command#MTRANSFER}.
     *
     * @param to the destination account's id
     * @param sources the source accounts' ids and amounts, in order
     * @return {@link Outcome#OK} or {@link Outcome#INSUFFICIENT_FUNDS}
     */
    public Outcome transfer(String to, Map<String, Long> sources) {
        return execute(Call.transfer(to, sources));
    }

    /**
     * Applies one transfer, at most once per id: {@link Command#TRANSFERS}. See {@link #transfers} on retrying.
     *
     * @param transfer the transfer; without an id (null) it is applied each time it is sent
     * @return what became of it; {@link TransferStatus#CHAIN_OPEN}, unsent, if it is linked to a next one
     */
    public TransferStatus transfer(Transfer transfer) {
        return transfer.linked() ? TransferStatus.CHAIN_OPEN : execute(Call.transfer(transfer));
    }

    /**
     * Applies transfers in order, each on its own and at most once per id, and each linked chain
     * ({@link Transfer#linkedToNext}) all or none: runs of unlinked transfers as {@link Command#TRANSFERS} requests
     * of at most {@value Call#MAX_TRANSFERS_PER_BATCH}, each chain as one {@link Command#CHAIN} request, all
     * pipelined. Each request is answered once it is durable on the server. A list that ends inside a chain has
     * that chain answered {@link TransferStatus#CHAIN_OPEN} without sending it, as the bank would answer it.
     *
     * <p><b>Retrying.</b> If the connection fails, some requests may have been applied and others not. Transfers
     * with ids can then be sent again, all of them, on a new connection: those that got through are answered
     * {@link TransferStatus#REPEATED} and change nothing. Transfers without an id would be applied twice.
     *
     * @param transfers the transfers, any number; ids may be null
     * @return each transfer's status, in order
     * @throws IllegalArgumentException if a chain is longer than {@value Call#MAX_TRANSFERS_PER_BATCH}; nothing
     *     was sent
     * @throws UncheckedIOException if the connection failed; see above
     */
    public List<TransferStatus> transfers(List<Transfer> transfers) {
        List<Call<List<TransferStatus>>> calls = new ArrayList<>();
        int size = transfers.size();
        int start = 0;
        while (start < size) {
            int end = start;
            if (transfers.get(start).linked()) {
                while (end < size && transfers.get(end).linked()) {
                    end++;
                }
                if (end == size) {
                    break; // an open chain: answered below, unsent
                }
                if (end - start + 1 > Call.MAX_TRANSFERS_PER_BATCH) {
                    throw new IllegalArgumentException("a linked chain holds at most " + Call.MAX_TRANSFERS_PER_BATCH
                            + " transfers, got " + (end - start + 1) + " from index " + start);
                }
                calls.add(Call.chain(transfers.subList(start, end + 1)));
                start = end + 1;
            } else {
                while (end < size && end - start < Call.MAX_TRANSFERS_PER_BATCH && !transfers.get(end).linked()) {
                    end++;
                }
                calls.add(Call.transfers(transfers.subList(start, end)));
                start = end;
            }
        }
        Pipeline pipeline = pipeline();
        List<Response<List<TransferStatus>>> parts = new ArrayList<>(calls.size());
        for (Call<List<TransferStatus>> call : calls) {
            parts.add(pipeline.add(call));
        }
        pipeline.sync();
        List<TransferStatus> statuses = new ArrayList<>(size);
        for (Response<List<TransferStatus>> part : parts) {
            statuses.addAll(part.get());
        }
        while (statuses.size() < size) {
            statuses.add(TransferStatus.CHAIN_OPEN);
        }
        return List.copyOf(statuses);
    }

    /**
     * Adds money to an account at most once per id: {@link Command#ONCE}. After a lost connection, send it again
     * with the same id: {@link TransferStatus#REPEATED} means the first one got through.
     *
     * @param id the client's id for the deposit
     * @param account the account's id
     * @param amount a positive amount
     * @return what became of it
     */
    public TransferStatus depositOnce(String id, String account, long amount) {
        return execute(Call.depositOnce(id, account, amount));
    }

    /**
     * Takes money from an account at most once per id: {@link Command#ONCE}; retried as {@link #depositOnce}.
     *
     * @param id the client's id for the withdrawal
     * @param account the account's id
     * @param amount a positive amount
     * @return what became of it, {@link TransferStatus#INSUFFICIENT_FUNDS} included
     */
    public TransferStatus withdrawOnce(String id, String account, long amount) {
        return execute(Call.withdrawOnce(id, account, amount));
    }

    /**
     * Takes money from several accounts and pays the sum into one, all or nothing, at most once per id:
     * {@link Command#ONCE}; retried as {@link #depositOnce}.
     *
     * @param id the client's id for the transfer
     * @param to the destination account's id
     * @param sources the source accounts' ids and amounts, in order
     * @return what became of it
     */
    public TransferStatus transferOnce(String id, String to, Map<String, Long> sources) {
        return execute(Call.transferOnce(id, to, sources));
    }

    /** Returns every balance of one consistent cut, by account id, in id order: {@link Command#SNAPSHOT}. */
    public Map<String, Long> snapshot() {
        return execute(Call.snapshot());
    }

    /** Returns the bank's money at one instant: {@link Command#TOTAL}. */
    public long total() {
        return execute(Call.total());
    }

    /** Returns every account id, sorted: {@link Command#ACCOUNTS}. */
    public List<String> accounts() {
        return execute(Call.accounts());
    }

    /**
     * Prepares a two-phase-commit transaction at the server's bank: {@link Command#PREPARE}.
     *
     * @param txId the transaction id
     * @param legs the legs at that bank
     * @param timeout how long the holds wait for the decision
     * @return the bank's vote
     */
    public Vote prepare(String txId, List<Leg> legs, Duration timeout) {
        return execute(Call.prepare(txId, legs, timeout));
    }

    /**
     * Commits a prepared transaction: {@link Command#COMMIT}.
     *
     * @param txId the transaction id
     * @return {@link TxState#COMMITTED}
     */
    public TxState commit(String txId) {
        return execute(Call.commit(txId));
    }

    /**
     * Aborts a transaction: {@link Command#ABORT}.
     *
     * @param txId the transaction id
     * @return {@link TxState#ABORTED}
     */
    public TxState abort(String txId) {
        return execute(Call.abort(txId));
    }

    /**
     * Returns what the server's bank knows of a transaction: {@link Command#TXSTATUS}.
     *
     * @param txId the transaction id
     * @return its state
     */
    public TxState status(String txId) {
        return execute(Call.status(txId));
    }

    /** Returns the ids of the prepared transactions that have outlived their timeout: {@link Command#INDOUBT}. */
    public List<String> inDoubt() {
        return execute(Call.inDoubt());
    }

    /**
     * Returns the ids of every transaction prepared at the bank and not yet settled, in doubt or not:
     * {@link Command#PREPARED}.
     */
    public List<String> preparedTransactions() {
        return execute(Call.preparedTransactions());
    }

    // ---------------------------------------------------------------- calls and pipelines

    /**
     * Sends one call and returns its decoded reply.
     *
     * @param call the call
     * @param <T> its result's type
     * @return the result
     */
    public <T> T execute(Call<T> call) {
        Response<T> response = new Response<>(call);
        exchange(List.of(call), List.of(response));
        return response.get();
    }

    /** Returns a new, empty pipeline on this connection. */
    public Pipeline pipeline() {
        return new Pipeline(this);
    }

    /** Returns whether the connection is still usable: not closed, and no failure broke it. */
    public boolean isOpen() {
        return connection.isOpen();
    }

    /** Closes the connection. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "BankClient[" + connection.endpoint() + "]";
    }

    /** Sends the calls and completes each response with its reply, or fails them all if the connection breaks. */
    void exchange(List<Call<?>> calls, List<Response<?>> responses) {
        connection.exchange(calls, responses);
    }

    /** A call failed before any of it was sent, because the connection was already closed: safe to resend. */
    static final class NotSent extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        NotSent(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Immutable connection settings, copied from a builder. */
    static final class Settings {
        final String host;
        final int port;
        final Duration connectTimeout;
        final Duration readTimeout;
        final String password;
        final int protocol;

        Settings(Builder builder) {
            this.host = builder.host;
            this.port = builder.port;
            this.connectTimeout = builder.connectTimeout;
            this.readTimeout = builder.readTimeout;
            this.password = builder.password;
            this.protocol = builder.protocol;
        }

        BankClient connect() {
            BankClient client;
            try {
                client = new BankClient(this);
            } catch (IOException e) {
                throw ClientConnection.unchecked(new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage()), e);
            }
            try {
                if (protocol == 3) { // HELLO 3 AUTH default <password>: authenticates and switches in one command
                    Object reply = client.execute(password == null ? Call.raw("HELLO", "3")
                            : Call.raw("HELLO", "3", "AUTH", "default", password));
                    if (!(reply instanceof Map)) {
                        throw new ProtocolViolationException("HELLO 3: expected a map, got " + reply);
                    }
                } else if (password != null) {
                    client.auth(password);
                }
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return client;
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Configures and opens connections; reusable: each {@link #connect()} opens a new one. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 5000;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private String password;
        private int protocol = 2;

        private Builder() {
        }

        /**
         * Sets the protocol version; default 2. With 3 the client connects with {@code HELLO 3} (with
         * {@code AUTH default password} if a password is set) and decodes RESP3 replies: {@link Call#raw} then
         * returns maps as {@code Map}s, sets as {@code Set}s, booleans and doubles as such; the typed methods
         * answer the same in both.
         *
         * @param version 2 or 3
         * @return this builder
         */
        public Builder protocol(int version) {
            if (version != 2 && version != 3) {
                throw new IllegalArgumentException("the protocol version is 2 or 3, got " + version);
            }
            this.protocol = version;
            return this;
        }

        /**
         * Sets the server's host; default {@code 127.0.0.1}.
         *
         * @param host a host name or IP address
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the server's port; default 5000.
         *
         * @param port 1 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("a port is 1 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets how long connecting may take; default 5 seconds.
         *
         * @param timeout a positive timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        /**
         * Sets how long to wait for a reply; default 10 seconds. A call that waits longer fails, and the connection
         * is closed.
         *
         * @param timeout a positive timeout
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /**
         * Sets the password to send with {@code AUTH} on connecting; default none.
         *
         * @param password the password, or null for none
         * @return this builder
         */
        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /**
         * Opens a connection, and authenticates if a password is set.
         *
         * @return the connected client
         * @throws UncheckedIOException if the connection fails
         * @throws ServerErrorException if the password is refused
         */
        public BankClient connect() {
            return new Settings(this).connect();
        }

        Settings settings() {
            return new Settings(this);
        }

        private static Duration positive(Duration timeout, String what) {
            if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toMillis() == 0) {
                throw new IllegalArgumentException(what + " must be at least 1 ms, got " + timeout);
            }
            return timeout;
        }
    }
}

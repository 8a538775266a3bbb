package dev.ledger.net;

import dev.ledger.Bank;
import dev.ledger.internal.ThreadPerTask;
import dev.ledger.net.internal.BuiltinCommands;
import dev.ledger.net.internal.CommandTable;
import dev.ledger.net.internal.Connection;
import dev.ledger.net.internal.ConnectionSettings;
import dev.ledger.net.internal.OpenConnections;
import dev.ledger.net.internal.ServerCommands;
import dev.ledger.net.internal.ServerStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Serves a {@link Bank} over TCP in RESP2, the Redis protocol, or RESP3 for clients that ask with {@code HELLO 3},
 * so redis-cli, redis-benchmark and Redis client libraries work as clients with their default settings; inline
 * commands ({@code TRANSFER a b 10} typed into {@code nc}) work too.
 *
 * <pre>{@code
 * BankServer server = BankServer.builder(bank).port(5000).password("secret").build().start();
 * ...
 * server.stop(); // stop accepting, finish the requests in flight, close the connections
 * }</pre>
 *
 * <p><b>Commands.</b> The bank's operations, its two-phase-commit participant, and what Redis clients and tools
 * send on their own: {@link Command} describes each, its arguments and its replies. Applications add their own
 * with {@link Builder#command(String, CommandHandler)}.
 *
 * <p><b>Threads.</b> One thread per connection: virtual threads where the runtime has them, daemon platform
 * threads otherwise. Each connection answers every whole request it has read, then writes the replies in one go,
 * so pipelined requests cost one read and one write per batch.
 *
 * <p><b>Bad input</b> never stops the server. Input that is not RESP, an argument over
 * {@link Builder#maxArgumentBytes}, more than {@link Builder#maxArguments} arguments, a negative length or a
 * request left incomplete for {@link Builder#requestTimeout} gets {@code -ERR Protocol error: ...} and the
 * connection is closed. Beyond {@link Builder#maxConnections}, new clients get
 * {@code -ERR max number of clients reached} and are closed; the others are unaffected.
 *
 * <p>Concurrency: {@code state} is guarded by {@code this}; it only moves NEW, RUNNING, STOPPED. The acceptor
 * thread alone accepts connections, a watchdog thread enforces their timeouts, and {@code connections} (thread-safe)
 * keeps them.
 */
public final class BankServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BankServer.class.getName());
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    private enum State { NEW, RUNNING, STOPPED }

    private final Bank bank;
    private final String host;
    private final int requestedPort;
    private final ConnectionSettings settings;
    private final ServerStats stats;
    private final OpenConnections connections;
    /** Guarded by this. */
    private State state = State.NEW;
    /** Set on start; guarded by this. */
    private ServerSocket serverSocket;
    /** Set on start, under this; read by stop once it has seen RUNNING under this, and by the acceptor it starts. */
    private ExecutorService threads;
    /** As {@code threads}. */
    private ScheduledExecutorService watchdog;
    /** As {@code threads}. */
    private Thread acceptor;

    private BankServer(Builder builder) {
        this.bank = builder.bank;
        this.host = builder.host;
        this.requestedPort = builder.port;
        Set<Connection> open = ConcurrentHashMap.newKeySet();
        this.stats = new ServerStats(open);
        CommandTable.Builder table = CommandTable.builder(Command.alwaysAllowedBeforeAuth());
        byte[] password = builder.password == null ? null : builder.password.getBytes(StandardCharsets.UTF_8);
        Command.register(table, BuiltinCommands.handlers(bank));
        Command.register(table, ServerCommands.handlers(bank, password, new JournalPersistence(bank)));
        builder.commands.forEach(table::add);
        builder.wrappers.forEach(wrapper -> table.wrap(wrapper.name(), wrapper.decorator()));
        this.settings = new ConnectionSettings(table.build(), password, builder.maxArguments,
                builder.maxArgumentBytes, builder.maxRequestBytes, millis(builder.idleTimeout),
                millis(builder.requestTimeout), builder.listener, new JournalDurability(bank), stats);
        this.connections = new OpenConnections(open, builder.maxConnections, settings);
    }

    /**
     * Returns a builder for a server of {@code bank}.
     *
     * @param bank the bank to serve
     * @return the builder
     */
    public static Builder builder(Bank bank) {
        return new Builder(bank);
    }

    /**
     * Binds the port and starts accepting connections. The accepting thread is not a daemon: it keeps the JVM
     * alive until {@link #stop()}.
     *
     * @return this server
     * @throws IOException if the address cannot be bound
     * @throws IllegalStateException if the server was started before
     */
    public synchronized BankServer start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("a server starts once; this one is " + state);
        }
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), requestedPort), 511);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        serverSocket = socket;
        stats.port(socket.getLocalPort());
        threads = ThreadPerTask.newExecutor("ledger-net-" + socket.getLocalPort());
        watchdog = Executors.newSingleThreadScheduledExecutor(
                ThreadPerTask.daemonThreads("ledger-net-timeouts-" + socket.getLocalPort()));
        long tick = watchdogTick();
        watchdog.scheduleWithFixedDelay(this::expireConnections, tick, tick, TimeUnit.MILLISECONDS);
        acceptor = new Thread(this::acceptLoop, "ledger-net-accept-" + socket.getLocalPort());
        acceptor.start();
        state = State.RUNNING;
        return this;
    }

    /** Returns the bound port, useful after asking for port 0; before start, the configured one. */
    public synchronized int port() {
        return serverSocket != null ? serverSocket.getLocalPort() : requestedPort;
    }

    /** Returns the address the server listens on. */
    public synchronized InetSocketAddress address() {
        return new InetSocketAddress(host, port());
    }

    /** Returns the bank this server serves. */
    public Bank bank() {
        return bank;
    }

    /** Returns the number of open client connections. */
    public int connections() {
        return connections.count();
    }

    /** Returns whether the server has started and not stopped. */
    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Stops gracefully, allowing connections five seconds to finish; see {@link #stop(Duration)}.
     *
     * @return whether every connection finished within the grace period
     */
    public boolean stop() {
        return stop(DEFAULT_GRACE);
    }

    /**
     * Stops the server: stops accepting, lets each connection finish the requests it has already read and send
     * their replies, then closes it. Connections still busy after {@code grace} are closed at once. Calling it
     * again does nothing.
     *
     * @param grace how long to wait for connections to finish
     * @return whether every connection finished within the grace period
     */
    public boolean stop(Duration grace) {
        ServerSocket socket;
        synchronized (this) {
            if (state != State.RUNNING) {
                state = State.STOPPED;
                return true;
            }
            state = State.STOPPED;
            socket = serverSocket;
        }
        try {
            socket.close(); // the acceptor's accept fails and it ends
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the server socket: {0}", e.toString());
        }
        boolean graceful = true;
        try {
            acceptor.join(); // no connection is registered after this
            watchdog.shutdownNow();
            connections.stopGracefully();
            threads.shutdown();
            if (!threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                graceful = false;
                connections.closeNow();
                threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connections.closeNow();
            graceful = false;
        }
        return graceful;
    }

    /** Stops the server, as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private void acceptLoop() {
        ServerSocket socket;
        synchronized (this) {
            socket = serverSocket;
        }
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed: {0}", e.toString());
                }
                continue; // closed: the loop ends; otherwise (out of descriptors, say) try again
            }
            connections.accept(client, threads);
        }
    }

    /** Checks timeouts often enough that one fires at most a quarter late (and at least once a second). */
    private long watchdogTick() {
        long shortest = settings.requestTimeoutMillis();
        if (settings.idleTimeoutMillis() > 0) {
            shortest = Math.min(shortest, settings.idleTimeoutMillis());
        }
        return Math.max(10, Math.min(1000, shortest / 4));
    }

    private void expireConnections() {
        long now = System.nanoTime();
        stats.sample(now, settings.commands().totalCalls()); // for INFO's instantaneous_ops_per_sec
        connections.expireIfDue(now);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }

    /** Builds a {@link BankServer}. Not thread-safe; build on one thread. */
    public static final class Builder {
        private final Bank bank;
        private String host = "127.0.0.1";
        private int port = 5000;
        private String password;
        private int maxConnections = 1000;
        /** Admits the largest TRANSFERS batch: 4 arguments per transfer, plus the name. */
        private int maxArguments = 32 * 1024;
        private int maxArgumentBytes = 64 * 1024;
        /** Admits the largest TRANSFERS batch with the longest legal ids (64 characters) and amounts: ~1.9 MB. */
        private int maxRequestBytes = 2 * 1024 * 1024;
        private Duration idleTimeout = Duration.ofMinutes(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private ConnectionListener listener = new ConnectionListener() { };
        private final java.util.Map<String, CommandHandler> commands = new java.util.LinkedHashMap<>();
        private final java.util.List<Wrapper> wrappers = new java.util.ArrayList<>();

        private Builder(Bank bank) {
            this.bank = Objects.requireNonNull(bank, "bank");
        }

        /**
         * Sets the address to listen on; default {@code 127.0.0.1}, reachable from this machine only.
         *
         * @param host a host name or IP address; {@code 0.0.0.0} listens on every interface
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets the port; default 5000.
         *
         * @param port 1 to 65535, or 0 for any free port (see {@link BankServer#port()})
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Requires clients to send {@code AUTH password} (or {@code AUTH default password}, or {@code HELLO 3 AUTH
         * default password}) before any command but PING, QUIT and {@code CLIENT SETINFO}; default none.
         *
         * @param password the password, or null for none
         * @return this builder
         */
        public Builder password(String password) {
            if (password != null && password.isEmpty()) {
                throw new IllegalArgumentException("an empty password: pass null for none");
            }
            this.password = password;
            return this;
        }

        /**
         * Sets how many connections may be open at once; default 1000. Clients beyond it are refused.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxConnections(int max) {
            this.maxConnections = atLeast(1, max, "max connections");
            return this;
        }

        /**
         * Sets the most arguments in one request, the command name included; default 32,768, which admits the
         * largest {@link Command#TRANSFERS} batch ({@value Call#MAX_TRANSFERS_PER_BATCH} transfers).
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxArguments(int max) {
            this.maxArguments = atLeast(1, max, "max arguments");
            return this;
        }

        /**
         * Sets the longest argument (and the longest inline request line); default 64 KiB.
         *
         * @param max at least 64 bytes
         * @return this builder
         */
        public Builder maxArgumentBytes(int max) {
            this.maxArgumentBytes = atLeast(64, max, "max argument bytes");
            return this;
        }

        /**
         * Sets the largest request, which bounds each connection's input buffer; default 2 MiB, which admits the
         * largest {@link Command#TRANSFERS} batch with 64-character ids.
         *
         * @param max at least 1024 bytes
         * @return this builder
         */
        public Builder maxRequestBytes(int max) {
            this.maxRequestBytes = atLeast(1024, max, "max request bytes");
            return this;
        }

        /**
         * Sets how long a connection may neither read nor write before it is closed; default 5 minutes. Timeouts
         * are checked every quarter of the shorter one (at least once a second), so one may fire that much late.
         *
         * @param timeout the timeout, or zero for none
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative()) {
                throw new IllegalArgumentException("an idle timeout is zero (none) or positive, got " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets how long the rest of a request may take once its first bytes have arrived; default 10 seconds. A
         * client that sends half a request and stalls gets a protocol error and is closed.
         *
         * @param timeout a positive timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("a request timeout is positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * Adds a command, or replaces a built-in one of the same name. When a password is set, the command needs
         * authentication unless {@link Command} allows its name before authentication (AUTH, PING, QUIT).
         *
         * @param name the name, matched case-insensitively: printable ASCII without spaces
         * @param handler the handler, shared by all connections
         * @return this builder
         */
        public Builder command(String name, CommandHandler handler) {
            CommandTable.builder(Set.of()).add(name, handler); // checks the name now rather than at build()
            commands.put(name, handler);
            return this;
        }

        /**
         * Wraps a command, built-in or added with {@link #command}, in a decorator, for example to check who may run
         * it, without writing the command again:
         * <pre>{@code
         * builder.wrap("PREPARE", prepare -> (request, reply) -> {
         *     requirePeer(request.session());
         *     prepare.handle(request, reply);
         * });
         * }</pre>
         * Wrappers apply when the server is built, after every {@link #command}, in the order given; building fails
         * if no command has the name.
         *
         * @param name the command's name, matched case-insensitively
         * @param decorator makes the new handler from the command's handler
         * @return this builder
         */
        public Builder wrap(String name, UnaryOperator<CommandHandler> decorator) {
            wrappers.add(new Wrapper(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(decorator, "decorator")));
            return this;
        }

        /**
         * Sets who is told when connections open, close or are refused; default nobody.
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(ConnectionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A decorator for one command, applied at build time. */
        private record Wrapper(String name, UnaryOperator<CommandHandler> decorator) {
        }

        /** Builds the server; {@link BankServer#start()} starts it. */
        public BankServer build() {
            if (maxRequestBytes <= maxArgumentBytes) {
                throw new IllegalArgumentException("max request bytes (" + maxRequestBytes
                        + ") must exceed max argument bytes (" + maxArgumentBytes + ")");
            }
            return new BankServer(this);
        }

        private static int atLeast(int min, int value, String what) {
            if (value < min) {
                throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
            }
            return value;
        }
    }
}

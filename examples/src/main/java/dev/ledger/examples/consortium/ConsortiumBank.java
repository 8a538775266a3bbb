package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankServer;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.InMemoryDecisionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * One bank of a consortium: a {@link Bank} served by a ledger-net {@link BankServer} on the address its
 * consortium file gives, with the {@link CustomerCommands customer} and {@link PeerCommands peer} commands. It
 * coordinates the cross-bank transfers sent to it, and is a participant in those of the others.
 *
 * <p><b>Durability.</b> Without a data directory everything is in memory. With one ({@link Builder#dataDir}), the
 * bank's money, its coordinator's decisions and its customers survive a crash (see {@link BankStorage}): the bank
 * acknowledges nothing before it is durable, and a restarted bank comes back with its accounts, owners, holds
 * and decisions; the transactions it had prepared come back in doubt and are resolved by asking their
 * coordinator, as below.
 *
 * <p><b>Security.</b> One port serves customers and peers. The server has no ledger-net password (it would shut
 * customers out of everything); instead {@code AUTH <secret>} marks a connection as a peer bank and opens the
 * peer commands only, and {@code LOGIN <tax-id> <password>} marks it as an owner and opens the customer commands
 * only. See {@link Roles}.
 *
 * <p><b>In doubt.</b> Every {@code resolveEvery}, the bank asks the coordinators of the transactions it holds past
 * their hold timeout for their decisions and applies them (see {@link InDoubtResolver}).
 *
 * <p>Concurrency: built once, then thread-safe; its parts are (see each), and its fields are final. {@code close}
 * closes the storage last, after the server and the resolver stopped; a commit the coordinator is still delivering
 * to this bank then fails on the closed journal, and the restarted bank finds the transaction in doubt.
 */
public final class ConsortiumBank implements AutoCloseable {
    /** The default largest amount of one operation, in minor units: ten trillion in major units. */
    public static final long DEFAULT_MAX_AMOUNT = 1_000_000_000_000_000L;
    private final String name;
    private final Bank bank;
    private final Coordinator coordinator;
    private final Peers peers;
    private final CrossBankTransfer transfers;
    private final BankServer server;
    /** The web panel and REST API, or null without an HTTP port. */
    private final WebServer web;
    private final Duration peerTimeout;
    private final InDoubtResolver inDoubt;
    private final BankStorage storage;
    private final Recovery recovery;

    /** Recovers what {@code storage} holds first, so a failure there leaves no thread or executor behind. */
    private ConsortiumBank(Builder builder, Member self, BankStorage storage) {
        this.name = builder.name;
        this.peerTimeout = builder.peerTimeout;
        this.storage = storage;
        this.bank = Bank.builder().name(name).journal(storage.bankJournal()).build();
        CustomerFile customers = storage.customers();
        Owners owners = new Owners(new PasswordHasher(builder.passwordIterations), customers);
        AccountBook book = new AccountBook(bank, owners, customers);
        this.recovery = recover(customers, owners, book, storage.recoveredDecisions());
        this.coordinator = Coordinator.builder().name(name)
                .decisionLog(builder.decisionLogWrapper.apply(storage.decisions()))
                .prepareTimeout(builder.peerTimeout).holdTimeout(builder.holdTimeout)
                .retryDelay(Duration.ofMillis(50), Duration.ofSeconds(2)).build();
        this.peers = new Peers(builder.consortium, name, builder.secret, builder.peerTimeout);
        this.transfers = new CrossBankTransfer(name, bank, book, peers, coordinator);
        CustomerService service = new CustomerService(name, builder.consortium, bank, owners, book, peers,
                transfers, builder.throttle, builder.maxAmount);
        BankServer.Builder server = BankServer.builder(bank).host(self.host()).port(self.port());
        new PeerCommands(name, bank, book, coordinator, builder.secret).register(server);
        new CustomerCommands(service).register(server);
        this.server = server.build();
        this.web = builder.httpPort < 0 ? null : new WebServer(new RestApi(service,
                new WebSessions(name, builder.sessionTimeout, 100_000, builder.sessionClock)), name, builder.httpHost,
                builder.httpPort);
        this.inDoubt = new InDoubtResolver(name, bank, coordinator, peers, builder.resolveEvery, builder.events);
    }

    /** Restores the customer book in the order it was written; ownerships come before their bank accounts. */
    private Recovery recover(CustomerFile customers, Owners owners, AccountBook book, int decisions) {
        int completed = 0;
        for (CustomerFile.Entry entry : customers.recovered()) {
            if (entry instanceof CustomerFile.Registration registration) {
                owners.restore(registration);
            } else if (book.restore((CustomerFile.Opening) entry)) {
                completed++;
            }
        }
        return new Recovery(book.size(), owners.size(), decisions, bank.inDoubt().size(), completed);
    }

    /**
     * What a bank found in its data directory when it was built; all zero without one.
     *
     * @param accounts the accounts with their owners
     * @param owners the registered owners
     * @param decisions the decisions of its coordinator
     * @param inDoubt the transactions it had prepared, held again and in doubt until their coordinator answers
     * @param completedOpenings the openings whose bank account a crash had left unopened, opened now
     */
    public record Recovery(int accounts, int owners, int decisions, int inDoubt, int completedOpenings) {
        /** {@return one line for the operator} */
        public String summary() {
            return "recovered " + accounts + " accounts, " + owners + " owners, " + decisions + " decisions; "
                    + inDoubt + " transactions in doubt"
                    + (completedOpenings == 0 ? "" : "; " + completedOpenings + " account openings completed");
        }
    }

    /**
     * Returns a builder.
     *
     * @param name this bank's name, one of the consortium's
     * @param consortium every bank, this one included
     * @param secret the secret the banks share, at least 16 characters
     * @return the builder
     */
    public static Builder builder(String name, Consortium consortium, String secret) {
        return new Builder(name, consortium, secret);
    }

    /**
     * Starts serving and resolving transactions in doubt.
     *
     * @return this bank
     * @throws IOException if the port cannot be bound
     */
    public ConsortiumBank start() throws IOException {
        server.start();
        if (web != null) {
            try {
                web.start();
            } catch (IOException e) {
                server.stop();
                throw e;
            }
        }
        inDoubt.start();
        return this;
    }

    /** {@return the bank's name} */
    public String name() {
        return name;
    }

    /** {@return the port it listens on} */
    public int port() {
        return server.port();
    }

    /** {@return the port of the web panel and REST API; -1 without them} */
    public int httpPort() {
        return web == null ? -1 : web.port();
    }

    /** {@return what the bank recovered from its data directory when it was built} */
    public Recovery recovery() {
        return recovery;
    }

    /** {@return the bank's accounts and money} */
    Bank bank() {
        return bank;
    }

    /**
     * Resolves this bank's transactions in doubt now, as the resolver thread does periodically.
     *
     * @return the number resolved
     */
    int resolveInDoubt() {
        return inDoubt.resolveNow();
    }

    /**
     * Waits until the participants of every transfer this bank coordinated so far have acknowledged its decision.
     *
     * @param timeout how long at most
     * @return whether they all did in time
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        return transfers.awaitSettled(timeout);
    }

    /**
     * Stops: finishes the requests in flight, gives the decisions already taken a few peer timeouts to reach their
     * participants, then closes, the data directory last. Commits still undelivered after that are left to the
     * participants, which ask for them when their hold times out. Transactions prepared here stay held: in memory
     * until the process ends, or in the data directory until a restarted bank resolves them.
     */
    @Override
    public void close() {
        inDoubt.shutdown();
        if (web != null) {
            web.stop();
        }
        server.stop();
        try {
            transfers.awaitSettled(peerTimeout.multipliedBy(3));
            inDoubt.awaitTermination(peerTimeout.multipliedBy(2)); // a round may be asking
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        coordinator.close();
        peers.close();
        storage.close();
    }

    /** Builds a {@link ConsortiumBank}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Consortium consortium;
        private final String secret;
        private DecisionLog decisionLog;
        private Path dataDir;
        private UnaryOperator<DecisionLog> decisionLogWrapper = UnaryOperator.identity();
        private Duration peerTimeout = Duration.ofSeconds(2);
        private Duration holdTimeout = Duration.ofSeconds(10);
        private Duration resolveEvery = Duration.ofSeconds(1);
        private int passwordIterations = PasswordHasher.DEFAULT_ITERATIONS;
        private Consumer<String> events = event -> { };
        private int httpPort = -1;
        private String httpHost = "127.0.0.1";
        private Duration sessionTimeout = Duration.ofMinutes(30);
        private long maxAmount = DEFAULT_MAX_AMOUNT;
        private LoginThrottle throttle = LoginThrottle.standard();
        private LongSupplier sessionClock = System::nanoTime;

        private Builder(String name, Consortium consortium, String secret) {
            this.name = Objects.requireNonNull(name, "name");
            this.consortium = Objects.requireNonNull(consortium, "consortium");
            if (!Consortium.isValidSecret(secret)) {
                throw new IllegalArgumentException("the consortium secret must be at least "
                        + Consortium.MIN_SECRET_LENGTH + " characters");
            }
            this.secret = secret;
        }

        /**
         * Sets where this bank records its decisions as a coordinator, for a bank without a data directory;
         * default a new {@link InMemoryDecisionLog}.
         *
         * @param log the log
         * @return this builder
         */
        public Builder decisionLog(DecisionLog log) {
            this.decisionLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Makes the bank durable: its money, its coordinator's decisions and its customers are kept in this
         * directory (see {@link BankStorage}), recovered by {@link #build()}, and closed by
         * {@link ConsortiumBank#close()}. Default: none, everything in memory.
         *
         * @param directory the data directory, created if absent; one bank's only
         * @return this builder
         */
        public Builder dataDir(Path directory) {
            this.dataDir = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Wraps the decision log the bank uses, in memory or in the data directory: for tests that crash the bank
         * at a step of two-phase commit ({@link CrashPoint}).
         *
         * @param wrapper returns the log to use, given the real one
         * @return this builder
         */
        Builder decisionLogWrapper(UnaryOperator<DecisionLog> wrapper) {
            this.decisionLogWrapper = Objects.requireNonNull(wrapper, "wrapper");
            return this;
        }

        /**
         * Sets the timeout of every call to another bank (connecting, and waiting for a reply) and of the votes of
         * a transfer; default 2 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder peerTimeout(Duration timeout) {
            this.peerTimeout = positive(timeout, "peer timeout");
            return this;
        }

        /**
         * Sets how long participants hold a transaction this bank coordinates before asking for its decision;
         * default 10 s. It must exceed the peer timeout, so no participant asks before the votes are counted.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder holdTimeout(Duration timeout) {
            this.holdTimeout = positive(timeout, "hold timeout");
            return this;
        }

        /**
         * Sets how often this bank resolves the transactions it holds in doubt; default every second.
         *
         * @param every a positive duration
         * @return this builder
         */
        public Builder resolveEvery(Duration every) {
            this.resolveEvery = positive(every, "resolve interval");
            return this;
        }

        /**
         * Sets the PBKDF2 iterations of new password hashes; default 600,000.
         *
         * @param iterations at least 1,000
         * @return this builder
         */
        public Builder passwordIterations(int iterations) {
            this.passwordIterations = iterations;
            return this;
        }

        /**
         * Serves the web panel and the REST API on this port; default none.
         *
         * @param port the port, 0 for any free one
         * @return this builder
         */
        public Builder httpPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("the HTTP port must be 0 to 65535, got " + port);
            }
            this.httpPort = port;
            return this;
        }

        /**
         * Sets the address the web panel and REST API listen on; default {@code 127.0.0.1}, this machine only.
         *
         * @param host a host name or address
         * @return this builder
         */
        public Builder httpHost(String host) {
            this.httpHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * Sets how long an unused web panel login lasts; default 30 minutes.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = positive(timeout, "session timeout");
            return this;
        }

        /**
         * Sets the largest amount of one deposit, withdrawal or transfer source, in minor units; default
         * {@value ConsortiumBank#DEFAULT_MAX_AMOUNT}.
         *
         * @param maxAmount at least 1
         * @return this builder
         */
        public Builder maxAmount(long maxAmount) {
            if (maxAmount < 1) {
                throw new IllegalArgumentException("the maximum amount must be at least 1, got " + maxAmount);
            }
            this.maxAmount = maxAmount;
            return this;
        }

        /**
         * Sets how failed logins are throttled: for tests that need a short lockout or a clock of their own.
         *
         * @param throttle the throttle
         * @return this builder
         */
        Builder throttle(LoginThrottle throttle) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
            return this;
        }

        /**
         * Sets the clock web panel logins expire by: for tests that let a login expire without waiting.
         *
         * @param nanos nanoseconds, as {@link System#nanoTime()}
         * @return this builder
         */
        Builder sessionClock(LongSupplier nanos) {
            this.sessionClock = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * Sets who is told what the bank does in the background (in-doubt resolution); default nobody.
         *
         * @param events called with one sentence per event, from the resolver's thread
         * @return this builder
         */
        public Builder events(Consumer<String> events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /**
         * Builds the bank and recovers what its data directory holds.
         *
         * @return the bank, not started yet
         * @throws IOException if the data directory's customer file cannot be read or written
         * @throws dev.ledger.journal.JournalException if a journal in the data directory cannot be opened (in use
         *     by another process, say) or read
         */
        public ConsortiumBank build() throws IOException {
            Member self = consortium.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "bank '" + name + "' is not in the consortium (" + consortium + ")"));
            if (holdTimeout.compareTo(peerTimeout) <= 0) {
                throw new IllegalArgumentException("the hold timeout (" + holdTimeout.toMillis()
                        + " ms) must exceed the peer timeout (" + peerTimeout.toMillis() + " ms)");
            }
            if (dataDir != null && decisionLog != null) {
                throw new IllegalStateException("a bank with a data directory keeps its decisions there");
            }
            new PasswordHasher(passwordIterations); // checks the count now rather than at the first registration
            BankStorage storage = dataDir != null ? BankStorage.open(dataDir)
                    : BankStorage.inMemory(decisionLog != null ? decisionLog : new InMemoryDecisionLog());
            try {
                return new ConsortiumBank(this, self, storage);
            } catch (RuntimeException | Error e) {
                try (storage) { // a failure to close is added to e as suppressed
                    throw e;
                }
            }
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankServer;
import dev.ledger.net.Call;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.InMemoryDecisionLog;
import dev.ledger.tx.TxState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One bank of a consortium: a {@link Bank} in memory, served by a ledger-net {@link BankServer} on the address
 * its consortium file gives, with the {@link CustomerCommands customer} and {@link PeerCommands peer} commands. It
 * coordinates the cross-bank transfers sent to it, and is a participant in those of the others.
 *
 * <p><b>Security.</b> One port serves customers and peers. The server has no ledger-net password (it would shut
 * customers out of everything); instead {@code AUTH <secret>} marks a connection as a peer bank and opens the
 * peer commands only, and {@code LOGIN <tax-id> <password>} marks it as an owner and opens the customer commands
 * only. See {@link Roles}.
 *
 * <p><b>In doubt.</b> Every {@code resolveEvery}, the bank asks the coordinator of each transaction it holds past
 * its hold timeout for the decision ({@code DECISION txid} to the bank named before the id's first {@code -}) and
 * applies it. A coordinator that cannot be reached leaves the transaction in doubt, its money held.
 *
 * <p>Concurrency: built once, then thread-safe; its parts are (see each). The resolver runs on one daemon thread;
 * {@code waiting} is used by that thread only (a concurrent set, so {@code close} may read it safely).
 */
public final class ConsortiumBank implements AutoCloseable {
    private final String name;
    private final Bank bank;
    private final Coordinator coordinator;
    private final Peers peers;
    private final CrossBankTransfer transfers;
    private final BankServer server;
    private final Duration peerTimeout;
    private final Duration resolveEvery;
    private final Consumer<String> events;
    private final ScheduledExecutorService resolver;
    /** In-doubt transactions already reported as waiting for an unreachable coordinator. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    private ConsortiumBank(Builder builder) {
        Member self = builder.consortium.find(builder.name).orElseThrow(() -> new IllegalArgumentException(
                "bank '" + builder.name + "' is not in the consortium (" + builder.consortium + ")"));
        this.name = builder.name;
        this.resolveEvery = builder.resolveEvery;
        this.peerTimeout = builder.peerTimeout;
        this.events = builder.events;
        this.bank = Bank.builder().name(name).build();
        this.coordinator = Coordinator.builder().name(name).decisionLog(builder.decisionLog)
                .prepareTimeout(builder.peerTimeout).holdTimeout(builder.holdTimeout)
                .retryDelay(Duration.ofMillis(50), Duration.ofSeconds(2)).build();
        this.peers = new Peers(builder.consortium, name, builder.secret, builder.peerTimeout);
        Owners owners = new Owners(new PasswordHasher(builder.passwordIterations));
        AccountBook book = new AccountBook(bank, owners);
        this.transfers = new CrossBankTransfer(name, builder.consortium, bank, book, peers, coordinator);
        BankServer.Builder server = BankServer.builder(bank).host(self.host()).port(self.port());
        new PeerCommands(name, bank, book, coordinator, builder.secret).register(server);
        new CustomerCommands(name, builder.consortium, bank, owners, book, peers, transfers).register(server);
        this.server = server.build();
        this.resolver = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "consortium-" + name + "-in-doubt");
            thread.setDaemon(true);
            return thread;
        });
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
        long every = resolveEvery.toMillis();
        resolver.scheduleWithFixedDelay(this::resolveInDoubt, every, every, TimeUnit.MILLISECONDS);
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
        List<String> decided = new ArrayList<>();
        try {
            return bank.resolveInDoubt(txId -> {
                TxState decision = decision(txId);
                if (decision != TxState.PREPARED) { // PREPARED: not decided yet, so nothing is applied
                    decided.add("in doubt: " + txId + " resolved as " + decision + ", the decision of "
                            + coordinatorOf(txId));
                }
                return decision;
            });
        } catch (RuntimeException e) {
            events.accept("resolving transactions in doubt failed: " + e); // the next round tries again
            return 0;
        } finally {
            decided.forEach(events); // only now: the bank has applied every decision it was given
        }
    }

    private static String coordinatorOf(String txId) {
        int dash = txId.indexOf('-');
        return dash < 0 ? "" : txId.substring(0, dash);
    }

    /** Asks the transaction's coordinator for its decision; a failure leaves the transaction in doubt. */
    private TxState decision(String txId) {
        String coordinatorName = coordinatorOf(txId);
        TxState decision;
        try {
            decision = coordinatorName.equals(name) ? coordinator.status(txId)
                    : TxState.valueOf(Replies.string(peers.link(coordinatorName).call(Call.raw("DECISION", txId)),
                            "DECISION"));
        } catch (RuntimeException unreachable) {
            if (waiting.add(txId)) {
                events.accept("in doubt: " + txId + " stays held; its coordinator " + coordinatorName
                        + " did not answer (" + Texts.rootMessage(unreachable) + ")");
            }
            throw unreachable;
        }
        waiting.remove(txId);
        return decision;
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
     * participants, then closes. Commits still undelivered after that are left to the participants, which ask for
     * them when their hold times out; transactions prepared here stay held in memory until the process ends.
     */
    @Override
    public void close() {
        resolver.shutdownNow();
        server.stop();
        try {
            transfers.awaitSettled(peerTimeout.multipliedBy(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        coordinator.close();
        peers.close();
    }

    /** Builds a {@link ConsortiumBank}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Consortium consortium;
        private final String secret;
        private DecisionLog decisionLog = new InMemoryDecisionLog();
        private Duration peerTimeout = Duration.ofSeconds(2);
        private Duration holdTimeout = Duration.ofSeconds(10);
        private Duration resolveEvery = Duration.ofSeconds(1);
        private int passwordIterations = PasswordHasher.DEFAULT_ITERATIONS;
        private Consumer<String> events = event -> { };

        private Builder(String name, Consortium consortium, String secret) {
            this.name = Objects.requireNonNull(name, "name");
            this.consortium = Objects.requireNonNull(consortium, "consortium");
            if (secret == null || secret.length() < 16) {
                throw new IllegalArgumentException("the consortium secret must be at least 16 characters");
            }
            this.secret = secret;
        }

        /**
         * Sets where this bank records its decisions as a coordinator; default in memory.
         *
         * @param log the log
         * @return this builder
         */
        public Builder decisionLog(DecisionLog log) {
            this.decisionLog = Objects.requireNonNull(log, "log");
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
         * Sets who is told what the bank does in the background (in-doubt resolution); default nobody.
         *
         * @param events called with one sentence per event, from the resolver's thread
         * @return this builder
         */
        public Builder events(Consumer<String> events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** {@return the bank, not started yet} */
        public ConsortiumBank build() {
            if (holdTimeout.compareTo(peerTimeout) <= 0) {
                throw new IllegalArgumentException("the hold timeout (" + holdTimeout.toMillis()
                        + " ms) must exceed the peer timeout (" + peerTimeout.toMillis() + " ms)");
            }
            new PasswordHasher(passwordIterations); // checks the count now rather than at the first registration
            return new ConsortiumBank(this);
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}

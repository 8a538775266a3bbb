package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.examples.ServerProcess;
import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import dev.ledger.tx.DecisionLog;
import dev.ledger.tx.InMemoryDecisionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Banks of a consortium in this JVM, on free ports of the loopback interface, for tests: each a real server, the
 * banks talking to each other over TCP. The in-doubt resolver runs only when a test calls it. The banks are in
 * memory, or durable, each in its own directory under a common one.
 */
final class LocalConsortium implements AutoCloseable {
    static final String SECRET = "test-secret-0123456789";
    /** Generous: the build machine may be busy. A bank that is down refuses connections at once anyway. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final Consortium consortium;
    final Map<String, ConsortiumBank> banks = new LinkedHashMap<>();
    /** The in-memory banks' decision logs, for tests that decide as a coordinator would. */
    final Map<String, DecisionLog> decisionLogs = new LinkedHashMap<>();
    /** Where durable banks keep their data, each in a directory named after it; null for banks in memory. */
    private final Path dataDirs;
    /** Options every bank is built with, on top of the ones for tests. */
    private final UnaryOperator<ConsortiumBank.Builder> options;

    /** Starts banks in memory. */
    LocalConsortium(String... names) throws IOException {
        this(null, names);
    }

    /**
     * Starts banks that keep their data under {@code dataDirs}, each in the directory of its name, and recover what
     * is there; null for banks in memory.
     */
    LocalConsortium(Path dataDirs, String... names) throws IOException {
        this(dataDirs, UnaryOperator.identity(), names);
    }

    /** Starts banks in memory or durable, each built with {@code options} too. */
    LocalConsortium(Path dataDirs, UnaryOperator<ConsortiumBank.Builder> options, String... names) throws IOException {
        this.dataDirs = dataDirs;
        this.options = options;
        List<Member> members = new ArrayList<>();
        for (String name : names) {
            members.add(new Member(name, "127.0.0.1", freePort()));
        }
        consortium = Consortium.of(members);
        for (String name : names) {
            start(name);
        }
    }

    /**
     * Starts (or restarts) a bank: in memory, empty and with a new decision log; or durable, with what its data
     * directory holds.
     */
    ConsortiumBank start(String name) throws IOException {
        ConsortiumBank.Builder builder = ConsortiumBank.builder(name, consortium, SECRET)
                .peerTimeout(TIMEOUT).holdTimeout(TIMEOUT.multipliedBy(2))
                .resolveEvery(Duration.ofHours(1)).passwordIterations(PasswordHasher.MIN_ITERATIONS);
        if (dataDirs != null) {
            builder.dataDir(dataDir(name));
        } else {
            DecisionLog log = new InMemoryDecisionLog();
            builder.decisionLog(log);
            decisionLogs.put(name, log);
        }
        ConsortiumBank bank = options.apply(builder).build();
        try {
            bank.start();
        } catch (IOException e) {
            bank.close();
            throw e;
        }
        banks.put(name, bank);
        return bank;
    }

    /** {@return the data directory of a durable bank} */
    Path dataDir(String name) {
        return dataDirs.resolve(name);
    }

    /** Stops a bank, and closes its data directory: the others find its port closed. */
    void stop(String name) {
        banks.remove(name).close();
    }

    /**
     * Waits until every bank's coordinated transfers are settled: a committed transfer is final when XTRANSFER
     * answers, but the participants' commits may still be on the way.
     */
    void awaitSettled() throws InterruptedException {
        for (ConsortiumBank bank : banks.values()) {
            assertThat(bank.awaitSettled(Duration.ofSeconds(10))).as(bank.name() + " settled").isTrue();
        }
    }

    ConsortiumBank bank(String name) {
        return banks.get(name);
    }

    Member member(String name) {
        return consortium.find(name).orElseThrow();
    }

    /** {@return a customer's connection to a bank, not logged in} */
    ConsortiumClient customer(String bank) {
        return ConsortiumClient.connect(member(bank), TIMEOUT);
    }

    /** {@return a customer's connection to a bank, registered there first if need be, and logged in} */
    ConsortiumClient loggedIn(String bank, String taxId) {
        ConsortiumClient client = customer(bank);
        client.login(taxId, password(taxId));
        return client;
    }

    /** Registers an owner at each of the banks. */
    void register(String taxId, String... atBanks) {
        for (String bank : atBanks) {
            try (ConsortiumClient client = customer(bank)) {
                client.register(taxId, password(taxId));
            }
        }
    }

    /** Opens an account for its first owner and pays in a deposit. */
    void open(String bank, String account, String type, long deposit, String owner, String... coOwners) {
        try (ConsortiumClient client = loggedIn(bank, owner)) {
            client.openAccount(account, type, List.of(coOwners));
            if (deposit > 0) {
                client.deposit(account, deposit);
            }
        }
    }

    /** {@return a connection authenticated with the consortium's secret, as a peer bank or the operator} */
    BankClient peer(String bank) {
        return PeerLink.connectionTo(member(bank), SECRET, TIMEOUT).connect();
    }

    /** {@return a connection with no login and no secret} */
    BankClient anonymous(String bank) {
        return BankClient.builder().host("127.0.0.1").port(member(bank).port()).readTimeout(TIMEOUT).connect();
    }

    /** {@return the total money of every running bank} */
    long total() {
        return banks.values().stream().mapToLong(bank -> bank.bank().total()).sum();
    }

    /** {@return AUDIT at a bank: total, held, incoming, in doubt} */
    List<Object> audit(String bank) {
        try (BankClient operator = peer(bank)) {
            return Replies.list(operator.execute(Call.raw("AUDIT")), "AUDIT");
        }
    }

    static String password(String taxId) {
        return "pw-" + taxId;
    }

    @Override
    public void close() {
        banks.values().forEach(ConsortiumBank::close);
        banks.clear();
    }

    static int freePort() throws IOException {
        return ServerProcess.freePort();
    }
}

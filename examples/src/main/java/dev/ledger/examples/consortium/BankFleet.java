package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A consortium of bank processes on this machine, for the demo and {@code consortium up}: free ports of the loopback
 * interface, a new random secret, and a consortium file in a work directory, where each bank's output is logged.
 *
 * <p>Concurrency: used by one command's thread; {@code banks} is a concurrent map, so {@link #stopAll} and
 * {@link #killAll} may also run on a shutdown hook while banks start.
 */
final class BankFleet {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    final Path work;
    final Path consortiumFile;
    final Consortium consortium;
    final String secret;
    final Map<String, BankProcess> banks = new ConcurrentHashMap<>();
    private final List<String> names;

    /**
     * Writes the consortium file; starts no bank yet.
     *
     * @param work the work directory
     * @param names the banks, in the consortium's order
     * @throws IOException if the file cannot be written
     */
    BankFleet(Path work, List<String> names) throws IOException {
        this.work = work;
        this.names = List.copyOf(names);
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.secret = HexFormat.of().formatHex(random);
        List<Member> members = new ArrayList<>();
        for (String bank : names) {
            members.add(new Member(bank, "127.0.0.1", freePort()));
        }
        this.consortium = Consortium.of(members);
        this.consortiumFile = work.resolve("consortium.txt");
        Files.write(consortiumFile, consortium.lines(), StandardCharsets.UTF_8);
    }

    Member member(String bank) {
        return consortium.find(bank).orElseThrow();
    }

    /**
     * Starts (or restarts) a bank: {@code ledger bank --name bank ...} with these options, its output appended to
     * {@code bank.log} in the work directory.
     *
     * @param bank the bank's name
     * @param options further options of the bank command
     * @return the process
     * @throws IOException if the process cannot be started
     */
    BankProcess start(String bank, List<String> options) throws IOException {
        BankProcess process = BankProcess.start(bank, consortiumFile, secret, work.resolve(bank + ".log"), options);
        banks.put(bank, process);
        return process;
    }

    /** {@return AUDIT of one bank: total, held, incoming, in doubt}, asked with the secret as the operator. */
    long[] audit(String bank) {
        Member member = member(bank);
        try (BankClient operator = PeerLink.connectionTo(member, secret, CALL_TIMEOUT).connect()) {
            List<Object> values = Replies.list(operator.execute(Call.raw("AUDIT")), "AUDIT");
            return values.stream().mapToLong(value -> Replies.integer(value, "AUDIT")).toArray();
        }
    }

    long consortiumTotal() {
        return names.stream().mapToLong(bank -> audit(bank)[0]).sum();
    }

    /**
     * Waits until no bank holds money for a prepared transaction. Commits reach participants just after the
     * coordinator answered, so this is short; it polls, as there is nothing to wait on across processes.
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean quiet = names.stream().map(this::audit)
                    .allMatch(audit -> audit[1] == 0 && audit[2] == 0 && audit[3] == 0);
            if (quiet || System.nanoTime() > deadline) {
                return quiet;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Stops every bank as Ctrl-C would. */
    void stopAll() throws InterruptedException {
        for (BankProcess bank : banks.values()) {
            bank.stop();
        }
    }

    void killAll() {
        banks.values().forEach(bank -> bank.process().destroyForcibly());
    }

    /** A port free now; another program could take it before the bank binds it, which the start reports. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package dev.ledger.examples;

import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import dev.ledger.net.Pipeline;
import dev.ledger.net.Response;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger client}: one client process of the console simulation. It connects over TCP, makes random
 * transfers among the server's accounts, prints each with the balances the server reports, and ends with a
 * summary.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Connect to a bank server and make random transfers (random source, destination and amount).")
final class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "5000", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--password", description = "The server's password, if it has one.")
    String password;

    @Option(names = {"-n", "--transfers"}, defaultValue = "20",
            description = "How many transfers to make (default: ${DEFAULT-VALUE}).")
    long transfers;

    @Option(names = "--max-amount", defaultValue = "100",
            description = "Each amount is drawn from 1 to this (default: ${DEFAULT-VALUE}).")
    long maxAmount;

    @Option(names = "--seed", description = "Random seed, for a repeatable run (default: random).")
    Long seed;

    @Option(names = "--name", defaultValue = "client", description = "This client's name in its output.")
    String name;

    @Option(names = "--log", description = "Also record every transfer and its outcome in this file.")
    Path log;

    @Option(names = "--quiet", description = "Print only the summary, not every transfer.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (transfers < 0 || maxAmount < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--transfers must be 0 or more and --max-amount 1 or more");
        }
        long actualSeed = seed != null ? seed : new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(actualSeed);
        // Ids of this run alone, so that a later run against a durable bank is never taken for a retry of this one.
        String run = name + "-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
        long ok = 0;
        long failed = 0;
        long moved = 0;
        BankClient.Builder builder = BankClient.builder().host(host).port(port)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(30));
        if (password != null) {
            builder.password(password);
        }
        try (Connection connection = new Connection(builder); TransferLog record = TransferLog.open(log)) {
            List<String> ids = connection.call(BankClient::accounts);
            if (ids.size() < 2) {
                out.println(name + ": the server has " + ids.size() + " account(s); a transfer needs two");
                return 2;
            }
            out.printf(Locale.ROOT, "%s: connected to %s:%d, %d accounts, %d transfers, seed %d%n",
                    name, host, port, ids.size(), transfers, actualSeed);
            out.flush();
            for (long seq = 1; seq <= transfers; seq++) {
                String from = ids.get(random.nextInt(ids.size()));
                String to = ids.get(random.nextInt(ids.size() - 1));
                if (to.equals(from)) {
                    to = ids.get(ids.size() - 1); // draw from the others: the last takes the source's place
                }
                Transfer transfer = Transfer.of(run + "-" + seq, from, to, 1 + random.nextLong(maxAmount));

                long start = System.nanoTime();
                // One round trip: the transfer, then both balances as the server has them right after it. Sent
                // again, with the same id, if the connection is lost: the bank applies it at most once.
                Answer answer = connection.call(client -> {
                    Pipeline pipeline = client.pipeline();
                    Response<TransferStatus> status = pipeline.add(Call.transfer(transfer));
                    Response<Long> fromBalance = pipeline.add(Call.balance(transfer.from()));
                    Response<Long> toBalance = pipeline.add(Call.balance(transfer.to()));
                    pipeline.sync();
                    return new Answer(status.get(), fromBalance.get(), toBalance.get());
                });
                latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
                        TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start)));

                boolean done = answer.status().isApplied();
                record.append(new TransferLog.Entry(seq, from, to, transfer.amount(), done));
                if (done) {
                    ok++;
                    moved += transfer.amount();
                } else {
                    failed++;
                }
                if (!quiet) {
                    out.printf(Locale.ROOT, "#%d transfer %s -> %s: %d ... %s   (%s: %d, %s: %d)%n", seq, from, to,
                            transfer.amount(), done ? "OK" : "FAILED", from, answer.fromBalance(), to,
                            answer.toBalance());
                    out.flush();
                }
            }
            out.printf(Locale.ROOT, "%s: sent %d, OK %d, FAILED %d, money moved %d, resent after a lost connection "
                            + "%d; latency p50 %d us, p99 %d us, max %d us%n", name, ok + failed, ok, failed, moved,
                    connection.resent, latencyMicros.getValueAtPercentile(50),
                    latencyMicros.getValueAtPercentile(99), latencyMicros.getMaxValue());
        }
        out.flush();
        return 0;
    }

    /** What the server answered to one transfer, and both balances right after it. */
    private record Answer(TransferStatus status, long fromBalance, long toBalance) {
    }

    /**
     * The client's connection, made again when it is lost. A call that loses it is sent again on the new one, up
     * to {@link #ATTEMPTS} times: safe for a transfer with an id, which the bank applies at most once, and for
     * reads.
     *
     * <p>Concurrency: confined to the client's one thread.
     */
    private static final class Connection implements AutoCloseable {
        private static final int ATTEMPTS = 20;

        private final BankClient.Builder builder;
        private BankClient client;
        /** Calls sent again after a lost connection. */
        long resent;

        Connection(BankClient.Builder builder) {
            this.builder = builder;
        }

        <T> T call(Function<BankClient, T> call) {
            for (int attempt = 1; ; attempt++) {
                try {
                    if (client == null) {
                        client = builder.connect();
                    }
                    return call.apply(client);
                } catch (UncheckedIOException lost) {
                    closeQuietly();
                    if (attempt == ATTEMPTS) {
                        throw lost;
                    }
                    resent++;
                }
            }
        }

        private void closeQuietly() {
            if (client != null) {
                try {
                    client.close();
                } catch (RuntimeException ignored) {
                    // the connection is already gone
                }
                client = null;
            }
        }

        @Override
        public void close() {
            closeQuietly();
        }
    }
}

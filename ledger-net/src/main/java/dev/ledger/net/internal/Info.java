package dev.ledger.net.internal;

import dev.ledger.Bank;
import dev.ledger.Snapshot;
import dev.ledger.internal.ThreadPerTask;
import dev.ledger.lock.LockStrategies;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code INFO [section ...]} in Redis's format: {@code # Section} headers, {@code key:value} lines, CRLF line ends;
 * a bulk string in RESP2, a verbatim string in RESP3. Sections: server, clients, persistence, stats, replication,
 * ledger (the default), commandstats and latencystats ({@code all} adds them). Figures the bank does not keep are
 * {@code unknown}, never made up.
 *
 * <p>Stateless apart from the bank: one instance serves every connection.
 */
final class Info {
    private static final List<String> DEFAULT = List.of("server", "clients", "persistence", "stats", "replication",
            "ledger");
    /** In Redis's order, with the ledger's own section last. */
    private static final List<String> ALL = List.of("server", "clients", "persistence", "stats", "replication",
            "commandstats", "latencystats", "ledger");
    private static final String LEDGER_VERSION = version();

    private final Bank bank;
    private final Persistence persistence;
    private final String lockStrategy;

    Info(Bank bank, Persistence persistence) {
        this.bank = bank;
        this.persistence = persistence;
        this.lockStrategy = alias(bank);
    }

    void info(Request request, Reply reply) {
        Set<String> sections = new LinkedHashSet<>();
        if (request.argumentCount() == 0) {
            sections.addAll(DEFAULT);
        }
        for (int i = 0; i < request.argumentCount(); i++) {
            String section = request.argument(i).toLowerCase(Locale.ROOT);
            switch (section) {
                case "default" -> sections.addAll(DEFAULT);
                case "all", "everything" -> sections.addAll(ALL);
                default -> sections.add(section);
            }
        }
        Connection connection = (Connection) request.session();
        StringBuilder text = new StringBuilder(1024);
        for (String section : ALL) { // in Redis's order, whatever the request's
            if (sections.contains(section)) {
                if (text.length() > 0) {
                    text.append("\r\n");
                }
                section(section, connection.settings(), text);
            }
        }
        ServerCommands.text(connection, text.toString());
    }

    private void section(String section, ConnectionSettings settings, StringBuilder out) {
        ServerStats stats = settings.stats();
        CommandTable commands = settings.commands();
        switch (section) {
            case "server" -> {
                out.append("# Server\r\n");
                line(out, "redis_version", ServerCommands.COMPATIBLE_VERSION);
                line(out, "ledger_version", LEDGER_VERSION);
                line(out, "redis_mode", "standalone");
                line(out, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
                line(out, "arch_bits", System.getProperty("sun.arch.data.model", "unknown"));
                line(out, "java_version", System.getProperty("java.version"));
                line(out, "java_vm", System.getProperty("java.vm.name"));
                line(out, "thread_mode", ThreadPerTask.virtualThreadsAvailable() ? "virtual" : "platform");
                line(out, "process_id", ProcessHandle.current().pid());
                line(out, "tcp_port", stats.port());
                line(out, "server_time_usec", System.currentTimeMillis() * 1000);
                line(out, "uptime_in_seconds", stats.uptimeSeconds());
                line(out, "uptime_in_days", stats.uptimeSeconds() / 86_400);
            }
            case "clients" -> {
                out.append("# Clients\r\n");
                line(out, "connected_clients", stats.connections().size());
                line(out, "blocked_clients", 0);
                line(out, "rejected_connections", stats.rejectedConnections());
            }
            case "stats" -> {
                long errors = 0;
                for (CommandTable.Entry entry : commands.entries()) {
                    errors += entry.stats().failed() + entry.stats().rejected();
                }
                out.append("# Stats\r\n");
                line(out, "total_connections_received", stats.connectionsReceived());
                line(out, "total_commands_processed", commands.totalCalls());
                line(out, "instantaneous_ops_per_sec", stats.opsPerSecond());
                line(out, "total_net_input_bytes", stats.inputBytes());
                line(out, "total_net_output_bytes", stats.outputBytes());
                line(out, "rejected_connections", stats.rejectedConnections());
                line(out, "total_error_replies", errors);
                line(out, "total_protocol_errors", stats.protocolErrors());
            }
            case "persistence" -> {
                boolean durable = persistence.journaled();
                out.append("# Persistence\r\n");
                line(out, "loading", 0);
                line(out, "aof_enabled", durable ? 1 : 0);
                line(out, "ledger_journal", durable ? "on" : "off");
                persistence.figures().forEach((key, value) -> line(out, key, value));
            }
            case "replication" -> {
                out.append("# Replication\r\n");
                line(out, "role", "master");
                line(out, "connected_slaves", 0);
            }
            case "commandstats" -> {
                out.append("# Commandstats\r\n");
                for (CommandTable.Entry entry : commands.entries()) {
                    CommandStats command = entry.stats();
                    long calls = command.calls();
                    if (calls == 0 && command.rejected() == 0) {
                        continue;
                    }
                    long micros = command.micros();
                    out.append("cmdstat_").append(entry.lowerName()).append(":calls=").append(calls)
                            .append(",usec=").append(micros)
                            .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f",
                                    calls == 0 ? 0.0 : (double) micros / calls))
                            .append(",rejected_calls=").append(command.rejected())
                            .append(",failed_calls=").append(command.failed()).append("\r\n");
                }
            }
            case "latencystats" -> {
                out.append("# Latencystats\r\n");
                for (CommandTable.Entry entry : commands.entries()) {
                    if (entry.stats().calls() == 0) {
                        continue;
                    }
                    LatencyHistogram latency = entry.stats().latency();
                    out.append("latency_percentiles_usec_").append(entry.lowerName()).append(':')
                            .append(String.format(Locale.ROOT, "p50=%.3f,p99=%.3f,p99.9=%.3f",
                                    latency.percentile(50) / 1000, latency.percentile(99) / 1000,
                                    latency.percentile(99.9) / 1000))
                            .append("\r\n");
                }
            }
            case "ledger" -> {
                Snapshot snapshot = bank.snapshot();
                BigInteger held = BigInteger.ZERO;
                for (int i = 0; i < snapshot.size(); i++) {
                    held = held.add(BigInteger.valueOf(snapshot.held(i)));
                }
                out.append("# Ledger\r\n");
                line(out, "bank", bank.name());
                line(out, "accounts", snapshot.size());
                line(out, "total", snapshot.totalExact());
                line(out, "held", held);
                line(out, "prepared", bank.prepared());
                line(out, "in_doubt", bank.inDoubt().size());
                line(out, "lock_strategy", lockStrategy);
            }
            default -> {
                // Redis answers an unknown section with nothing
            }
        }
    }

    private static void line(StringBuilder out, String key, Object value) {
        out.append(key).append(':').append(value).append("\r\n");
    }

    private static String alias(Bank bank) {
        for (LockStrategies strategy : LockStrategies.values()) {
            if (strategy.create().getClass() == bank.strategy().getClass()) {
                return strategy.alias();
            }
        }
        return bank.strategy().getClass().getSimpleName();
    }

    private static String version() {
        String version = Info.class.getPackage().getImplementationVersion();
        return version != null ? version : "unknown";
    }
}

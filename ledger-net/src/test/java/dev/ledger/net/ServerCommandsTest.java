package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.tx.Leg;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands Redis clients send on their own (HELLO, AUTH with a user, CLIENT, SELECT, TIME, DBSIZE, COMMAND,
 * CONFIG GET, INFO) and RESP3 replies, byte for byte through a raw socket.
 */
class ServerCommandsTest {
    private static final String PASSWORD = "s3cret";
    private static final String WRONGPASS = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
    private BankServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(String password) throws IOException {
        return start(Bank.builder().account("alice", 100).account("bob", 50).build(), password);
    }

    private int start(Bank bank, String password) throws IOException {
        server = BankServer.builder(bank).port(0).password(password).build().start();
        return server.port();
    }

    private static String call(RawConnection connection, String... command) throws IOException {
        return connection.command(command).readReply();
    }

    private static String bulk(String text) {
        return "$" + text.length() + "\r\n" + text + "\r\n";
    }

    private static String hello(int protocol, long id) {
        return (protocol == 3 ? "%7\r\n" : "*14\r\n") + bulk("server") + bulk("ledger") + bulk("version")
                + bulk("7.0.0") + bulk("proto") + ":" + protocol + "\r\n" + bulk("id") + ":" + id + "\r\n"
                + bulk("mode") + bulk("standalone") + bulk("role") + bulk("master") + bulk("modules") + "*0\r\n";
    }

    @Test
    void helloSwitchesTheConnectionToResp3AndBack() throws IOException {
        try (RawConnection c = new RawConnection(start(null))) {
            assertThat(call(c, "HELLO")).isEqualTo(hello(2, 1));
            assertThat(call(c, "SNAPSHOT")).isEqualTo("*4\r\n" + bulk("alice") + ":100\r\n" + bulk("bob") + ":50\r\n");
            assertThat(call(c, "HELLO", "3")).isEqualTo(hello(3, 1));
            assertThat(call(c, "SNAPSHOT")).isEqualTo("%2\r\n" + bulk("alice") + ":100\r\n" + bulk("bob") + ":50\r\n");
            assertThat(call(c, "BALANCE", "alice")).isEqualTo(":100\r\n");
            assertThat(call(c, "TRANSFER", "alice", "bob", "10")).isEqualTo("+OK\r\n");
            assertThat(call(c, "TRANSFER", "alice", "bob", "1000")).isEqualTo("-FAILED insufficient funds\r\n");
            assertThat(call(c, "BALANCE", "nobody")).isEqualTo("-ERR unknown account 'nobody' (UNKNOWN_ACCOUNT)\r\n");
            assertThat(call(c, "CLIENT", "GETNAME")).isEqualTo("_\r\n");
            assertThat(call(c, "ACCOUNTS")).isEqualTo("*2\r\n" + bulk("alice") + bulk("bob"));
            assertThat(call(c, "PING")).isEqualTo("+PONG\r\n");
            assertThat(call(c, "COMMAND", "DOCS")).isEqualTo("%0\r\n");
            assertThat(call(c, "CONFIG", "GET", "appendonly")).isEqualTo("%1\r\n" + bulk("appendonly") + bulk("no"));
            assertThat(call(c, "HELLO", "2")).isEqualTo(hello(2, 1));
            assertThat(call(c, "CLIENT", "GETNAME")).isEqualTo("$-1\r\n");
            assertThat(call(c, "SNAPSHOT")).isEqualTo("*4\r\n" + bulk("alice") + ":90\r\n" + bulk("bob") + ":60\r\n");
        }
    }

    @Test
    void helloRefusesWhatItCannotDoAndChangesNothing() throws IOException {
        try (RawConnection c = new RawConnection(start(null))) {
            assertThat(call(c, "HELLO", "4")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(call(c, "HELLO", "1")).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            assertThat(call(c, "HELLO", "three"))
                    .isEqualTo("-ERR Protocol version is not an integer or out of range\r\n");
            assertThat(call(c, "HELLO", "3", "AUTH", "default"))
                    .isEqualTo("-ERR Syntax error in HELLO option 'AUTH'\r\n");
            assertThat(call(c, "HELLO", "3", "SETNAME", "a b"))
                    .startsWith("-ERR Client names cannot contain spaces");
            assertThat(call(c, "HELLO", "3", "SETNAME")).isEqualTo("-ERR Syntax error in HELLO option 'SETNAME'\r\n");
            assertThat(call(c, "SNAPSHOT")).startsWith("*4\r\n"); // still RESP2
            assertThat(call(c, "HELLO", "3", "SETNAME", "app")).isEqualTo(hello(3, 1));
            assertThat(call(c, "CLIENT", "GETNAME")).isEqualTo(bulk("app"));
        }
    }

    @Test
    void helloAuthenticatesWithTheDefaultUser() throws IOException {
        int port = start(PASSWORD);
        try (RawConnection c = new RawConnection(port)) {
            assertThat(call(c, "HELLO", "3")).isEqualTo("-NOAUTH HELLO must be called with the client already "
                    + "authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                    + "authenticate the client and select the RESP protocol version at the same time\r\n");
            assertThat(call(c, "HELLO")).startsWith("-NOAUTH HELLO must be called");
            assertThat(call(c, "HELLO", "3", "AUTH", "default", "wrong")).isEqualTo(WRONGPASS);
            assertThat(call(c, "HELLO", "3", "AUTH", "admin", PASSWORD)).isEqualTo(WRONGPASS);
            assertThat(call(c, "BALANCE", "alice")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "a b"))
                    .startsWith("-ERR Client names cannot contain spaces");
            assertThat(call(c, "BALANCE", "alice")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "app")).isEqualTo(hello(3, 1));
            assertThat(call(c, "BALANCE", "alice")).isEqualTo(":100\r\n");
            assertThat(call(c, "CLIENT", "GETNAME")).isEqualTo(bulk("app"));
        }
    }

    @Test
    void authWithAUserAndWhatIsAllowedBeforeIt() throws IOException {
        int port = start(PASSWORD);
        try (RawConnection c = new RawConnection(port)) {
            assertThat(call(c, "CLIENT", "SETINFO", "LIB-NAME", "redis-py")).isEqualTo("+OK\r\n");
            assertThat(call(c, "CLIENT", "SETINFO", "lib-ver", "5.0.1")).isEqualTo("+OK\r\n");
            assertThat(call(c, "CLIENT", "ID")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "CLIENT", "LIST")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "INFO")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "CONFIG", "GET", "save")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "SELECT", "0")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(call(c, "AUTH", "default", "wrong")).isEqualTo(WRONGPASS);
            assertThat(call(c, "AUTH", "admin", PASSWORD)).isEqualTo(WRONGPASS);
            assertThat(call(c, "AUTH", "a", "b", "c")).isEqualTo("-ERR wrong number of arguments for 'auth' command\r\n");
            assertThat(call(c, "AUTH", "default", PASSWORD)).isEqualTo("+OK\r\n");
            assertThat(call(c, "AUTH", "default", "wrong")).isEqualTo(WRONGPASS);
            assertThat(call(c, "CLIENT", "INFO")).contains(" lib-name=redis-py lib-ver=5.0.1 resp=2\n");
        }
        try (RawConnection c = new RawConnection(port)) {
            assertThat(call(c, "AUTH", PASSWORD)).isEqualTo("+OK\r\n"); // the one-argument form still works
            assertThat(call(c, "DBSIZE")).isEqualTo(":2\r\n");
        }
    }

    @Test
    void authWithoutAPasswordAcceptsTheDefaultUserOnly() throws IOException {
        try (RawConnection c = new RawConnection(start(null))) {
            assertThat(call(c, "AUTH", "default", "anything")).isEqualTo("+OK\r\n");
            assertThat(call(c, "AUTH", "admin", "anything")).isEqualTo(WRONGPASS);
            assertThat(call(c, "HELLO", "3", "AUTH", "default", "x")).isEqualTo(hello(3, 1));
        }
    }

    @Test
    void clientSubcommands() throws IOException {
        int port = start(null);
        try (RawConnection first = new RawConnection(port); RawConnection second = new RawConnection(port)) {
            assertThat(call(first, "CLIENT", "ID")).isEqualTo(":1\r\n");
            assertThat(call(second, "CLIENT", "ID")).isEqualTo(":2\r\n");
            assertThat(call(first, "CLIENT", "SETNAME", "teller")).isEqualTo("+OK\r\n");
            assertThat(call(first, "CLIENT", "SETNAME", "two words")).startsWith("-ERR Client names cannot contain");
            assertThat(call(first, "CLIENT", "GETNAME")).isEqualTo(bulk("teller"));
            assertThat(call(first, "CLIENT", "NO-EVICT", "on")).isEqualTo("+OK\r\n");
            assertThat(call(first, "CLIENT", "NO-TOUCH", "OFF")).isEqualTo("+OK\r\n");
            assertThat(call(first, "CLIENT", "NO-TOUCH", "maybe")).isEqualTo("-ERR syntax error\r\n");
            assertThat(call(first, "CLIENT", "SETINFO", "LIB-COLOUR", "red"))
                    .isEqualTo("-ERR Unrecognized option 'LIB-COLOUR'\r\n");
            assertThat(call(first, "CLIENT", "SETINFO", "LIB-NAME"))
                    .isEqualTo("-ERR wrong number of arguments for 'client|setinfo' command\r\n");
            assertThat(call(first, "CLIENT", "GETNAME", "x"))
                    .isEqualTo("-ERR wrong number of arguments for 'client|getname' command\r\n");
            assertThat(call(first, "CLIENT")).isEqualTo("-ERR wrong number of arguments for 'client' command\r\n");
            assertThat(call(first, "CLIENT", "KILL", "x"))
                    .isEqualTo("-ERR unknown subcommand 'KILL'. Try CLIENT HELP.\r\n");
            call(second, "CLIENT", "SETINFO", "LIB-NAME", "jedis");
            String list = call(first, "CLIENT", "LIST");
            assertThat(list).startsWith("$");
            String[] lines = list.substring(list.indexOf("\r\n") + 2).split("\n");
            assertThat(lines[0]).startsWith("id=1 addr=127.0.0.1:").contains(" name=teller ", " cmd=client ",
                    " user=default ", " resp=2");
            assertThat(lines[1]).startsWith("id=2 ").contains(" name= ", " lib-name=jedis ");
            call(first, "HELLO", "3");
            String info = call(first, "CLIENT", "INFO");
            assertThat(info).matches("(?s)=\\d+\r\ntxt:id=1 .* resp=3\n\r\n");
        }
    }

    @Test
    void selectTimeDbsizeCommandAndConfig() throws IOException {
        try (RawConnection c = new RawConnection(start(null))) {
            assertThat(call(c, "SELECT", "0")).isEqualTo("+OK\r\n");
            assertThat(call(c, "SELECT", "1")).startsWith("-ERR DB index is out of range");
            assertThat(call(c, "SELECT", "x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(call(c, "SELECT")).isEqualTo("-ERR wrong number of arguments for 'select' command\r\n");

            long before = Instant.now().getEpochSecond();
            String[] time = call(c, "TIME").split("\r\n");
            assertThat(time[0]).isEqualTo("*2");
            assertThat(Long.parseLong(time[2])).isBetween(before, Instant.now().getEpochSecond());
            assertThat(Long.parseLong(time[4])).isBetween(0L, 999_999L);
            assertThat(call(c, "TIME", "now")).startsWith("-ERR wrong number of arguments");

            assertThat(call(c, "DBSIZE")).isEqualTo(":2\r\n");
            call(c, "OPEN", "carol");
            assertThat(call(c, "DBSIZE")).isEqualTo(":3\r\n");

            String count = call(c, "COMMAND", "COUNT");
            String list = call(c, "COMMAND", "LIST");
            assertThat(list).startsWith("*" + count.substring(1, count.length() - 2) + "\r\n")
                    .contains(bulk("transfer"), bulk("hello"), bulk("info"));
            assertThat(call(c, "COMMAND", "INFO", "transfer", "nosuch")).isEqualTo("*2\r\n*10\r\n" + bulk("transfer")
                    + ":-1\r\n*0\r\n:0\r\n:0\r\n:0\r\n*0\r\n*0\r\n*0\r\n*0\r\n$-1\r\n");
            assertThat(call(c, "COMMAND", "DOCS")).isEqualTo("*0\r\n");
            assertThat(call(c, "COMMAND", "DOCS", "transfer")).isEqualTo("*0\r\n");
            assertThat(call(c, "COMMAND")).startsWith("*" + count.substring(1, count.length() - 2) + "\r\n*10\r\n");
            assertThat(call(c, "COMMAND", "NOPE")).startsWith("-ERR unknown subcommand 'NOPE'");

            assertThat(call(c, "CONFIG", "GET", "save")).isEqualTo("*2\r\n" + bulk("save") + "$0\r\n\r\n");
            assertThat(call(c, "CONFIG", "GET", "appendonly")).isEqualTo("*2\r\n" + bulk("appendonly") + bulk("no"));
            assertThat(call(c, "CONFIG", "GET", "save", "appendonly")).startsWith("*4\r\n");
            assertThat(call(c, "CONFIG", "GET", "nosuch")).isEqualTo("*0\r\n");
            assertThat(call(c, "CONFIG", "GET")).isEqualTo("-ERR wrong number of arguments for 'config|get' command\r\n");
            assertThat(call(c, "CONFIG", "SET", "save", "")).startsWith("-ERR unknown subcommand 'SET'");
        }
    }

    @Test
    void aDurableBankSaysSo(@TempDir Path directory) throws IOException {
        try (FileJournal journal = FileJournal.open(directory, SyncMode.BATCH)) {
            Bank bank = Bank.builder().journal(journal).account("alice", 100).build();
            try (RawConnection c = new RawConnection(start(bank, null))) {
                assertThat(call(c, "CONFIG", "GET", "append*")).isEqualTo("*2\r\n" + bulk("appendonly") + bulk("yes"));
                Map<String, String> info = info(c, "persistence");
                assertThat(info).containsEntry("aof_enabled", "1").containsEntry("ledger_journal", "on")
                        .containsEntry("ledger_journal_sync", "batch")
                        .containsEntry("ledger_last_checkpoint", "none");
                long records = Long.parseLong(info.get("ledger_journal_records_since_start"));
                long fsyncs = Long.parseLong(info.get("ledger_journal_fsyncs_since_start"));
                for (int i = 0; i < 3; i++) {
                    assertThat(call(c, "DEPOSIT", "alice", "1")).startsWith(":");
                }
                Map<String, String> after = info(c, "persistence");
                assertThat(Long.parseLong(after.get("ledger_journal_records_since_start"))).isEqualTo(records + 3);
                assertThat(Long.parseLong(after.get("ledger_journal_fsyncs_since_start"))).isGreaterThan(fsyncs);
                bank.checkpoint();
                assertThat(info(c, "persistence").get("ledger_last_checkpoint")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
                assertThat(info(c, "ledger")).containsEntry("prepared", "0");
                bank.prepare("t-1", List.of(Leg.debit("alice", 1)), Duration.ofMinutes(1));
                assertThat(info(c, "ledger")).containsEntry("prepared", "1").containsEntry("held", "1");
                bank.commit("t-1");
                assertThat(info(c, "ledger")).containsEntry("prepared", "0");
            } finally {
                server.stop();
                server = null;
            }
        }
    }

    @Test
    void infoSectionsInRedisFormat() throws IOException {
        try (RawConnection c = new RawConnection(start(null))) {
            String resp2 = call(c, "INFO");
            assertThat(resp2).matches("(?s)\\$\\d+\r\n# Server\r\nredis_version:7\\.0\\.0\r\n.*\r\n\r\n");
            assertThat(resp2).contains("\r\n\r\n# Clients\r\n", "\r\n\r\n# Persistence\r\nloading:0\r\n",
                    "\r\n\r\n# Stats\r\n", "\r\n\r\n# Replication\r\nrole:master\r\n", "\r\n\r\n# Ledger\r\n", "redis_mode:standalone\r\n", "thread_mode:", "tcp_port:" + server.port());
            assertThat(resp2).doesNotContain("# Commandstats", "# Latencystats");
            int length = Integer.parseInt(resp2.substring(1, resp2.indexOf("\r\n")));
            assertThat(resp2.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                    .isEqualTo(resp2.indexOf("\r\n") + 2 + length + 2);

            call(c, "HELLO", "3");
            String resp3 = call(c, "INFO", "ledger");
            assertThat(resp3).matches("(?s)=\\d+\r\ntxt:# Ledger\r\n.*");
            Map<String, String> ledger = info(c, "ledger");
            assertThat(ledger).containsEntry("accounts", "2").containsEntry("total", "150")
                    .containsEntry("held", "0").containsEntry("in_doubt", "0").containsKey("lock_strategy");
            assertThat(call(c, "INFO", "nosuch")).isEqualTo("=4\r\ntxt:\r\n");
            assertThat(info(c, "all")).containsKeys("redis_version", "connected_clients", "cmdstat_info",
                    "latency_percentiles_usec_info", "aof_enabled", "accounts");
        }
    }

    @Test
    void aTotalBeyondALongIsExact() throws IOException {
        Bank bank = Bank.builder().account("a", Long.MAX_VALUE).account("b", Long.MAX_VALUE).build();
        try (RawConnection c = new RawConnection(start(bank, null))) {
            assertThat(info(c, "ledger")).containsEntry("total", "18446744073709551614");
        }
    }

    @Test
    void infoFiguresMoveWithTheTraffic() throws IOException {
        int port = start(null);
        try (RawConnection c = new RawConnection(port)) {
            Map<String, String> before = info(c, "all");
            assertThat(before).containsEntry("connected_clients", "1").doesNotContainKey("cmdstat_transfer");
            int n = 25;
            for (int i = 0; i < n; i++) {
                assertThat(call(c, "TRANSFER", "alice", "bob", "1")).isEqualTo("+OK\r\n");
            }
            call(c, "TRANSFER", "alice", "bob", "1000");
            call(c, "TRANSFER", "alice", "bob");
            Map<String, String> after;
            try (RawConnection other = new RawConnection(port)) {
                call(other, "PING");
                after = info(c, "all");
            }
            assertThat(Long.parseLong(after.get("total_commands_processed")))
                    .isEqualTo(Long.parseLong(before.get("total_commands_processed")) + 1 + n + 2 + 1);
            assertThat(after.get("cmdstat_transfer"))
                    .matches("calls=" + (n + 2) + ",usec=\\d+,usec_per_call=\\d+\\.\\d\\d,rejected_calls=0,"
                            + "failed_calls=2");
            assertThat(after.get("cmdstat_ping")).startsWith("calls=1,");
            assertThat(after.get("latency_percentiles_usec_transfer"))
                    .matches("p50=\\d+\\.\\d{3},p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}");
            assertThat(after).containsEntry("connected_clients", "2").containsEntry("total_connections_received", "2")
                    .containsEntry("total_error_replies", "2").containsEntry("blocked_clients", "0");
            assertThat(Long.parseLong(after.get("total_net_input_bytes")))
                    .isGreaterThan(Long.parseLong(before.get("total_net_input_bytes")) + n * 30L);
            assertThat(Long.parseLong(after.get("total_net_output_bytes")))
                    .isGreaterThan(Long.parseLong(before.get("total_net_output_bytes")) + n * 5L);
            Await.until(Duration.ofSeconds(5), "the other connection to close",
                    () -> server.connections() == 1);
            assertThat(info(c, "clients")).containsEntry("connected_clients", "1");
        }
    }

    @Test
    void rejectedCallsAndConnectionsAreCounted() throws IOException {
        server = BankServer.builder(Bank.builder().account("alice", 1).build()).port(0).password(PASSWORD)
                .maxConnections(1).build().start();
        try (RawConnection c = new RawConnection(server.port())) {
            assertThat(call(c, "BALANCE", "alice")).startsWith("-NOAUTH");
            try (RawConnection refused = new RawConnection(server.port())) {
                assertThat(refused.readLine()).isEqualTo("-ERR max number of clients reached");
            }
            call(c, "AUTH", PASSWORD);
            Map<String, String> info = info(c, "all");
            assertThat(info.get("cmdstat_balance")).isEqualTo(
                    "calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0");
            assertThat(info).containsEntry("rejected_connections", "1");
        }
    }

    /** Sends {@code INFO section} and returns its key:value lines. */
    static Map<String, String> info(RawConnection c, String section) throws IOException {
        String reply = call(c, "INFO", section);
        Map<String, String> values = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^(\\w[\\w.]*):([^\r\n]*)$").matcher(reply);
        while (line.find()) {
            values.put(line.group(1), line.group(2));
        }
        return values;
    }
}

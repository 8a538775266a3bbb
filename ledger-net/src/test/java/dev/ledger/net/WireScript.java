package dev.ledger.net;

import dev.ledger.Bank;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One session of raw commands and the replies the server must give, run unchanged through third-party clients to
 * check wire compatibility. It starts on a server with password {@value #PASSWORD} and accounts alice (100) and
 * bob (50); each step depends on the ones before it.
 *
 * <p>Expected replies: {@link Simple} for a simple string, {@code String} for a bulk string, {@code Long} for an
 * integer, {@link Err} for an error (matched by prefix), {@code List} for an array.
 */
final class WireScript {
    static final String PASSWORD = "s3cret";

    /** A simple string reply, {@code +text}. */
    record Simple(String text) {
    }

    /** An error reply that starts with {@code prefix} (kind included, such as {@code ERR unknown}). */
    record Err(String prefix) {
    }

    /** A command and its expected reply. */
    record Step(List<String> command, Object expected) {
        @Override
        public String toString() {
            return String.join(" ", command);
        }
    }

    private final List<Step> steps = new ArrayList<>();

    private WireScript() {
    }

    static Bank bank() {
        return Bank.builder().account("alice", 100).account("bob", 50).build();
    }

    static List<Step> steps() {
        WireScript s = new WireScript();
        s.step(ok("PONG"), "PING");
        s.step(new Err("NOAUTH Authentication required."), "BALANCE", "alice");
        s.step(new Err("NOAUTH"), "NOSUCH");
        s.step(new Err("ERR invalid password"), "AUTH", "wrong");
        s.step(ok("OK"), "AUTH", PASSWORD);

        s.step(ok("PONG"), "ping");
        s.step("hello", "PING", "hello");
        s.step("a b", "ECHO", "a b");
        s.step(ok("OK"), "OPEN", "carol");
        s.step(ok("OK"), "open", "dave", "30");
        s.step(new Err("ERR account exists: 'carol' (DUPLICATE_ACCOUNT)"), "OPEN", "carol");
        s.step(new Err("ERR account id must be"), "OPEN", "bad!id");
        s.step(new Err("ERR initial balance must be zero or more"), "OPEN", "erin", "-5");
        s.step(new Err("ERR initial balance must be a whole number"), "OPEN", "erin", "abc");
        s.step(new Err("ERR wrong number of arguments for 'open' command"), "OPEN");

        s.step(100L, "BALANCE", "alice");
        s.step(new Err("ERR unknown account 'nobody' (UNKNOWN_ACCOUNT)"), "BALANCE", "nobody");
        s.step(new Err("ERR wrong number of arguments for 'balance' command"), "BALANCE");

        s.step(120L, "DEPOSIT", "alice", "20");
        s.step(new Err("ERR amount must be positive"), "DEPOSIT", "alice", "0");
        s.step(new Err("ERR amount must be a whole number"), "DEPOSIT", "alice", "+5");
        s.step(new Err("ERR amount must be a whole number"), "DEPOSIT", "alice", "1e3");
        s.step(new Err("ERR amount is out of range"), "DEPOSIT", "alice", "99999999999999999999");
        s.step(new Err("ERR adding 9223372036854775807"), "DEPOSIT", "alice", "9223372036854775807");

        s.step(40L, "WITHDRAW", "bob", "10");
        s.step(new Err("FAILED insufficient funds"), "WITHDRAW", "bob", "1000");
        s.step(new Err("ERR amount must be positive"), "WITHDRAW", "bob", "-1");

        s.step(ok("OK"), "TRANSFER", "alice", "bob", "20");
        s.step(new Err("FAILED insufficient funds"), "TRANSFER", "alice", "bob", "10000");
        s.step(new Err("ERR cannot transfer from account 'alice' to itself"), "TRANSFER", "alice", "alice", "1");
        s.step(new Err("ERR unknown account 'nobody'"), "TRANSFER", "alice", "nobody", "1");
        s.step(new Err("ERR amount must be a whole number"), "TRANSFER", "alice", "bob", "x");
        s.step(new Err("ERR wrong number of arguments for 'transfer' command"), "TRANSFER", "alice", "bob");

        s.step(ok("OK"), "MTRANSFER", "carol", "alice", "10", "bob", "5");
        s.step(new Err("FAILED insufficient funds"), "MTRANSFER", "carol", "alice", "10", "bob", "100000");
        s.step(new Err("ERR account 'alice' appears more than once"), "MTRANSFER", "carol", "alice", "1", "alice",
                "1");
        s.step(new Err("ERR wrong number of arguments for 'mtransfer' command"), "MTRANSFER", "carol", "alice");
        s.step(new Err("ERR wrong number of arguments for 'mtransfer' command"), "MTRANSFER", "carol", "alice", "1",
                "bob");

        // Each transfer answered on its own: only those not applied now are listed; the net effect here is zero.
        s.step(List.of(), "TRANSFERS", "t1", "alice", "bob", "5", "", "bob", "alice", "5");
        s.step(List.of(0L, "REPEATED", 1L, "UNKNOWN_ACCOUNT", 2L, "INSUFFICIENT_FUNDS", 3L, "SAME_ACCOUNT",
                4L, "ID_CONFLICT", 5L, "INVALID_ID", 6L, "INVALID_AMOUNT"), "TRANSFERS",
                "t1", "alice", "bob", "5",
                "t2", "bob", "nobody", "1",
                "t3", "carol", "dave", "1000",
                "", "dave", "dave", "1",
                "t1", "bob", "alice", "5",
                "bad id", "alice", "bob", "1",
                "t4", "alice", "bob", "0");
        s.step(new Err("ERR amount of transfer 1 must be a whole number"), "TRANSFERS", "t5", "alice", "bob", "7",
                "t6", "alice", "bob", "x");
        s.step(new Err("ERR wrong number of arguments for 'transfers' command"), "TRANSFERS");
        s.step(new Err("ERR wrong number of arguments for 'transfers' command"), "TRANSFERS", "t5", "alice", "bob");
        s.step(new Err("ERR wrong number of arguments for 'transfers' command"), "TRANSFERS", "t5", "alice", "bob",
                "7", "t6");

        // A linked chain: all or none; the second link may spend what the first paid in. Net effect zero.
        s.step(List.of(), "CHAIN", "k1", "alice", "dave", "60", "", "dave", "alice", "60");
        s.step(List.of(0L, "CHAIN_FAILED", 1L, "INSUFFICIENT_FUNDS", 2L, "CHAIN_FAILED"), "CHAIN",
                "k2", "alice", "dave", "5", "k3", "dave", "carol", "100000", "k4", "carol", "alice", "5");
        s.step(List.of(0L, "REPEATED", 1L, "CHAIN_FAILED"), "CHAIN", "k1", "alice", "dave", "60", "k5", "dave",
                "alice", "1");
        s.step(new Err("ERR wrong number of arguments for 'chain' command"), "CHAIN", "k6", "alice", "dave");

        // One operation at most once per id; the net effect here is zero too.
        s.step(ok("OK"), "ONCE", "d1", "DEPOSIT", "dave", "7");
        s.step(ok("REPEATED"), "ONCE", "d1", "DEPOSIT", "dave", "7");
        s.step(ok("ID_CONFLICT"), "ONCE", "d1", "DEPOSIT", "dave", "8");
        s.step(ok("OK"), "ONCE", "w1", "withdraw", "dave", "7");
        s.step(ok("INSUFFICIENT_FUNDS"), "ONCE", "w2", "WITHDRAW", "dave", "1000");
        s.step(ok("OK"), "ONCE", "m1", "MTRANSFER", "carol", "alice", "2", "bob", "3");
        s.step(ok("REPEATED"), "ONCE", "m1", "MTRANSFER", "carol", "alice", "2", "bob", "3");
        s.step(ok("OK"), "ONCE", "m2", "TRANSFER", "carol", "alice", "2");
        s.step(ok("OK"), "ONCE", "m3", "TRANSFER", "carol", "bob", "3");
        s.step(new Err("ERR ONCE applies DEPOSIT, WITHDRAW, TRANSFER or MTRANSFER, not 'BALANCE'"), "ONCE", "b1",
                "BALANCE", "alice", "1");
        s.step(new Err("ERR wrong number of arguments for 'deposit' command"), "ONCE", "d2", "DEPOSIT", "dave",
                "1", "2");
        s.step(new Err("ERR wrong number of arguments for 'once' command"), "ONCE", "d2", "DEPOSIT", "dave");
        s.step(new Err("ERR amount must be a whole number"), "ONCE", "d2", "DEPOSIT", "dave", "x");

        s.step(190L, "TOTAL");
        s.step(List.of("alice", "bob", "carol", "dave"), "ACCOUNTS");
        s.step(List.of("alice", 90L, "bob", 55L, "carol", 15L, "dave", 30L), "SNAPSHOT");
        s.step(new Err("ERR wrong number of arguments for 'snapshot' command"), "SNAPSHOT", "now");

        s.step(ok("PREPARED"), "PREPARE", "tx1", "60000", "alice", "-10", "dave", "10");
        s.step(ok("PREPARED"), "TXSTATUS", "tx1");
        s.step(90L, "BALANCE", "alice");
        s.step(new Err("FAILED insufficient funds"), "WITHDRAW", "alice", "90");
        s.step(ok("OK"), "COMMIT", "tx1");
        s.step(ok("OK"), "COMMIT", "tx1");
        s.step(ok("COMMITTED"), "TXSTATUS", "tx1");
        s.step(new Err("ERR transaction 'tx1' was committed and cannot abort (TRANSACTION_CONFLICT)"), "ABORT",
                "tx1");
        s.step(new Err("ABORT INSUFFICIENT_FUNDS"), "PREPARE", "tx2", "60000", "alice", "-100000", "dave",
                "100000");
        s.step(ok("ABORTED"), "TXSTATUS", "tx2");
        s.step(new Err("ABORT UNKNOWN_ACCOUNT"), "PREPARE", "tx3", "60000", "nobody", "-1", "dave", "1");
        s.step(new Err("ERR wrong number of arguments for 'prepare' command"), "PREPARE", "tx4", "60000", "alice");
        s.step(new Err("ERR timeout must be zero or more"), "PREPARE", "tx4", "-1", "alice", "-1", "dave", "1");
        s.step(ok("PREPARED"), "PREPARE", "tx5", "0", "alice", "-1", "dave", "1");
        s.step(List.of("tx5"), "INDOUBT");
        s.step(ok("OK"), "ABORT", "tx5");
        s.step(List.of(), "INDOUBT");
        s.step(new Err("ERR transaction 'tx5' was aborted and cannot commit (TRANSACTION_CONFLICT)"), "COMMIT",
                "tx5");
        s.step(new Err("ERR unknown transaction 'nope' (UNKNOWN_TRANSACTION)"), "COMMIT", "nope");
        s.step(ok("UNKNOWN"), "TXSTATUS", "nope");
        s.step(ok("OK"), "ABORT", "never-seen");
        s.step(ok("ABORTED"), "TXSTATUS", "never-seen");

        s.step(new Err("ERR unknown command 'NOSUCH'"), "NOSUCH", "arg");
        s.step(List.of("alice", 80L, "bob", 55L, "carol", 15L, "dave", 40L), "SNAPSHOT");
        return List.copyOf(s.steps);
    }

    private static Simple ok(String text) {
        return new Simple(text);
    }

    private void step(Object expected, String... command) {
        steps.add(new Step(Arrays.asList(command), expected));
    }
}

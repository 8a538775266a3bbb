package dev.ledger.examples.xa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.xa.BankXAResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transaction manager dies after the bank and the database have both prepared: Narayana runs in a child JVM
 * that halts itself ({@link Runtime#halt}) at that point, either after logging its decision to commit or before
 * deciding. Then the bank, reopened from its journal, still holds the money and reports its branch in
 * {@code recover()}; and a fresh Narayana over the same transaction log, in another JVM, finds the bank's branch and
 * the database's through {@code recover()} and completes both the same way: commit if it had decided so, otherwise
 * roll back (presumed abort).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(XaDatabase.class)
@Timeout(240)
class XaCrashRecoveryTest {
    private static final Timestamp STARTED = new Timestamp(System.currentTimeMillis() - 1_000);

    @Parameter
    XaDatabase database;

    @TempDir
    Path dir;

    private String url;
    private OrdersTable orders;

    @BeforeEach
    void setUp() throws SQLException {
        url = database.url(dir);
        orders = new OrdersTable("crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        try (Connection connection = database.connect(url)) {
            orders.create(connection);
        }
    }

    @AfterEach
    void cleanUp() throws SQLException {
        if (orders != null) {
            XaDatabase.rollBackLeftovers(url, STARTED);
            try (Connection connection = database.connect(url)) {
                orders.drop(connection);
            }
        }
    }

    @Test
    void aManagerThatDiesAfterDecidingCommitIsCompletedByRecovery() throws Exception {
        assertThat(run("pay-then-die-deciding")).as("the paying JVM halted in commit").isEqualTo(3);
        theBankStillHoldsThePreparedPayment();
        assertThat(run("recover")).as("recovery completed").isZero();
        assertThat(output("recover")).contains("RECOVERED ana=700 shop=300");
        assertThat(rowIds()).as("the database committed too").containsExactly("o-1");
        assertThat(balances()).containsExactly(700L, 300L);
    }

    @Test
    void aManagerThatDiesBeforeDecidingIsRolledBackByRecovery() throws Exception {
        assertThat(run("pay-then-die-preparing")).as("the paying JVM halted in prepare").isEqualTo(3);
        theBankStillHoldsThePreparedPayment();
        assertThat(run("recover")).as("recovery completed").isZero();
        assertThat(output("recover")).contains("RECOVERED ana=1000 shop=0");
        assertThat(rowIds()).as("the database rolled back too").isEmpty();
        assertThat(balances()).containsExactly(1_000L, 0L);
    }

    /** Reopens the bank from its journal, as a restarted application would, while its branch is prepared. */
    private void theBankStillHoldsThePreparedPayment() throws Exception {
        try (FileJournal journal = FileJournal.open(dir.resolve("bank"), SyncMode.ALWAYS)) {
            Bank bank = Bank.builder().name("shop-bank").journal(journal).build();
            assertThat(bank.position("ana").held()).as("held across the restart").isEqualTo(300);
            assertThat(bank.position("shop").incoming()).isEqualTo(300);
            assertThat(bank.balance("ana")).isEqualTo(1_000);
            Xid[] prepared = BankXAResource.of(bank).recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN);
            assertThat(prepared).as("recover() after the restart").hasSize(1);
            assertThat(prepared[0].getFormatId()).as("Narayana's format").isEqualTo(131077);
            List<Xid> inDatabase = XaDatabase.prepared(database.dataSource(url));
            assertThat(inDatabase).as("the database's branch of the same global transaction")
                    .anySatisfy(xid -> assertThat(xid.getGlobalTransactionId())
                            .isEqualTo(prepared[0].getGlobalTransactionId()));
        }
    }

    private List<Long> balances() throws IOException {
        try (FileJournal journal = FileJournal.open(dir.resolve("bank"), SyncMode.ALWAYS)) {
            Bank bank = Bank.builder().name("shop-bank").journal(journal).build();
            assertThat(bank.preparedTransactions()).isEmpty();
            return List.of(bank.balance("ana"), bank.balance("shop"));
        }
    }

    private List<String> rowIds() throws SQLException {
        try (Connection connection = database.connect(url)) {
            return new ArrayList<>(orders.orders(connection).keySet());
        }
    }

    /** Runs one step in a child JVM with this test's class path, at most 90 s, and returns its exit status. */
    private int run(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(Arrays.asList(
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                XaCrashingPayment.class.getName(), mode, dir.resolve("narayana").toString(),
                dir.resolve("bank").toString(), url, database.user(), database.password(), orders.name()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(mode + ".log").toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(mode + " did not finish in 90 s:\n" + output(mode));
        }
        System.out.println("--- " + mode + " exited " + process.exitValue() + "\n" + output(mode));
        return process.exitValue();
    }

    private String output(String mode) throws IOException {
        return Files.readString(dir.resolve(mode + ".log"), StandardCharsets.UTF_8);
    }
}

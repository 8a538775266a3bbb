package dev.ledger.examples.xa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.Position;
import dev.ledger.xa.BankXAResource;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import dev.ledger.net.BankClient;
import dev.ledger.net.BankServer;
import dev.ledger.net.RemoteParticipant;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bank and a database in one JTA transaction, under each transaction manager (Narayana, Atomikos) and on each
 * database (H2, PostgreSQL): both commit; the application rolls back; the database votes no and the bank rolls
 * back; the bank votes no and the row is not written; a transaction times out; and many threads pay at once over
 * the same accounts. After each test nothing is left prepared, and the books and the rows agree. Under Narayana the
 * scenarios also run with the bank in a {@link BankServer}, reached through a {@link RemoteParticipant}.
 */
@ParameterizedClass(name = "{0} + {1}, bank {2}")
@MethodSource("setups")
@Timeout(180)
class XaTransactionTest {
    private static final long INITIAL = 1_000;
    private static final String[] CUSTOMERS = {"ana", "ben", "caio", "dora"};
    private static final Timestamp STARTED = new Timestamp(System.currentTimeMillis() - 1_000);

    @Parameter(0)
    XaTm tmKind;

    @Parameter(1)
    XaDatabase database;

    @Parameter(2)
    BankPlace place;

    /** Where the bank runs: in the application's process, or in a server the resource reaches over TCP. */
    enum BankPlace {
        IN_PROCESS,
        SERVER
    }

    @TempDir
    Path dir;

    private TransactionManager tm;
    private Bank bank;
    private BankServer server;
    private RemoteParticipant remote;
    private BankXAResource bankXa;
    private String url;
    private XADataSource dataSource;
    private OrdersTable orders;

    static Stream<Arguments> setups() {
        Stream<Arguments> inProcess = Stream.of(XaTm.values()).flatMap(tm -> Stream.of(XaDatabase.values())
                .map(db -> Arguments.of(tm, db, BankPlace.IN_PROCESS)));
        Stream<Arguments> server = Stream.of(XaDatabase.values())
                .map(db -> Arguments.of(XaTm.NARAYANA, db, BankPlace.SERVER));
        return Stream.concat(inProcess, server);
    }

    @BeforeEach
    void setUp() throws SQLException, IOException {
        url = database.url(dir);
        dataSource = database.dataSource(url);
        orders = new OrdersTable("orders_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        try (Connection connection = database.connect(url)) {
            orders.create(connection);
        }
        tm = tmKind.manager();
        var builder = Bank.builder().name("shop-bank").account("shop", 0);
        for (String customer : CUSTOMERS) {
            builder.account(customer, INITIAL);
        }
        bank = builder.build();
        if (place == BankPlace.SERVER) {
            server = BankServer.builder(bank).port(0).build().start();
            remote = new RemoteParticipant(bank.name(), BankClient.builder().port(server.port()));
            bankXa = BankXAResource.of(remote);
        } else {
            bankXa = BankXAResource.of(bank);
        }
        AtomikosResources.use(bankXa, dataSource);
    }

    @AfterEach
    void nothingIsLeftPrepared() throws Exception {
        try {
            if (tm != null && tm.getStatus() != Status.STATUS_NO_TRANSACTION) {
                tm.rollback();
            }
            if (bank != null) {
                assertThat(bank.preparedTransactions()).as("prepared at the bank").isEmpty();
                for (Account account : bank.accounts()) {
                    Position position = bank.position(account);
                    assertThat(position.held()).as("held on %s", account.id()).isZero();
                    assertThat(position.incoming()).as("incoming on %s", account.id()).isZero();
                }
                assertThat(bank.total()).as("money is conserved").isEqualTo(INITIAL * CUSTOMERS.length);
                assertThat(XaDatabase.prepared(dataSource)).as("prepared in the database").isEmpty();
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
            if (server != null) {
                server.stop();
            }
            if (orders != null && url != null) {
                XaDatabase.rollBackLeftovers(url, STARTED);
                try (Connection connection = database.connect(url)) {
                    orders.drop(connection);
                }
            }
        }
    }

    /** What the application does inside the transaction, with the database connection enlisted in it. */
    interface Work {
        void run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} in one global transaction with the bank and the database enlisted (in the order given, which
     * is the order they prepare in), then commits; if anything throws, rolls back and rethrows.
     */
    private void inTransaction(boolean bankFirst, Work work) throws Exception {
        XAConnection db = dataSource.getXAConnection();
        try {
            tm.begin();
            Transaction transaction = tm.getTransaction();
            if (bankFirst) {
                transaction.enlistResource(bankXa);
                transaction.enlistResource(db.getXAResource());
            } else {
                transaction.enlistResource(db.getXAResource());
                transaction.enlistResource(bankXa);
            }
            work.run(db.getConnection());
            tm.commit();
        } catch (Exception failed) {
            if (tm.getStatus() != Status.STATUS_NO_TRANSACTION) {
                tm.rollback();
            }
            throw failed;
        } finally {
            db.close();
        }
    }

    /** A sale: the customer pays the shop and the order row is written. */
    private void sale(boolean bankFirst, String orderId, String customer, long price) throws Exception {
        inTransaction(bankFirst, connection -> {
            bankXa.transfer(customer, "shop", price);
            orders.insert(connection, orderId, customer, price);
        });
    }

    private Map<String, OrdersTable.Order> rows() throws SQLException {
        try (Connection connection = database.connect(url)) {
            return orders.orders(connection);
        }
    }

    /** Checks that every balance is what the order rows say: each customer paid its orders, the shop got them all. */
    private void booksMatchRows() throws SQLException {
        Map<String, Long> expected = new TreeMap<>();
        for (String customer : CUSTOMERS) {
            expected.put(customer, INITIAL);
        }
        expected.put("shop", 0L);
        for (OrdersTable.Order order : rows().values()) {
            expected.merge(order.account(), -order.amount(), Long::sum);
            expected.merge("shop", order.amount(), Long::sum);
        }
        Map<String, Long> actual = new TreeMap<>();
        for (Account account : bank.accounts()) {
            actual.put(account.id(), bank.balance(account));
        }
        assertThat(actual).as("balances against the order rows").isEqualTo(expected);
    }

    @Test
    void bothCommit() throws Exception {
        sale(false, "o-1", "ana", 300);
        sale(true, "o-2", "ben", 200);
        assertThat(rows()).containsOnlyKeys("o-1", "o-2");
        assertThat(bank.balance("ana")).isEqualTo(INITIAL - 300);
        assertThat(bank.balance("shop")).isEqualTo(500);
        booksMatchRows();
    }

    @Test
    void theApplicationRollsBack() throws Exception {
        assertThatThrownBy(() -> inTransaction(true, connection -> {
            bankXa.transfer("ana", "shop", 300);
            orders.insert(connection, "o-1", "ana", 300);
            throw new IllegalStateException("out of stock");
        })).hasMessage("out of stock");
        assertThat(rows()).isEmpty();
        assertThat(bank.balance("ana")).isEqualTo(INITIAL);
        booksMatchRows();
    }

    @Test
    void theDatabaseVotesNoAndTheBankRollsBack() throws Exception {
        sale(true, "o-1", "ana", 100);
        // The same order id again: PostgreSQL refuses it when it prepares, after the bank (enlisted first) has
        // prepared and held ben's money; H2 refuses it at the insert.
        assertThatThrownBy(() -> sale(true, "o-1", "ben", 200))
                .isInstanceOfAny(RollbackException.class, SQLException.class);
        assertThat(rows()).containsOnlyKeys("o-1");
        assertThat(rows().get("o-1").account()).isEqualTo("ana");
        assertThat(bank.balance("ben")).as("ben's money was held, then released").isEqualTo(INITIAL);
        booksMatchRows();
    }

    @Test
    void theBankVotesNoAndTheRowIsNotWritten() throws Exception {
        // The database is enlisted first, so it has prepared the row when the bank votes XA_RBROLLBACK.
        assertThatThrownBy(() -> sale(false, "o-1", "ana", INITIAL + 1)).isInstanceOf(RollbackException.class);
        assertThat(rows()).isEmpty();
        assertThat(bank.balance("ana")).isEqualTo(INITIAL);
        sale(false, "o-2", "ana", INITIAL); // exactly the balance: fine
        assertThat(rows()).containsOnlyKeys("o-2");
        booksMatchRows();
    }

    @Test
    void aTransactionThatTimesOutCommitsNothing() throws Exception {
        tm.setTransactionTimeout(1);
        long begun = System.nanoTime();
        try {
            assertThatThrownBy(() -> inTransaction(true, connection -> {
                bankXa.transfer("ana", "shop", 300);
                orders.insert(connection, "o-1", "ana", 300);
                awaitTimeout(begun);
            })).isInstanceOfAny(RollbackException.class, IllegalStateException.class);
        } finally {
            tm.setTransactionTimeout(0);
        }
        assertThat(rows()).isEmpty();
        assertThat(bank.balance("ana")).isEqualTo(INITIAL);
        booksMatchRows();
    }

    /**
     * Waits until the current transaction has timed out: until Narayana's reaper has rolled it back (at most 20 s),
     * or, for Atomikos, which marks a transaction as timed out only when it is next used, for its timeout and a
     * margin: then waiting for time to pass is the scenario itself.
     */
    private void awaitTimeout(long begun) throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        if (tmKind == XaTm.ATOMIKOS) {
            long remaining = begun + TimeUnit.MILLISECONDS.toNanos(1_500) - System.nanoTime();
            assertThat(never.await(Math.max(0, remaining), TimeUnit.NANOSECONDS)).isFalse();
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (tm.getStatus() == Status.STATUS_ACTIVE) {
            assertThat(System.nanoTime() - deadline).as("the transaction timed out within 20 s").isNegative();
            never.await(10, TimeUnit.MILLISECONDS); // polling the manager's status: nothing to be woken by
        }
    }

    @Test
    void manyThreadsPayingAtOnceKeepTheBooksAndTheRowsInStep() throws Exception {
        int threads = 4;
        int perThread = 100;
        Set<String> committed = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(thread);
                    for (int i = 0; i < perThread; i++) {
                        String orderId = "o-" + thread + "-" + i;
                        String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
                        long price = 1 + random.nextInt(120);
                        boolean applicationFails = random.nextInt(10) == 0;
                        try {
                            inTransaction(random.nextBoolean(), connection -> {
                                bankXa.transfer(customer, "shop", price);
                                orders.insert(connection, orderId, customer, price);
                                if (applicationFails) {
                                    throw new IllegalStateException("application failure");
                                }
                            });
                            committed.add(orderId);
                        } catch (RollbackException | IllegalStateException refused) {
                            // insufficient funds, or the application's failure: neither side has it
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(150, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows().keySet()).as("every committed payment has its row, and every row its payment")
                .isEqualTo(committed);
        assertThat(committed).as("some committed, some did not").hasSizeBetween(1, threads * perThread - 1);
        booksMatchRows();
    }
}

package dev.ledger.examples.xa;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.BankBuilder;
import dev.ledger.examples.CheckReport;
import dev.ledger.examples.ChildProcesses;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.xa.BankXAResource;
import jakarta.transaction.RollbackException;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ledger xa-demo}: a shop that sells items, each sale paying from a customer's ledger account into the
 * shop's and writing an order row, atomically, in one JTA transaction under Narayana: a journaled bank
 * ({@link BankXAResource}) beside a database (embedded H2, or PostgreSQL with {@code --jdbc-url}). Every k-th sale
 * injects a failure (a duplicate order the database refuses, a price the customer cannot pay, an application
 * error), and none of them may leave a trace. Then it runs the same sales against the database alone, in local
 * transactions, and prints both rates. At the end it checks that the orders and the money agree; the exit code is
 * 0 only if every check passed.
 *
 * <p>Concurrency: the sales run on {@code --threads} threads, each with its own database connection and its own
 * JTA transaction; the outcomes go to concurrent maps and counters, read after the threads are joined.
 */
@Command(name = "xa-demo", mixinStandardHelpOptions = true,
        description = {"A shop: each sale pays from a ledger account and writes an order row in one XA transaction "
                + "(Narayana), with failures injected; then the same sales on the database alone, and both rates.",
            "Exits with 0 only if the orders and the money agree."})
public final class XaDemoCommand implements Callable<Integer> {
    private static final String NODE = "ledger-xa-demo";
    private static final String SHOP = "shop";

    @Spec
    CommandSpec spec;

    @Option(names = "--jdbc-url", description = "The database (default: embedded H2 in a temporary directory); "
            + "jdbc:postgresql://host:port/db for PostgreSQL, which needs max_prepared_transactions > 0.")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "sa", description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", defaultValue = "", description = "Database password (default: empty).")
    String password;

    @Option(names = {"-t", "--threads"}, defaultValue = "4", description = "Threads selling at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-n", "--sales"}, defaultValue = "2000", description = "Sales measured, per run (default: ${DEFAULT-VALUE}).")
    int sales;

    @Option(names = "--warmup", defaultValue = "300", description = "Sales before the measured ones, per run (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--fail-every", defaultValue = "10",
            description = "Every k-th sale injects a failure, in turn a duplicate order, insufficient funds and an "
                    + "application error; 0 for none (default: ${DEFAULT-VALUE}).")
    int failEvery;

    @Option(names = "--customers", defaultValue = "8", description = "Customer accounts, sharing the sales (default: ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--initial", defaultValue = "1000000", description = "Each customer's opening balance (default: ${DEFAULT-VALUE}).")
    long initial;

    @Option(names = "--max-price", defaultValue = "100", description = "The highest price (default: ${DEFAULT-VALUE}).")
    long maxPrice;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (threads < 1 || sales < 1 || warmup < 0 || failEvery < 0 || customers < 1 || initial < 1 || maxPrice < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "threads, sales, customers, initial and max-price must be positive; warmup and fail-every not negative");
        }
        Path work = Files.createTempDirectory("ledger-xa-demo");
        boolean narayanaStarted = false;
        String url = jdbcUrl != null ? jdbcUrl : "jdbc:h2:file:" + work.resolve("shop") + ";WRITE_DELAY=0";
        String suffix = Long.toString(System.nanoTime() & 0xFFFFFFFL, 36);
        OrdersTable xaOrders = new OrdersTable("xa_demo_orders_" + suffix);
        OrdersTable plainOrders = new OrdersTable("xa_demo_plain_" + suffix);
        String[] customerIds = new String[customers];
        for (int i = 0; i < customers; i++) {
            customerIds[i] = "c" + (i + 1);
        }
        try (FileJournal journal = FileJournal.open(work.resolve("bank"), SyncMode.BATCH);
                Connection admin = DriverManager.getConnection(url, user, password)) {
            xaOrders.create(admin);
            plainOrders.create(admin);
            BankBuilder builder = Bank.builder().name("shop-bank").journal(journal).account(SHOP, 0);
            for (String customer : customerIds) {
                builder.account(customer, initial);
            }
            Bank bank = builder.build();
            BankXAResource bankXa = BankXAResource.of(bank);
            XADataSource dataSource = XaDataSources.forUrl(url, user, password);
            TransactionManager tm = Narayana.configure(work.resolve("narayana"), NODE);
            narayanaStarted = true;
            long unaffordable = Math.multiplyExact(initial, (long) customers) + 1;

            out.printf("xa-demo: %d threads, %d sales (after %d to warm up), every %s sale fails%n", threads, sales,
                    warmup, failEvery == 0 ? "no" : ordinal(failEvery));
            out.printf("database %s; bank journaled in %s%n", url.startsWith("jdbc:h2:") ? "embedded H2" : url,
                    work.resolve("bank"));
            out.flush();
            Outcomes xa = new Outcomes();
            Tills xaTills = () -> xaTill(tm, bankXa, dataSource, xaOrders);
            run(warmup, 0, xaTills, customerIds, unaffordable, xa);
            double xaSeconds = run(sales, warmup, xaTills, customerIds, unaffordable, xa);
            Outcomes plain = new Outcomes();
            Tills plainTills = () -> plainTill(url, plainOrders);
            run(warmup, 0, plainTills, customerIds, unaffordable, plain);
            double plainSeconds = run(sales, warmup, plainTills, customerIds, unaffordable, plain);

            double xaRate = sales / xaSeconds;
            double plainRate = sales / plainSeconds;
            out.printf(Locale.ROOT, "bank + database (XA, Narayana): %6d sales in %6.2f s = %8.0f tx/s%n", sales,
                    xaSeconds, xaRate);
            out.printf(Locale.ROOT, "database alone (local tx):      %6d sales in %6.2f s = %8.0f tx/s%n", sales,
                    plainSeconds, plainRate);
            out.printf(Locale.ROOT, "ratio: the database alone is %.1fx the rate of bank + database%n",
                    plainRate / xaRate);

            CheckReport report = new CheckReport();
            check(report, bank, admin, xaOrders, xa, customerIds, dataSource);
            boolean passed = report.print(out);
            xaOrders.drop(admin);
            plainOrders.drop(admin);
            return passed ? 0 : 1;
        } finally {
            if (narayanaStarted) {
                Narayana.stop();
            }
            ChildProcesses.deleteQuietly(work);
        }
    }

    private static String ordinal(int n) {
        return n == 1 ? "" : n + (n % 10 == 2 && n % 100 != 12 ? "nd" : n % 10 == 3 && n % 100 != 13 ? "rd" : "th");
    }

    /** One thread's till: sells with its own connection; {@link #sell} returns whether the sale committed. */
    private interface Till extends AutoCloseable {
        boolean sell(Sale sale) throws Exception;
    }

    /** Opens a till for a selling thread. */
    private interface Tills {
        Till open() throws Exception;
    }

    /** The sales' outcomes. Concurrency: concurrent maps and counters, written by the selling threads. */
    private static final class Outcomes {
        final Map<String, Sale> committed = new ConcurrentHashMap<>();
        final Map<String, Sale> rolledBack = new ConcurrentHashMap<>();
    }

    /** Runs sales {@code from .. from + count - 1} on the threads; returns the seconds they took. */
    private double run(int count, int from, Tills tills, String[] customerIds, long unaffordable, Outcomes outcomes)
            throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        int end = from + count;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    try (Till till = tills.open()) {
                        for (int n = next.getAndIncrement(); n < end; n = next.getAndIncrement()) {
                            Sale sale = Sale.plan(n, customerIds, maxPrice, failEvery, unaffordable);
                            (till.sell(sale) ? outcomes.committed : outcomes.rolledBack).put(sale.orderId(), sale);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** A till that sells in XA transactions: the bank's transfer and the order row, with the failure injected. */
    private static Till xaTill(TransactionManager tm, BankXAResource bankXa, XADataSource dataSource,
            OrdersTable orders) throws SQLException {
        XAConnection db = dataSource.getXAConnection();
        XAResource dbXa = db.getXAResource();
        Connection connection = db.getConnection(); // one handle for all its transactions: H2 rolls back on close
        return new Till() {
            @Override
            public boolean sell(Sale sale) throws Exception {
                try {
                    tm.begin();
                    Transaction transaction = tm.getTransaction();
                    transaction.enlistResource(bankXa);
                    transaction.enlistResource(dbXa);
                    bankXa.transfer(sale.customer(), SHOP, sale.price());
                    orders.insert(connection, sale.orderId(), sale.customer(), sale.price());
                    if (sale.failure() == Sale.Failure.DUPLICATE_ORDER) {
                        orders.insert(connection, sale.orderId(), sale.customer(), sale.price());
                    }
                    if (sale.failure() == Sale.Failure.APPLICATION_ERROR) {
                        throw new IllegalStateException("the application failed");
                    }
                    tm.commit();
                    return true;
                } catch (RollbackException refused) {
                    return false; // a resource voted no: the bank (no money) or the database (duplicate order)
                } catch (SQLException | IllegalStateException failed) {
                    if (tm.getStatus() != Status.STATUS_NO_TRANSACTION) {
                        tm.rollback();
                    }
                    return false;
                }
            }

            @Override
            public void close() throws SQLException {
                db.close();
            }
        };
    }

    /** A till that sells in the database alone, in local transactions: the order row only. */
    private Till plainTill(String url, OrdersTable orders) throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.setAutoCommit(false);
        return new Till() {
            @Override
            public boolean sell(Sale sale) throws SQLException {
                try {
                    orders.insert(connection, sale.orderId(), sale.customer(), sale.price());
                    if (sale.failure() == Sale.Failure.DUPLICATE_ORDER) {
                        orders.insert(connection, sale.orderId(), sale.customer(), sale.price());
                    }
                    if (sale.failure() != Sale.Failure.NONE) {
                        connection.rollback(); // the application's decision: no money, or its own error
                        return false;
                    }
                    connection.commit();
                    return true;
                } catch (SQLException refused) {
                    connection.rollback();
                    return false;
                }
            }

            @Override
            public void close() throws SQLException {
                connection.close();
            }
        };
    }

    private void check(CheckReport report, Bank bank, Connection admin, OrdersTable orders, Outcomes outcomes,
            String[] customerIds, XADataSource dataSource) throws Exception {
        Map<String, OrdersTable.Order> rows = orders.orders(admin);
        List<String> found = new ArrayList<>();
        for (String id : outcomes.committed.keySet()) {
            if (!rows.containsKey(id)) {
                found.add("committed sale " + id + " has no order row");
            }
        }
        for (String id : rows.keySet()) {
            if (!outcomes.committed.containsKey(id)) {
                found.add("order row " + id + " has no committed sale");
            }
        }
        report.add(found.isEmpty(), "every committed sale has its order row, and every row its sale ("
                + rows.size() + ")", cap(found));

        List<String> wrong = new ArrayList<>();
        Map<Sale.Failure, Integer> failed = new EnumMap<>(Sale.Failure.class);
        outcomes.committed.values().stream().filter(sale -> sale.failure() != Sale.Failure.NONE)
                .forEach(sale -> wrong.add("sale " + sale.orderId() + " injected " + sale.failure() + " and committed"));
        for (Sale sale : outcomes.rolledBack.values()) {
            failed.merge(sale.failure(), 1, Integer::sum);
        }
        report.add(wrong.isEmpty(), "every injected failure rolled back " + failed, cap(wrong));

        Map<String, Long> expected = new TreeMap<>();
        for (String customer : customerIds) {
            expected.put(customer, initial);
        }
        expected.put(SHOP, 0L);
        for (OrdersTable.Order order : rows.values()) {
            expected.merge(order.account(), -order.amount(), Math::addExact);
            expected.merge(SHOP, order.amount(), Math::addExact);
        }
        Map<String, Long> actual = new TreeMap<>();
        for (Account account : bank.accounts()) {
            actual.put(account.id(), bank.balance(account));
        }
        report.add(actual.equals(expected), "every balance is its opening balance less (or, for the shop, plus) "
                + "its order rows", actual.equals(expected) ? List.of() : List.of("expected " + expected,
                        "found    " + actual));
        long total = Math.multiplyExact(initial, (long) customerIds.length);
        report.add(bank.total() == total, "money conserved (total " + total + ")");

        List<String> leftovers = new ArrayList<>(bank.preparedTransactions());
        XAConnection connection = dataSource.getXAConnection();
        try {
            byte[] node = NODE.getBytes(StandardCharsets.UTF_8);
            for (Xid xid : connection.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN)) {
                byte[] gtrid = xid.getGlobalTransactionId();
                if (gtrid.length >= node.length
                        && Arrays.equals(gtrid, gtrid.length - node.length, gtrid.length, node, 0, node.length)) {
                    leftovers.add("database: " + xid);
                }
            }
        } finally {
            connection.close();
        }
        report.add(leftovers.isEmpty(), "nothing left prepared at the bank or in the database", cap(leftovers));
    }

    private static List<String> cap(List<String> lines) {
        return lines.size() <= 10 ? lines : lines.subList(0, 10);
    }
}

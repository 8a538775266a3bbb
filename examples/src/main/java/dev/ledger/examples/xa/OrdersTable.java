package dev.ledger.examples.xa;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The database side of a sale: one row per order, {@code (id, account, amount)}, whose id is the order's and
 * whose amount must be positive (a {@code CHECK} constraint, the database's way to refuse a row). On PostgreSQL the
 * id's uniqueness is checked when the transaction prepares ({@code DEFERRABLE INITIALLY DEFERRED}), so a duplicate
 * order makes the database vote no; H2 has no deferred constraints and refuses it at the insert. Immutable: the
 * table's name only.
 *
 * @param name the table's name, a plain SQL identifier
 */
public record OrdersTable(String name) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    /**
     * Checks the name.
     *
     * @param name the table's name
     */
    public OrdersTable {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain table name: " + name);
        }
    }

    /**
     * Creates the table if it does not exist.
     *
     * @param connection a connection in auto-commit mode
     * @throws SQLException if the database refuses
     */
    public void create(Connection connection) throws SQLException {
        boolean deferrable = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + name + " (id VARCHAR(64) PRIMARY KEY"
                    + (deferrable ? " DEFERRABLE INITIALLY DEFERRED, " : ", ")
                    + "account VARCHAR(64) NOT NULL, amount BIGINT NOT NULL CHECK (amount > 0))");
        }
    }

    /**
     * Drops the table if it exists.
     *
     * @param connection a connection in auto-commit mode
     * @throws SQLException if the database refuses
     */
    public void drop(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS " + name);
        }
    }

    /**
     * Inserts an order.
     *
     * @param connection the connection, in whatever transaction the caller has
     * @param id the order's id
     * @param account the account that paid
     * @param amount the amount; not positive, and the database refuses the row
     * @throws SQLException if the database refuses the row (a duplicate id, a non-positive amount)
     */
    public void insert(Connection connection, String id, String account, long amount) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + name + " (id, account, amount) VALUES (?, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, account);
            insert.setLong(3, amount);
            insert.executeUpdate();
        }
    }

    /**
     * Reads every order.
     *
     * @param connection a connection
     * @return the orders by id, each as {@code account} and {@code amount}
     * @throws SQLException if the database refuses
     */
    public Map<String, Order> orders(Connection connection) throws SQLException {
        Map<String, Order> orders = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id, account, amount FROM " + name + " ORDER BY id")) {
            while (rows.next()) {
                orders.put(rows.getString(1), new Order(rows.getString(2), rows.getLong(3)));
            }
        }
        return orders;
    }

    /**
     * One order row.
     *
     * @param account the account that paid
     * @param amount what it paid
     */
    public record Order(String account, long amount) {
    }
}

package dev.ledger.examples.xa;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the XA tests run against: embedded H2 (always), and the PostgreSQL server named by the system
 * property {@code ledger.test.postgres.url} or the environment variable {@code LEDGER_TEST_POSTGRES_URL} (user and
 * password {@code ledger}), which {@code .ci/postgres start} provides. Without one, or if it cannot be reached, the
 * PostgreSQL tests are skipped, loudly.
 */
enum XaDatabase {
    H2,
    POSTGRESQL;

    static final String POSTGRES_USER = "ledger";
    static final String POSTGRES_PASSWORD = "ledger";

    /** {@return the JDBC URL: an H2 file database in {@code dir}, or the PostgreSQL server; skips the test without one} */
    String url(Path dir) {
        if (this == H2) {
            // WRITE_DELAY=0: a prepared transaction is on disk before its prepare returns, as XA needs after a crash
            return "jdbc:h2:file:" + dir.resolve("h2").toAbsolutePath() + ";WRITE_DELAY=0";
        }
        String url = System.getProperty("ledger.test.postgres.url", System.getenv("LEDGER_TEST_POSTGRES_URL"));
        if (url == null || url.isBlank()) {
            skip("PostgreSQL not available at (no ledger.test.postgres.url or LEDGER_TEST_POSTGRES_URL set): SKIPPED");
        }
        try (Connection connection = DriverManager.getConnection(url, POSTGRES_USER, POSTGRES_PASSWORD)) {
            return url;
        } catch (SQLException unreachable) {
            skip("PostgreSQL not available at " + url + " (" + unreachable.getMessage() + "): SKIPPED");
            return url;
        }
    }

    private static void skip(String message) {
        System.err.println("*** " + message + " ***");
        Assumptions.abort(message);
    }

    String user() {
        return this == H2 ? "sa" : POSTGRES_USER;
    }

    String password() {
        return this == H2 ? "" : POSTGRES_PASSWORD;
    }

    XADataSource dataSource(String url) throws SQLException {
        return XaDataSources.forUrl(url, user(), password());
    }

    /** {@return the branches the database holds prepared, as its XA resource reports them} */
    static List<Xid> prepared(XADataSource dataSource) throws Exception {
        XAConnection connection = dataSource.getXAConnection();
        try {
            return List.of(connection.getXAResource().recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        } finally {
            connection.close();
        }
    }

    /**
     * Rolls back the transactions left prepared in PostgreSQL since {@code since} by this user in this database,
     * which only the tests that crash a transaction manager on purpose leave, should one of them fail half-way.
     */
    static void rollBackLeftovers(String url, java.sql.Timestamp since) throws SQLException {
        if (!url.startsWith("jdbc:postgresql:")) {
            return;
        }
        List<String> gids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, POSTGRES_USER, POSTGRES_PASSWORD);
                PreparedStatement query = connection.prepareStatement("SELECT gid FROM pg_prepared_xacts "
                        + "WHERE database = current_database() AND owner = current_user AND prepared >= ?")) {
            query.setTimestamp(1, since);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    gids.add(rows.getString(1));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String gid : gids) {
                    System.err.println("rolling back a prepared transaction a test left: " + gid);
                    statement.execute("ROLLBACK PREPARED '" + gid.replace("'", "''") + "'");
                }
            }
        }
    }

    /** {@return the database's connection for set-up and checks, in auto-commit mode} */
    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, user(), password());
    }
}

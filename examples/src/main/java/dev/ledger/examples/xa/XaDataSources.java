package dev.ledger.examples.xa;

import java.sql.SQLException;
import javax.sql.XADataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.xa.PGXADataSource;

/** The databases the XA example runs on, as {@link XADataSource}s: embedded H2, and PostgreSQL. Stateless. */
public final class XaDataSources {
    private XaDataSources() {
    }

    /**
     * Returns the XA data source for a JDBC URL.
     *
     * @param url {@code jdbc:h2:...} or {@code jdbc:postgresql://...}
     * @param user the user
     * @param password the password
     * @return the data source
     * @throws SQLException for a URL of another database
     */
    public static XADataSource forUrl(String url, String user, String password) throws SQLException {
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            PGXADataSource postgres = new PGXADataSource();
            postgres.setUrl(url);
            postgres.setUser(user);
            postgres.setPassword(password);
            return postgres;
        }
        throw new SQLException("no XA data source for " + url + ": use jdbc:h2:... or jdbc:postgresql://...");
    }
}

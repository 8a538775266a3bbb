package dev.ledger.examples.xa;

import com.atomikos.datasource.ResourceException;
import com.atomikos.datasource.xa.XATransactionalResource;
import com.atomikos.icatch.config.Configuration;
import dev.ledger.Bank;
import dev.ledger.xa.BankXAResource;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * What Atomikos must know before a resource can be enlisted: a registered resource that recognises its
 * {@link XAResource}s and can give one for recovery. The tests register two, the bank's and the database's, which
 * stand for whichever bank and data source the current test uses.
 *
 * <p>Concurrency: {@code bank} and {@code dataSource} are volatile, set by a test before it runs transactions.
 */
final class AtomikosResources {
    private static volatile BankXAResource bank = BankXAResource.of(Bank.builder().build());
    private static volatile XADataSource dataSource = emptyH2();

    private AtomikosResources() {
    }

    static void register() {
        Configuration.addResource(new XATransactionalResource("ledger-bank") {
            @Override
            public boolean usesXAResource(XAResource resource) {
                return resource instanceof BankXAResource;
            }

            @Override
            protected XAResource refreshXAConnection() {
                return bank;
            }
        });
        Configuration.addResource(new XATransactionalResource("ledger-database") {
            @Override
            public boolean usesXAResource(XAResource resource) {
                String type = resource.getClass().getName();
                return type.startsWith("org.h2.") || type.startsWith("org.postgresql.");
            }

            @Override
            protected XAResource refreshXAConnection() {
                try {
                    XAConnection connection = dataSource.getXAConnection(); // kept open: Atomikos recovers through it
                    return connection.getXAResource();
                } catch (java.sql.SQLException e) {
                    throw new ResourceException("no database connection for recovery", e);
                }
            }
        });
    }

    /** Makes the registered resources stand for this test's bank and database. */
    static void use(BankXAResource bankResource, XADataSource database) {
        bank = bankResource;
        dataSource = database;
    }

    private static XADataSource emptyH2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:atomikos-none");
        return h2;
    }
}

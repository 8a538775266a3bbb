package dev.ledger.examples.xa;

import com.atomikos.icatch.jta.UserTransactionManager;
import dev.ledger.examples.ChildProcesses;
import jakarta.transaction.TransactionManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JTA transaction managers the XA tests run under, each started once per test JVM with its log in a temporary
 * directory: Narayana and Atomikos.
 */
enum XaTm {
    NARAYANA,
    ATOMIKOS;

    /** {@return this transaction manager, started on first use} */
    TransactionManager manager() {
        return this == NARAYANA ? NarayanaHolder.MANAGER : AtomikosHolder.MANAGER;
    }

    private static Path logDirectory(String name) {
        try {
            Path dir = Files.createTempDirectory("ledger-xa-" + name);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ChildProcesses.deleteQuietly(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Narayana, started when this class is first used. */
    private static final class NarayanaHolder {
        static final TransactionManager MANAGER = Narayana.configure(logDirectory("narayana"), "ledger-test");
    }

    /** Atomikos, started when this class is first used, and closed when the JVM exits. */
    private static final class AtomikosHolder {
        static final TransactionManager MANAGER = start();

        private static TransactionManager start() {
            Path logs = logDirectory("atomikos");
            System.setProperty("com.atomikos.icatch.log_base_dir", logs.toString());
            System.setProperty("com.atomikos.icatch.output_dir", logs.toString());
            System.setProperty("com.atomikos.icatch.tm_unique_name", "ledger-test");
            UserTransactionManager manager = new UserTransactionManager();
            try {
                manager.init();
            } catch (Exception e) {
                throw new IllegalStateException("Atomikos did not start", e);
            }
            AtomikosResources.register();
            Runtime.getRuntime().addShutdownHook(new Thread(manager::close));
            return manager;
        }
    }
}

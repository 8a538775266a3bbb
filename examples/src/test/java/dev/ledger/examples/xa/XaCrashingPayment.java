package dev.ledger.examples.xa;

import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import dev.ledger.Bank;
import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.xa.BankXAResource;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import java.io.Serializable;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * The processes of the crash tests, each a JVM with a Narayana of its own over one transaction log, a journaled bank
 * and a database:
 * <ul>
 *   <li>{@code pay-then-die-deciding}: pays an order (the bank's money, the database's row) and halts the JVM once
 *       both have prepared and Narayana has logged its decision to commit, before either hears it;</li>
 *   <li>{@code pay-then-die-preparing}: the same, but halts once both have prepared, before Narayana decides;</li>
 *   <li>{@code recover}: a fresh Narayana over the same log runs its recovery until the bank and the database have
 *       nothing prepared any more, then prints the bank's balances; exit status 0 if it got there in 30 s.</li>
 * </ul>
 * Arguments: mode, transaction log directory, bank journal directory, JDBC URL, user, password, table.
 */
public final class XaCrashingPayment {
    static final String NODE = "ledger-crash";

    private XaCrashingPayment() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        TransactionManager tm = Narayana.configure(Path.of(args[1]), NODE);
        XADataSource dataSource = XaDataSources.forUrl(args[3], args[4], args[5]);
        OrdersTable orders = new OrdersTable(args[6]);
        try (FileJournal journal = FileJournal.open(Path.of(args[2]), SyncMode.ALWAYS)) {
            Bank bank = Bank.builder().name("shop-bank").journal(journal)
                    .account("ana", 1_000).account("shop", 0).build();
            BankXAResource bankXa = BankXAResource.of(bank);
            if (mode.equals("recover")) {
                System.exit(recover(bank, bankXa, dataSource) ? 0 : 1);
            }
            boolean dieDeciding = mode.equals("pay-then-die-deciding");
            XAConnection db = dataSource.getXAConnection();
            tm.begin();
            Transaction transaction = tm.getTransaction();
            Halt halt = new Halt(dieDeciding);
            if (dieDeciding) {
                transaction.enlistResource(halt); // committed first: the JVM halts before the others are
            }
            transaction.enlistResource(bankXa);
            transaction.enlistResource(db.getXAResource());
            if (!dieDeciding) {
                transaction.enlistResource(halt); // prepared last: the JVM halts before any decision
            }
            bankXa.transfer("ana", "shop", 300);
            Connection connection = db.getConnection(); // not closed: H2 rolls back a handle's work when it is
            orders.insert(connection, "o-1", "ana", 300);
            System.setProperty(Halt.ARMED, "true");
            tm.commit();
            System.out.println("COMMITTED, which a crash test must not see");
            System.exit(2);
        }
    }

    /** Scans until neither the bank nor the database holds a prepared branch, for at most 30 s. */
    private static boolean recover(Bank bank, BankXAResource bankXa, XADataSource dataSource) throws Exception {
        XAConnection db = dataSource.getXAConnection();
        XAResource dbXa = db.getXAResource();
        RecoveryManager recovery = Narayana.recoveryManager(() -> new XAResource[] {bankXa, dbXa});
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        CountDownLatch never = new CountDownLatch(1);
        try {
            while (System.nanoTime() - deadline < 0) {
                recovery.scan();
                List<Xid> inDatabase = List.of(dbXa.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
                List<String> atBank = bank.preparedTransactions();
                System.out.println("after a scan: prepared at the bank " + atBank + ", in the database " + inDatabase.size());
                if (atBank.isEmpty() && inDatabase.isEmpty()) {
                    System.out.println("RECOVERED ana=" + bank.balance("ana") + " shop="
                            + bank.balance("shop"));
                    return true;
                }
                never.await(100, TimeUnit.MILLISECONDS); // between scans, as Narayana's own recovery thread waits
            }
            return false;
        } finally {
            recovery.terminate();
            db.close();
        }
    }

    /**
     * A resource that votes yes and halts the JVM, once armed, at its prepare or its commit. Serializable, so that
     * Narayana logs it and the recovering JVM completes it too (unarmed there).
     */
    static final class Halt implements XAResource, Serializable {
        static final String ARMED = "ledger.test.halt";
        private static final long serialVersionUID = 1L;
        private final boolean atCommit;

        Halt(boolean atCommit) {
            this.atCommit = atCommit;
        }

        private void haltIf(boolean here) {
            if (here && System.getProperty(ARMED) != null) {
                System.out.println("HALTING at " + (atCommit ? "commit" : "prepare"));
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        }

        @Override
        public int prepare(Xid xid) {
            haltIf(!atCommit);
            return XA_OK;
        }

        @Override
        public void commit(Xid xid, boolean onePhase) {
            haltIf(atCommit);
        }

        @Override
        public void rollback(Xid xid) {
        }

        @Override
        public void start(Xid xid, int flags) {
        }

        @Override
        public void end(Xid xid, int flags) {
        }

        @Override
        public void forget(Xid xid) {
        }

        @Override
        public Xid[] recover(int flag) {
            return new Xid[0];
        }

        @Override
        public boolean isSameRM(XAResource other) {
            return other == this;
        }

        @Override
        public int getTransactionTimeout() {
            return 0;
        }

        @Override
        public boolean setTransactionTimeout(int seconds) {
            return false;
        }
    }
}

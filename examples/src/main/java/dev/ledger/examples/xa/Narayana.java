package dev.ledger.examples.xa;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.coordinator.TransactionReaper;
import com.arjuna.ats.arjuna.coordinator.TxControl;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import javax.transaction.xa.XAResource;

/**
 * Narayana, the JTA transaction manager of WildFly and Quarkus, set up in process: its transaction log (the object
 * store) in a directory, a node name, and, for recovery, a recovery manager that the caller drives scan by scan.
 *
 * <p>Concurrency: Narayana's configuration is global to the JVM and read when it first runs, so {@link #configure}
 * is called once, from one thread, before any transaction; the transaction manager it returns is thread-safe.
 */
public final class Narayana {
    private static final String[] STORES = {"default", "stateStore", "communicationStore"};

    private Narayana() {
    }

    /**
     * Configures Narayana for this JVM and returns its transaction manager.
     *
     * @param objectStore the directory of its transaction log; a recovering JVM names the one a failed JVM used
     * @param nodeName its node name (up to 28 bytes), which recovery uses to tell its own branches from others'
     * @return the transaction manager
     */
    public static TransactionManager configure(Path objectStore, String nodeName) {
        for (String store : STORES) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store)
                    .setObjectStoreDir(objectStore.toString());
        }
        arjPropertyManager.getObjectStoreEnvironmentBean().setObjectStoreDir(objectStore.toString());
        try {
            arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(nodeName);
        } catch (CoreEnvironmentBeanException tooLong) {
            throw new IllegalArgumentException(tooLong);
        }
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(nodeName));
        jtaPropertyManager.getJTAEnvironmentBean().setOrphanSafetyInterval(0);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryBackoffPeriod(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryListener(false);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryModuleClassNames(List.of(
                "com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule",
                "com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule"));
        recoveryPropertyManager.getRecoveryEnvironmentBean().setExpiryScannerClassNames(List.of());
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /**
     * Stops Narayana in this JVM: no transaction can begin any more, its timeout reaper stops, and it removes its
     * status record from the transaction log, which it would otherwise write as the JVM exits. For a program that
     * deletes the log's directory when it is done.
     */
    public static void stop() {
        TxControl.disable(true);
        TransactionReaper.terminate(false);
    }

    /**
     * Starts a recovery manager that scans only when told to, and gives it the resources whose prepared branches it
     * must find: each scan asks them for {@code recover()} and completes the branches the log decided (commit) or
     * that no log knows (presumed abort: roll back).
     *
     * @param resources the resources to scan, asked for anew at each scan
     * @return the recovery manager; call {@link RecoveryManager#scan()} (twice for a complete pass) and
     *     {@link RecoveryManager#terminate()}
     */
    public static RecoveryManager recoveryManager(Supplier<XAResource[]> resources) {
        RecoveryManager manager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        XARecoveryModule.getRegisteredXARecoveryModule().addXAResourceRecoveryHelper(new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String parameter) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                return resources.get();
            }
        });
        return manager;
    }
}

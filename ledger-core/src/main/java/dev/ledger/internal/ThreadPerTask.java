package dev.ledger.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread per task: virtual threads where the runtime has them (Java 21 and later), daemon platform threads
 * otherwise. The check runs once, at run time, by looking the Java 21 API up reflectively, as Jetty 12 does, so
 * the library still compiles for and runs on Java 17.
 *
 * <p>Not part of the API: the package is exported only to ledger's own modules.
 *
 * <p>Concurrency: stateless but for the method handle, set once at class initialization; each thread factory
 * numbers its threads with its own atomic counter.
 */
public final class ThreadPerTask {
    private static final MethodHandle VIRTUAL_EXECUTOR = findVirtualExecutor();

    private ThreadPerTask() {
    }

    /** {@return whether this runtime has virtual threads} */
    public static boolean virtualThreadsAvailable() {
        return VIRTUAL_EXECUTOR != null;
    }

    /**
     * Returns an executor that starts a new thread for every task.
     *
     * @param name the threads' name prefix, used for platform threads
     * @return a virtual-thread-per-task executor, or a cached pool of daemon platform threads
     */
    public static ExecutorService newExecutor(String name) {
        if (VIRTUAL_EXECUTOR != null) {
            try {
                return (ExecutorService) VIRTUAL_EXECUTOR.invokeExact();
            } catch (Throwable unexpected) {
                // fall through to platform threads
            }
        }
        return Executors.newCachedThreadPool(daemonThreads(name));
    }

    /**
     * Returns a factory of daemon platform threads named {@code name-1}, {@code name-2} and so on.
     *
     * @param name the name prefix
     * @return the factory
     */
    public static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static MethodHandle findVirtualExecutor() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
            return null;
        }
    }
}

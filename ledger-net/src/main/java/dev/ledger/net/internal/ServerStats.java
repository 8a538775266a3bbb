package dev.ledger.net.internal;

import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-wide figures for {@code INFO}: connections, traffic, errors, and the command rate sampled by the
 * server's watchdog. Per-command figures live in each command's {@link CommandStats}.
 *
 * <p>Concurrency: the counters are striped and lock-free, bumped by every connection's thread. The rate samples
 * are guarded by {@code samples}; only the watchdog (about once a second) and {@code INFO} take that lock.
 */
public final class ServerStats {
    /** Rates span the last two watchdog ticks: about 2 s with the default timeouts (Redis: 1.6 s). */
    private static final int SAMPLES = 3;

    private final long startNanos = System.nanoTime();
    private final Set<Connection> connections;
    private final LongAdder connectionsReceived = new LongAdder();
    private final LongAdder rejectedConnections = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder inputBytes = new LongAdder();
    private final LongAdder outputBytes = new LongAdder();
    private volatile int port;
    /** Guarded by itself: (nanoTime, commands processed) pairs, the oldest overwritten first. */
    private final long[] samples = new long[2 * SAMPLES];
    /** Guarded by samples. */
    private int sampleCount;

    /**
     * Creates the figures of one server.
     *
     * @param connections the server's open connections, a concurrent set
     */
    public ServerStats(Set<Connection> connections) {
        this.connections = connections;
    }

    public void connectionReceived() {
        connectionsReceived.increment();
    }

    public void connectionRejected() {
        rejectedConnections.increment();
    }

    void protocolError() {
        protocolErrors.increment();
    }

    void input(long bytes) {
        inputBytes.add(bytes);
    }

    void output(long bytes) {
        outputBytes.add(bytes);
    }

    /** Records the bound port, once started. */
    public void port(int port) {
        this.port = port;
    }

    /** Records how many commands have run by now; the watchdog calls it about once a second. */
    public void sample(long nanos, long commands) {
        synchronized (samples) {
            int slot = sampleCount++ % SAMPLES;
            samples[2 * slot] = nanos;
            samples[2 * slot + 1] = commands;
        }
    }

    /** Returns the commands per second over the last samples, or 0 before two samples. */
    public long opsPerSecond() {
        synchronized (samples) {
            if (sampleCount < 2) {
                return 0;
            }
            int newest = (sampleCount - 1) % SAMPLES;
            int oldest = sampleCount <= SAMPLES ? 0 : sampleCount % SAMPLES;
            long elapsed = samples[2 * newest] - samples[2 * oldest];
            long done = samples[2 * newest + 1] - samples[2 * oldest + 1];
            return elapsed <= 0 ? 0 : done * 1_000_000_000L / elapsed;
        }
    }

    public Set<Connection> connections() {
        return connections;
    }

    public long uptimeSeconds() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    public int port() {
        return port;
    }

    public long connectionsReceived() {
        return connectionsReceived.sum();
    }

    public long rejectedConnections() {
        return rejectedConnections.sum();
    }

    public long protocolErrors() {
        return protocolErrors.sum();
    }

    public long inputBytes() {
        return inputBytes.sum();
    }

    public long outputBytes() {
        return outputBytes.sum();
    }
}

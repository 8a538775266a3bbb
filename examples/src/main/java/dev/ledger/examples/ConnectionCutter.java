package dev.ledger.examples;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fault for the simulation: a proxy on loopback in front of the server that cuts each client connection after a
 * random number of reads of the server's replies, dropping the replies it was about to pass on. The client then does not know
 * whether its last transfer was applied, which is exactly when a retry must not apply it twice.
 *
 * <p>Concurrency: one accepting thread, and two pumping threads per connection. {@code open} is a concurrent set of
 * the sockets to close on {@link #close()}; {@code cuts} is atomic; each connection's random source is confined to
 * its server-to-client pump.
 */
final class ConnectionCutter implements Closeable {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final ServerSocket listener;
    private final int serverPort;
    private final int meanReplies;
    private final SplittableRandom seeds;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong cuts = new AtomicLong();

    private ConnectionCutter(ServerSocket listener, int serverPort, int meanReplies, long seed) {
        this.listener = listener;
        this.serverPort = serverPort;
        this.meanReplies = meanReplies;
        this.seeds = new SplittableRandom(seed);
    }

    /**
     * Starts the proxy.
     *
     * @param serverPort the server's port on loopback
     * @param meanReplies a connection is cut after a number of reads of replies drawn from 1 to twice this
     * @param seed the seed of the draws
     * @return the proxy, accepting on a free port of loopback
     * @throws IOException if it cannot listen
     */
    static ConnectionCutter start(int serverPort, int meanReplies, long seed) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ConnectionCutter cutter = new ConnectionCutter(listener, serverPort, meanReplies, seed);
        daemon("connection-cutter", cutter::accept);
        return cutter;
    }

    /** {@return the port clients connect to} */
    int port() {
        return listener.getLocalPort();
    }

    /** {@return how many connections it has cut} */
    long cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                continue; // the loop ends once the listener is closed
            }
            try {
                relay(client, new Socket(InetAddress.getLoopbackAddress(), serverPort));
            } catch (IOException refused) {
                closeQuietly(client); // the server refused: the client sees its connection end
            }
        }
    }

    private void relay(Socket client, Socket server) {
        open.add(client);
        open.add(server);
        long cutAfter = 1 + draw(2L * meanReplies);
        daemon("cutter-up", () -> pump(client, server, Long.MAX_VALUE));
        daemon("cutter-down", () -> pump(server, client, cutAfter));
    }

    private synchronized long draw(long bound) {
        return seeds.nextLong(bound);
    }

    /** Copies {@code from} to {@code to}; after {@code cutAfter} reads, drops the next one and cuts both sides. */
    private void pump(Socket from, Socket to, long cutAfter) {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (long reads = 0; ; reads++) {
                int n = in.read(buffer);
                if (n < 0) {
                    return;
                }
                if (reads == cutAfter) {
                    cuts.incrementAndGet();
                    return; // the reply in hand is dropped; closing both sockets ends the other pump too
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException ended) {
            // one side closed: the other is closed as this pump ends
        } finally {
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // it is being dropped either way
            }
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}

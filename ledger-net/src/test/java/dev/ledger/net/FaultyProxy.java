package dev.ledger.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on the loopback interface that forwards a client's connections to a server, and can break one: when
 * the client sends a command containing a given marker, it cuts the connection before or after forwarding it, or
 * swallows it and everything after (a stalled network). Each fault strikes once, then the proxy forwards normally.
 *
 * <p>Concurrency: {@code fault} is volatile and taken with compare-and-set semantics under {@code this}, so one
 * connection consumes a fault; pump threads only touch their own sockets, and a connection's two pumps share one
 * atomic flag, set by the client's pump when it forwards a command to cut after.
 */
final class FaultyProxy implements AutoCloseable {
    enum Fault {
        /** Close both sides before the command reaches the server. */
        CUT_BEFORE,
        /**
         * Forward the command, then close both sides as its reply comes back, dropping it: the server has acted on
         * the command, whichever segments it arrived in, and the client never hears so.
         */
        CUT_AFTER,
        /** Swallow the command and everything after it on that connection; close nothing. */
        STALL
    }

    private final ServerSocket listener;
    private final int target;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    /** The armed fault and its marker; guarded by this. */
    private Fault fault;
    private byte[] marker;

    FaultyProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Arms a fault for the next command that contains {@code command}. */
    synchronized void arm(Fault fault, String command) {
        this.fault = fault;
        this.marker = command.getBytes(StandardCharsets.US_ASCII);
    }

    private synchronized Fault strike(byte[] data, int length) {
        if (fault == null || !contains(data, length, marker)) {
            return null;
        }
        Fault struck = fault;
        fault = null;
        return struck;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean replyLost = new AtomicBoolean();
                threads.execute(() -> pump(client, server, true, replyLost));
                threads.execute(() -> pump(server, client, false, replyLost));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean clientToServer, AtomicBoolean replyLost) {
        byte[] buffer = new byte[64 * 1024];
        boolean stalled = false;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (!clientToServer && replyLost.get()) {
                    return; // the reply to the cut command: dropped, and both sides closed
                }
                Fault struck = clientToServer && !stalled ? strike(buffer, n) : null;
                if (struck == Fault.STALL) {
                    stalled = true;
                }
                if (stalled) {
                    continue;
                }
                if (struck == Fault.CUT_BEFORE) {
                    return;
                }
                if (struck == Fault.CUT_AFTER) {
                    replyLost.set(true); // before the command goes on, so its reply finds the flag set
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other direction closed the sockets
        }
    }

    private static boolean contains(byte[] data, int length, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}

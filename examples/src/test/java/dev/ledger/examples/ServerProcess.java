package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.net.BankClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code ledger server} in its own process, for tests that kill it: started, awaited until it listens, and
 * killed with SIGKILL, so that no shutdown hook and no final sync runs.
 *
 * <p>Concurrency: the output reader thread only adds to {@code lines}, a concurrent queue; everything else is used
 * by the test thread.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+) .*");
    private static final long WAIT_SECONDS = 60;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Every line read so far, for a failure message. */
    private final List<String> transcript = new ArrayList<>();
    private final int port;

    private ServerProcess(List<String> options) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("server"));
        arguments.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(ChildProcesses.javaCommand(arguments));
        builder.redirectErrorStream(true);
        process = builder.start();
        Thread reader = new Thread(this::readOutput, "server-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        port = awaitListening();
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @param options the options of {@code ledger server}
     */
    static ServerProcess start(String... options) throws IOException, InterruptedException {
        return new ServerProcess(List.of(options));
    }

    /**
     * {@return a port free at the moment of the call, for a server that must come back on the same port}
     * @throws IOException if no port can be bound
     */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** {@return the port the server listens on} */
    int port() {
        return port;
    }

    /** {@return a new client of this server, with timeouts} */
    BankClient client() {
        return BankClient.builder().host("127.0.0.1").port(port).connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(10)).connect();
    }

    /** {@return a builder of clients of this server, for a participant that connects lazily} */
    BankClient.Builder clientBuilder() {
        return BankClient.builder().host("127.0.0.1").port(port).connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    /** Kills the server with SIGKILL and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the killed server exits").isTrue();
    }

    /** Kills the server if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private int awaitListening() throws InterruptedException {
        while (true) {
            String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(line).as("the server's next line after %s", transcript).isNotNull();
            transcript.add(line);
            Matcher listening = LISTENING.matcher(line);
            if (listening.matches()) {
                return Integer.parseInt(listening.group(1));
            }
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process was killed
        }
    }
}

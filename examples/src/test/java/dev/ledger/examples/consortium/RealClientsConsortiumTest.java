package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client scripts of ledger-net's {@code RealClientsWireTest} ({@code ledger-net/src/test/clients}), each
 * library with its default settings, in consortium mode against a bank of an in-process consortium: connect, PING,
 * REGISTER three owners, LOGIN, ALLACCOUNTS, a wrong LOGIN and a wrong number of arguments, each refusal raised as
 * the library's error type. Without a password, as a customer; with one, the consortium's secret, as a peer bank
 * or the operator (then INDOUBT, for peers only, must answer too).
 * A client that is not installed is skipped, loudly.
 */
class RealClientsConsortiumTest {
    private static final Path CLIENTS = Path.of("..", "ledger-net", "src", "test", "clients");
    private static final List<String> STEPS = List.of("connect", "ping", "register", "login", "allaccounts",
            "error-wrong-login", "error-arity");
    private static final String NPM_CI = "npm ci --prefix ledger-net/src/test/clients/node";

    static Stream<Arguments> clients() {
        return Stream.of(Arguments.of("redis-py", ""), Arguments.of("redis-py", LocalConsortium.SECRET),
                Arguments.of("node-redis", ""), Arguments.of("ioredis", ""));
    }

    static Stream<Arguments> secretThroughHello() {
        return Stream.of(Arguments.of("node-redis", LocalConsortium.SECRET),
                Arguments.of("ioredis", LocalConsortium.SECRET));
    }

    @ParameterizedTest(name = "{0}, password \"{1}\"")
    @MethodSource("clients")
    void connectsWithDefaultSettingsAndRunsEveryStep(String client, String password) throws Exception {
        run(client, password);
    }

    /**
     * node-redis and ioredis send the password in {@code HELLO 3 AUTH default <secret>} (and {@code AUTH default
     * <secret>} when they fall back to RESP2): the consortium bank takes the secret there as in its own
     * {@code AUTH <secret>}, so the connection is a peer's and INDOUBT answers.
     */
    @ParameterizedTest(name = "{0}, password \"{1}\"")
    @MethodSource("secretThroughHello")
    void peerSecretThroughHello(String client, String password) throws Exception {
        run(client, password);
    }

    private static void run(String client, String password) throws Exception {
        List<String> command = new ArrayList<>();
        if (client.equals("redis-py")) {
            String python = python();
            if (python == null) {
                abort(loud(client, "no python3 with the redis module (redis-py)", "apt-get install python3-redis"));
            }
            command.add(python);
            command.add(CLIENTS.resolve("python").resolve("ledger_redis_py.py").toString());
        } else {
            if (!onPath("node") || !Files.isDirectory(CLIENTS.resolve("node").resolve("node_modules"))) {
                abort(loud(client, "node or ledger-net/src/test/clients/node/node_modules is missing", NPM_CI));
            }
            command.add("node");
            command.add(CLIENTS.resolve("node").resolve(client + ".js").toString());
        }
        try (LocalConsortium banks = new LocalConsortium("alpha", "beta")) {
            command.addAll(List.of("127.0.0.1", Integer.toString(banks.member("alpha").port()), password,
                    "--mode", "consortium"));
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            StringBuffer output = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            reader.start();
            boolean finished = process.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            reader.join(5000);
            String text = output.toString();
            System.out.printf("== %s, password \"%s\", consortium mode, %d ms, exit %s%n%s", client, password,
                    (System.nanoTime() - start) / 1_000_000,
                    finished ? Integer.toString(process.exitValue()) : "none (killed)", text);
            List<String> problems = new ArrayList<>();
            if (!finished || process.exitValue() != 0) {
                problems.add(finished ? "exit " + process.exitValue() : "did not finish in 60 s");
            }
            List<String> steps = new ArrayList<>(STEPS);
            if (!password.isEmpty()) {
                steps.add("peer");
            }
            for (String step : steps) {
                if (text.lines().noneMatch(line -> line.equals("STEP " + step + " OK"))) {
                    problems.add("step " + step + " not OK");
                }
            }
            if (!problems.isEmpty()) {
                fail(client + ": " + String.join("; ", problems) + "\n--- output:\n" + text);
            }
        }
    }

    private static String loud(String client, String why, String install) {
        String message = "SKIPPED: " + client + ": " + why + "; install with " + install;
        System.out.println("!! " + message);
        return message;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /**
     * A python3 that can import redis: $LEDGER_PYTHON, the virtual environment {@code .ci/run} makes with the newest
     * redis-py, python3 on the PATH, or Debian's.
     */
    private static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String configured = System.getenv("LEDGER_PYTHON");
        if (configured != null && !configured.isEmpty()) {
            candidates.add(configured);
        }
        candidates.add(CLIENTS.resolve("python").resolve(".venv").resolve("bin").resolve("python").toString());
        candidates.add("python3");
        candidates.add("/usr/bin/python3");
        for (String candidate : candidates) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import redis").redirectErrorStream(true).start();
                probe.getInputStream().readAllBytes();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        return null;
    }
}

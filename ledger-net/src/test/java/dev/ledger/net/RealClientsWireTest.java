package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mainstream Redis clients, each with its default settings, against a {@link BankServer}: a script per client in
 * {@code src/test/clients} connects (with the password the library's usual way), sends PING, a TRANSFER, a BALANCE,
 * a SNAPSHOT, a pipeline of 100 transfers and two commands that must be refused, and prints one
 * {@code STEP <name> OK} or {@code STEP <name> FAIL <reason>} line per step. A client that is not installed is
 * skipped, loudly, with the command that installs it.
 */
class RealClientsWireTest {
    static final String PASSWORD = "client-test-pw";
    static final String NPM_CI = "npm ci --prefix ledger-net/src/test/clients/node";
    static final List<String> LEDGER_STEPS = List.of("connect", "ping", "transfer", "balance", "snapshot", "pipeline",
            "error-unknown-account", "error-arity");

    private BankServer server;

    static Stream<Arguments> clients() {
        List<Arguments> arguments = new ArrayList<>();
        for (ClientScript client : ClientScript.values()) {
            arguments.add(Arguments.of(client, ""));
            arguments.add(Arguments.of(client, PASSWORD));
        }
        return arguments.stream();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
    }

    @ParameterizedTest(name = "{0}, password \"{1}\"")
    @MethodSource("clients")
    void connectsWithDefaultSettingsAndRunsEveryStep(ClientScript client, String password) throws Exception {
        server = ClientStepsServer.start(password);
        ClientScript.Result result = client.run(Path.of("src", "test", "clients"), "127.0.0.1", server.port(),
                password, "ledger");
        result.assertEveryStepOk(LEDGER_STEPS);
    }

    /** A client library and the script that drives it. */
    enum ClientScript {
        REDIS_PY("redis-py", "python", "ledger_redis_py.py", false, "apt-get install python3-redis"),
        REDIS_PY_RESP3("redis-py protocol=3", "python", "ledger_redis_py.py", true,
                "redis-py 5 or later: pip install 'redis>=5'"),
        NODE_REDIS("node-redis", "node", "node-redis.js", false, NPM_CI),
        NODE_REDIS_RESP3("node-redis RESP=3", "node", "node-redis.js", true, NPM_CI),
        IOREDIS("ioredis", "node", "ioredis.js", false, NPM_CI);

        static final long TIMEOUT_SECONDS = 60;

        private final String label;
        private final String runtime;
        private final String script;
        private final boolean resp3;
        private final String install;

        ClientScript(String label, String runtime, String script, boolean resp3, String install) {
            this.label = label;
            this.runtime = runtime;
            this.script = script;
            this.resp3 = resp3;
            this.install = install;
        }

        @Override
        public String toString() {
            return label;
        }

        /** Runs the script, or aborts the test (a skip) when the client library is not installed. */
        Result run(Path clients, String host, int port, String password, String mode)
                throws IOException, InterruptedException {
            Path directory = clients.resolve(runtime);
            List<String> command = new ArrayList<>();
            if (runtime.equals("node")) {
                skipUnless(RedisCliWireTest.onPath("node"), "node is not installed",
                        "apt-get install nodejs npm, then " + install);
                skipUnless(Files.isDirectory(directory.resolve("node_modules")),
                        "ledger-net/src/test/clients/node/node_modules is missing", install);
                command.add("node");
            } else {
                String python = python();
                skipUnless(python != null, "no python3 with the redis module (redis-py)", install);
                command.add(python);
            }
            command.add(directory.resolve(script).toString());
            command.add(host);
            command.add(Integer.toString(port));
            command.add(password);
            command.add("--mode");
            command.add(mode);
            if (resp3) {
                command.add("--resp3");
            }
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes()));
                } catch (IOException ignored) {
                    // the process was killed
                }
            });
            reader.start();
            boolean finished = process.waitFor(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            if (!finished) {
                process.destroyForcibly();
            }
            reader.join(5000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            String text;
            synchronized (output) {
                text = output.toString();
            }
            System.out.printf("== %s, password \"%s\", %s mode, %d ms, exit %s%n%s", label, password, mode, millis,
                    finished ? Integer.toString(process.exitValue()) : "none (killed)", text);
            if (finished && process.exitValue() == 3) {
                String why = text.lines().filter(line -> line.startsWith("SKIP ")).findFirst()
                        .map(line -> line.substring(5)).orElse("the script skipped");
                abort(loud(why, install));
            }
            return new Result(label, text, finished ? process.exitValue() : -1, finished);
        }

        private void skipUnless(boolean condition, String why, String install) {
            if (!condition) {
                abort(loud(why, install));
            }
        }

        private String loud(String why, String install) {
            String message = "SKIPPED: " + label + ": " + why + "; install with " + install;
            System.out.println("!! " + message);
            return message;
        }

        /**
         * A python3 that can import redis: $LEDGER_PYTHON, the virtual environment {@code .ci/run} makes with the
         * newest redis-py, python3 on the PATH, or Debian's.
         */
        private static String python() throws InterruptedException {
            List<String> candidates = new ArrayList<>();
            String configured = System.getenv("LEDGER_PYTHON");
            if (configured != null && !configured.isEmpty()) {
                candidates.add(configured);
            }
            candidates.add(Path.of("src", "test", "clients", "python", ".venv", "bin", "python").toString());
            candidates.add("python3");
            candidates.add("/usr/bin/python3");
            for (String candidate : candidates) {
                try {
                    Process probe = new ProcessBuilder(candidate, "-c", "import redis").redirectErrorStream(true)
                            .start();
                    probe.getInputStream().readAllBytes();
                    if (probe.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && probe.exitValue() == 0) {
                        return candidate;
                    }
                } catch (IOException notThere) {
                    // try the next one
                }
            }
            return null;
        }

        /** A script's output and exit status. */
        record Result(String label, String output, int exitCode, boolean finished) {
            void assertEveryStepOk(List<String> steps) {
                List<String> problems = new ArrayList<>();
                if (!finished) {
                    problems.add("did not finish in " + TIMEOUT_SECONDS + " s");
                } else if (exitCode != 0) {
                    problems.add("exit " + exitCode);
                }
                for (String step : steps) {
                    if (output.lines().noneMatch(line -> line.equals("STEP " + step + " OK"))) {
                        problems.add("step " + step + " not OK");
                    }
                }
                output.lines().filter(line -> line.startsWith("STEP ") && !line.endsWith(" OK"))
                        .forEach(problems::add);
                if (!problems.isEmpty()) {
                    fail(label + ": " + String.join("; ", problems) + "\n--- output:\n" + output);
                }
                assertThat(problems).isEmpty();
            }
        }
    }
}

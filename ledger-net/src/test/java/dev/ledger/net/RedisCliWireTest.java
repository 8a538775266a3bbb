package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;

/**
 * The wire script through {@code redis-cli}, one process reading the commands from standard input (so they share
 * one connection) and printing replies in its human format. Skipped where redis-cli is not installed (Debian:
 * {@code redis-tools}).
 */
class RedisCliWireTest extends WireCompatibilityContract {
    private static final Pattern ELEMENT = Pattern.compile("^\\s*(\\d+)\\) (.*)$");

    @BeforeAll
    static void requireRedisCli() {
        assumeTrue(onPath("redis-cli"), "redis-cli is not installed");
    }

    @Override
    List<Object> run(int port, List<List<String>> commands) throws IOException, InterruptedException {
        StringBuilder input = new StringBuilder();
        for (List<String> command : commands) {
            List<String> quoted = new ArrayList<>();
            command.forEach(part -> quoted.add(part.isEmpty() || part.contains(" ") ? '"' + part + '"' : part));
            input.append(String.join(" ", quoted)).append('\n');
        }
        Process process = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port), "--no-raw")
                .redirectErrorStream(true).start();
        process.getOutputStream().write(input.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return parse(output);
    }

    @Override
    boolean simpleStringsLookLikeBulk() {
        return false;
    }

    /** Parses redis-cli's human format: {@code OK}, {@code "bulk"}, {@code (integer) 5}, {@code 1) ...}. */
    private static List<Object> parse(String output) {
        List<Object> replies = new ArrayList<>();
        List<Object> array = null;
        for (String line : output.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            Matcher element = ELEMENT.matcher(line);
            if (element.matches()) {
                if (element.group(1).equals("1")) {
                    array = new ArrayList<>();
                    replies.add(array);
                }
                array.add(value(element.group(2)));
            } else {
                array = null;
                replies.add(line.equals("(empty array)") || line.equals("(empty list or set)") ? List.of()
                        : value(line));
            }
        }
        return replies;
    }

    private static Object value(String text) {
        if (text.startsWith("(integer) ")) {
            return Long.parseLong(text.substring("(integer) ".length()));
        }
        if (text.startsWith("(error) ")) {
            return new WireScript.Err(text.substring("(error) ".length()));
        }
        if (text.equals("(nil)")) {
            return null;
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            return text.substring(1, text.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return new WireScript.Simple(text);
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}

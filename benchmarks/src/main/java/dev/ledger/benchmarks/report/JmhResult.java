package dev.ledger.benchmarks.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One entry of a JMH JSON result file ({@code -rf json}): one benchmark method or group, run with one set of
 * parameters and one thread count.
 *
 * @param benchmark the benchmark's full name, such as {@code dev.ledger.benchmarks.TransferBenchmark.transfer}
 * @param mode JMH's short mode name: {@code thrpt}, {@code avgt}, {@code sample}, {@code ss}
 * @param threads the threads the benchmark ran with
 * @param params the {@code @Param} values by name, as JMH printed them
 * @param primary the benchmark's own score; for a group, all its threads together
 * @param secondary the scores of a group's methods by method name, and any profiler's; per-percentile entries
 *     of sampled runs are left out, since each metric carries its own percentiles
 */
record JmhResult(String benchmark, String mode, int threads, Map<String, String> params, Metric primary,
                 Map<String, Metric> secondary) {

    /** JMH's per-percentile secondary metrics of sampled runs, such as {@code p0.99} or {@code snapshot:p0.99}. */
    private static final Pattern PERCENTILE_LABEL = Pattern.compile("(.+:)?p\\d\\.\\d+");

    /**
     * A score.
     *
     * @param score the score: the mean over iterations or samples
     * @param error the half-width of its 99.9% confidence interval, or NaN when JMH had too few iterations
     * @param unit the unit, such as {@code ops/us} or {@code us/op}
     * @param median the 50th percentile (of samples in sampled mode, of iterations otherwise)
     * @param p99 the 99th percentile, likewise
     */
    record Metric(double score, double error, String unit, double median, double p99) {
    }

    /** Returns the benchmark's short name: the class's simple name and the method or group. */
    String shortName() {
        int methodDot = benchmark.lastIndexOf('.');
        int classDot = methodDot <= 0 ? -1 : benchmark.lastIndexOf('.', methodDot - 1);
        return benchmark.substring(classDot + 1);
    }

    /** Returns a parameter's value, or {@code null} if the benchmark has no such parameter. */
    String param(String name) {
        return params.get(name);
    }

    /**
     * Reads every result of a JMH JSON file.
     *
     * @param file the file written by {@code -rf json -rff file}
     * @return the results, in the file's order
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a JMH JSON result file
     */
    static List<JmhResult> readAll(Path file) throws IOException {
        JsonElement root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(reader);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new IllegalArgumentException(file + " is not a JMH result file: expected a JSON array");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonElement element : root.getAsJsonArray()) {
            results.add(parse(element.getAsJsonObject()));
        }
        return results;
    }

    private static JmhResult parse(JsonObject json) {
        Map<String, String> params = new LinkedHashMap<>();
        if (json.has("params")) {
            json.getAsJsonObject("params").entrySet()
                    .forEach(param -> params.put(param.getKey(), param.getValue().getAsString()));
        }
        Map<String, Metric> secondary = new LinkedHashMap<>();
        if (json.has("secondaryMetrics")) {
            for (Map.Entry<String, JsonElement> metric : json.getAsJsonObject("secondaryMetrics").entrySet()) {
                if (!PERCENTILE_LABEL.matcher(metric.getKey()).matches()) {
                    secondary.put(metric.getKey(), metric(metric.getValue().getAsJsonObject()));
                }
            }
        }
        return new JmhResult(json.get("benchmark").getAsString(), json.get("mode").getAsString(),
                json.get("threads").getAsInt(), params, metric(json.getAsJsonObject("primaryMetric")), secondary);
    }

    private static Metric metric(JsonObject json) {
        JsonObject percentiles = json.has("scorePercentiles") ? json.getAsJsonObject("scorePercentiles")
                : new JsonObject();
        return new Metric(number(json.get("score")), number(json.get("scoreError")),
                json.get("scoreUnit").getAsString(), number(percentiles.get("50.0")), number(percentiles.get("99.0")));
    }

    /** JMH writes NaN as the string {@code "NaN"}; Gson's getAsDouble parses both forms. */
    private static double number(JsonElement element) {
        return element == null || element.isJsonNull() ? Double.NaN : element.getAsDouble();
    }
}

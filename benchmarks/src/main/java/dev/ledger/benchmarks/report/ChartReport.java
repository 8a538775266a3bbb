package dev.ledger.benchmarks.report;

import dev.ledger.lock.LockStrategies;
import java.awt.Color;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * Renders JMH JSON results of the benchmarks as a PNG bar chart of transfer throughput (ops/µs) per strategy,
 * accounts and threads (and hot share, for {@code HotAccountBenchmark}), and prints Markdown tables: the transfer
 * throughput with each strategy's ratio to the ceiling (same accounts, one thread) and to the global lock (same
 * accounts and threads), the transfers with a hot account beside the same strategy's uniform ones, then every
 * other benchmark's scores.
 *
 * <p>Give it one or more result files (one per {@code -t} run of {@code TransferBenchmark}, plus the ceiling's and
 * any others), then the PNG to write. From the repository root:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ledger.benchmarks.report.ChartReport \
 *     benchmarks/results/*.json benchmarks/transfer-throughput.png
 * </pre>
 */
public final class ChartReport {
    /** Colors for the strategies, by registry ordinal: distinguishable by most color-blind readers. */
    private static final Color[] PALETTE = {
        new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73), new Color(0xCC79A7), new Color(0xD55E00),
        new Color(0x56B4E9), new Color(0xF0E442),
    };

    private ChartReport() {
    }

    /**
     * Reads the results, writes the chart and prints the tables.
     *
     * @param args one or more JMH JSON result files, then the PNG file to write
     * @throws IOException if a file cannot be read or the chart cannot be written
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true"); // render without a display, as on CI
        // The tables contain µ and ×: print UTF-8 whatever the platform's default console encoding.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        if (args.length < 2) {
            System.err.println("usage: ChartReport RESULT.json [MORE.json ...] CHART.png");
            System.exit(2);
        }
        List<JmhResult> results = new ArrayList<>();
        for (int i = 0; i < args.length - 1; i++) {
            results.addAll(JmhResult.readAll(Path.of(args[i])));
        }
        Path chartFile = Path.of(args[args.length - 1]);

        TransferTable transfers = TransferTable.of(results);
        if (transfers.isEmpty()) {
            System.err.println("no TransferBenchmark or CeilingBenchmark results in the given files: no chart");
            System.exit(1);
        }
        writeChart(transfers, chartFile);
        System.err.println("wrote " + chartFile);

        out.println("### Transfer throughput");
        out.println();
        out.print(transfers.markdown());
        if (transfers.hasHotRows()) {
            out.println();
            out.println("### Transfers with a hot account");
            out.println();
            out.print(transfers.hotMarkdown());
        }
        String others = otherResultsMarkdown(results);
        if (!others.isEmpty()) {
            out.println();
            out.println("### Other benchmarks");
            out.println();
            out.print(others);
        }
    }

    /**
     * Draws one group of bars per (accounts, threads), one bar per strategy. The y axis is logarithmic because the
     * ceiling is an order of magnitude above the strategies: on a linear axis their bars would be indistinguishable.
     */
    static void writeChart(TransferTable table, Path file) throws IOException {
        Set<String> categoryNames = new LinkedHashSet<>();
        table.rows().forEach(row -> categoryNames.add(category(row)));
        List<String> categories = new ArrayList<>(categoryNames);

        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Transfer throughput by lock strategy (higher is better)")
                .xAxisTitle("accounts, threads").yAxisTitle("ops/µs (log scale)").build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisLogarithmic(true);
        // Bars start from the axis minimum, which defaults to 0: impossible on a log axis. Start a decade below the
        // lowest bar, so that even that bar is tall enough to carry its label.
        double lowest = table.rows().stream().mapToDouble(TransferTable.Row::opsPerMicrosecond).min().orElse(1);
        int lowestDecade = (int) Math.floor(Math.log10(lowest));
        styler.setYAxisMin(Math.pow(10, lowestDecade - 1));
        // One decimal, or as many as the lowest value needs to show two digits; the bar labels use it too.
        styler.setYAxisDecimalPattern("#,##0." + "#".repeat(Math.max(1, 1 - lowestDecade)));
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLabelsVisible(true); // the log axis labels only decades: print each bar's value on it
        styler.setLabelsRotation(90);
        styler.setLabelsPosition(0.9); // near the top of the bar, where the eye reads its height

        for (String strategy : table.strategies()) {
            List<Double> values = new ArrayList<>();
            for (String category : categories) {
                values.add(table.rows().stream()
                        .filter(row -> row.strategy().equals(strategy) && category(row).equals(category))
                        .map(TransferTable.Row::opsPerMicrosecond).findFirst().orElse(null)); // null: no bar
            }
            chart.addSeries(strategy, categories, values).setFillColor(colorOf(strategy));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream png = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /** A fixed color per strategy, so that charts of different runs compare at a glance; the ceiling is grey. */
    private static Color colorOf(String strategy) {
        if (strategy.equals(TransferTable.CEILING)) {
            return Color.GRAY;
        }
        for (LockStrategies known : LockStrategies.values()) {
            if (known.alias().equals(strategy)) {
                return PALETTE[known.ordinal() % PALETTE.length];
            }
        }
        return Color.BLACK;
    }

    private static String category(TransferTable.Row row) {
        return row.accounts() + " accts, " + (row.hotPercent() > 0 ? row.hotPercent() + "% hot, " : "")
                + row.threads() + (row.threads() == 1 ? " thread" : " threads");
    }

    /**
     * Returns a Markdown table of every result but the transfer and ceiling ones: a group's methods each get their
     * own line after the group's (all threads together), and sampled runs show their median and 99th percentile.
     */
    static String otherResultsMarkdown(List<JmhResult> results) {
        StringBuilder out = new StringBuilder();
        for (JmhResult result : results) {
            String name = result.shortName();
            if (name.equals("TransferBenchmark.transfer") || name.equals("CeilingBenchmark.transfer")
                    || name.equals("HotAccountBenchmark.transfer")) {
                continue;
            }
            String params = result.params().entrySet().stream()
                    .map(param -> param.getKey() + "=" + (param.getKey().equals("strategy")
                            ? TransferTable.alias(param.getValue()) : param.getValue()))
                    .collect(Collectors.joining(", "));
            appendRow(out, result, name, params, result.primary());
            for (Map.Entry<String, JmhResult.Metric> metric : result.secondary().entrySet()) {
                appendRow(out, result, name + ":" + metric.getKey(), params, metric.getValue());
            }
        }
        if (out.length() == 0) {
            return "";
        }
        return "| benchmark | params | threads | mode | score | ± error | median | p99 | unit |\n"
                + "|---|---|---:|---|---:|---:|---:|---:|---|\n" + out;
    }

    private static void appendRow(StringBuilder out, JmhResult result, String name, String params,
                                  JmhResult.Metric metric) {
        boolean sampled = result.mode().equals("sample"); // otherwise percentiles are of iterations: not shown
        out.append("| ").append(name)
                .append(" | ").append(params)
                .append(" | ").append(result.threads())
                .append(" | ").append(result.mode())
                .append(" | ").append(TransferTable.format(metric.score()))
                .append(" | ").append(TransferTable.format(metric.error()))
                .append(" | ").append(sampled ? TransferTable.format(metric.median()) : "")
                .append(" | ").append(sampled ? TransferTable.format(metric.p99()) : "")
                .append(" | ").append(metric.unit().replace("us", "µs"))
                .append(" |\n");
    }
}

package dev.ledger.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the chart of {@code benchmarks/net/batches.sh}: transfers per second through one connection for each load,
 * in memory and durable, on a log scale.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ledger.benchmarks.report.BatchChart RESULTS.csv CHART.png
 * </pre>
 *
 * <p>The results file has one line per load, {@code label|in memory|durable}, transfers per second, durable empty
 * where the load has no durable run.
 */
public final class BatchChart {
    private BatchChart() {
    }

    /**
     * Reads the results and writes the chart.
     *
     * @param args the results file and the PNG to write
     * @throws IOException if either cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BatchChart RESULTS.csv CHART.png");
            System.exit(2);
        }
        List<String> labels = new ArrayList<>();
        List<Double> memory = new ArrayList<>();
        List<Double> durable = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] fields = line.split("\\|", -1);
            labels.add(fields[0]);
            memory.add(Double.parseDouble(fields[1]));
            durable.add(fields[2].isEmpty() ? null : Double.parseDouble(fields[2]));
        }
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(600)
                .title("Transfers per second through one connection, 200,000 accounts (higher is better)")
                .yAxisTitle("transfers/s (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(1_000.0);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setXAxisLabelRotation(15);
        chart.addSeries("in memory", labels, memory).setFillColor(new Color(0x1f77b4));
        chart.addSeries("durable (fsync per batch)", labels, durable).setFillColor(new Color(0xff7f0e));
        try (OutputStream png = Files.newOutputStream(Path.of(args[1]))) {
            BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        }
    }
}

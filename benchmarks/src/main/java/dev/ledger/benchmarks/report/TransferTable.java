package dev.ledger.benchmarks.report;

import dev.ledger.lock.LockStrategies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transfer throughput of every strategy by accounts and threads, from {@code TransferBenchmark} results, with the
 * {@code CeilingBenchmark} results as the pseudo-strategy {@value #CEILING}. Results read later replace earlier ones
 * with the same strategy, accounts and threads, so several files (one per {@code -t}) merge into one table.
 *
 * <p>Concurrency: immutable once built; used by one thread.
 */
final class TransferTable {
    /** The row name of the unsynchronized ceiling. */
    static final String CEILING = "ceiling";

    private static final String TRANSFER_BENCHMARK = "TransferBenchmark.transfer";
    private static final String CEILING_BENCHMARK = "CeilingBenchmark.transfer";
    private static final String GLOBAL = LockStrategies.GLOBAL.alias();

    /**
     * One measured throughput.
     *
     * @param strategy the strategy's alias, or {@value #CEILING}
     * @param accounts the number of accounts
     * @param threads the number of threads
     * @param opsPerMicrosecond the mean throughput
     * @param error the half-width of its 99.9% confidence interval; NaN with too few iterations
     */
    record Row(String strategy, int accounts, int threads, double opsPerMicrosecond, double error) {
    }

    private final List<Row> rows;

    private TransferTable(List<Row> rows) {
        this.rows = rows;
    }

    /** Returns the transfer and ceiling results among {@code results}, ordered by accounts, threads, strategy. */
    static TransferTable of(List<JmhResult> results) {
        Map<String, Row> byKey = new LinkedHashMap<>();
        for (JmhResult result : results) {
            String name = result.shortName();
            boolean ceiling = name.equals(CEILING_BENCHMARK);
            if (!ceiling && !name.equals(TRANSFER_BENCHMARK)) {
                continue;
            }
            if (!result.mode().equals("thrpt") || !result.primary().unit().equals("ops/us")) {
                throw new IllegalArgumentException(name + " was run in mode " + result.mode() + " with unit "
                        + result.primary().unit() + "; the table needs throughput in ops/us (the default)");
            }
            String strategy = ceiling ? CEILING : alias(result.param("strategy"));
            Row row = new Row(strategy, Integer.parseInt(result.param("accounts")), result.threads(),
                    result.primary().score(), result.primary().error());
            byKey.put(strategy + "/" + row.accounts() + "/" + row.threads(), row);
        }
        List<Row> rows = new ArrayList<>(byKey.values());
        rows.sort(Comparator.comparingInt(Row::accounts).thenComparingInt(Row::threads)
                .thenComparingInt(row -> order(row.strategy())));
        return new TransferTable(rows);
    }

    /** Returns whether no transfer or ceiling result was found. */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Returns the rows: by accounts, then threads, then strategy in registry order with the ceiling first. */
    List<Row> rows() {
        return rows;
    }

    /** Returns the strategies present, in the rows' order. */
    List<String> strategies() {
        return rows.stream().map(Row::strategy).distinct().sorted(Comparator.comparingInt(TransferTable::order))
                .toList();
    }

    /** Returns the row's throughput divided by the ceiling's with the same accounts on one thread, or NaN. */
    double versusCeiling(Row row) {
        return ratio(row, find(CEILING, row.accounts(), 1));
    }

    /** Returns the row's throughput divided by its own strategy's with the same accounts on one thread, or NaN. */
    double versusOneThread(Row row) {
        return ratio(row, find(row.strategy(), row.accounts(), 1));
    }

    /** Returns the row's throughput divided by the global lock's with the same accounts and threads, or NaN. */
    double versusGlobal(Row row) {
        return ratio(row, find(GLOBAL, row.accounts(), row.threads()));
    }

    /** Returns the table in Markdown. */
    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| strategy | accounts | threads | ops/µs | ± error | vs ceiling (1 thread) | vs global | vs itself on 1 thread |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            out.append("| ").append(row.strategy())
                    .append(" | ").append(row.accounts())
                    .append(" | ").append(row.threads())
                    .append(" | ").append(format(row.opsPerMicrosecond()))
                    .append(" | ").append(format(row.error()))
                    .append(" | ").append(formatRatio(versusCeiling(row)))
                    .append(" | ").append(row.strategy().equals(CEILING) ? "" : formatRatio(versusGlobal(row)))
                    .append(" | ").append(row.threads() == 1 ? "" : formatRatio(versusOneThread(row)))
                    .append(" |\n");
        }
        return out.toString();
    }

    private Row find(String strategy, int accounts, int threads) {
        for (Row row : rows) {
            if (row.strategy().equals(strategy) && row.accounts() == accounts && row.threads() == threads) {
                return row;
            }
        }
        return null;
    }

    private static double ratio(Row row, Row reference) {
        return reference == null ? Double.NaN : row.opsPerMicrosecond() / reference.opsPerMicrosecond();
    }

    /** Three significant digits, enough for numbers that vary by a few percent from run to run; whole above 100. */
    static String format(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : "%.3g", value);
    }

    private static String formatRatio(double ratio) {
        return Double.isNaN(ratio) ? "–" : format(ratio) + "×";
    }

    /** JMH records enum parameters by constant name; reports use the registry's aliases. */
    static String alias(String constant) {
        try {
            return LockStrategies.valueOf(constant).alias();
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.valueOf(constant).toLowerCase(Locale.ROOT); // a strategy since renamed: keep its name
        }
    }

    /** The ceiling first, then the registry's order, then unknown names. */
    private static int order(String strategy) {
        if (strategy.equals(CEILING)) {
            return -1;
        }
        for (LockStrategies known : LockStrategies.values()) {
            if (known.alias().equals(strategy)) {
                return known.ordinal();
            }
        }
        return LockStrategies.values().length;
    }
}

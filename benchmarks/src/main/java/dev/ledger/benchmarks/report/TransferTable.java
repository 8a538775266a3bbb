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
 * {@code CeilingBenchmark} results as the pseudo-strategy {@value #CEILING}, and the {@code HotAccountBenchmark}
 * results as rows with a hot share. Results read later replace earlier ones with the same strategy, accounts, hot
 * share and threads, so several files (one per {@code -t}) merge into one table.
 *
 * <p>Concurrency: immutable once built; used by one thread.
 */
final class TransferTable {
    /** The row name of the unsynchronized ceiling. */
    static final String CEILING = "ceiling";

    private static final String TRANSFER_BENCHMARK = "TransferBenchmark.transfer";
    private static final String CEILING_BENCHMARK = "CeilingBenchmark.transfer";
    private static final String HOT_BENCHMARK = "HotAccountBenchmark.transfer";
    private static final String GLOBAL = LockStrategies.GLOBAL.alias();

    /**
     * One measured throughput.
     *
     * @param strategy the strategy's alias, or {@value #CEILING}
     * @param accounts the number of accounts
     * @param hotPercent the percentage of transfers that touch the hot account; 0 for uniform transfers
     * @param threads the number of threads
     * @param opsPerMicrosecond the mean throughput
     * @param error the half-width of its 99.9% confidence interval; NaN with too few iterations
     */
    record Row(String strategy, int accounts, int hotPercent, int threads, double opsPerMicrosecond, double error) {
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
            boolean hot = name.equals(HOT_BENCHMARK);
            if (!ceiling && !hot && !name.equals(TRANSFER_BENCHMARK)) {
                continue;
            }
            if (!result.mode().equals("thrpt") || !result.primary().unit().equals("ops/us")) {
                throw new IllegalArgumentException(name + " was run in mode " + result.mode() + " with unit "
                        + result.primary().unit() + "; the table needs throughput in ops/us (the default)");
            }
            String strategy = ceiling ? CEILING : alias(result.param("strategy"));
            Row row = new Row(strategy, Integer.parseInt(result.param("accounts")),
                    hot ? Integer.parseInt(result.param("hotPercent")) : 0, result.threads(),
                    result.primary().score(), result.primary().error());
            byKey.put(strategy + "/" + row.accounts() + "/" + row.hotPercent() + "/" + row.threads(), row);
        }
        List<Row> rows = new ArrayList<>(byKey.values());
        rows.sort(Comparator.comparingInt(Row::hotPercent).thenComparingInt(Row::accounts)
                .thenComparingInt(Row::threads).thenComparingInt(row -> order(row.strategy())));
        return new TransferTable(rows);
    }

    /** Returns whether no transfer or ceiling result was found. */
    boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Returns the rows: uniform ones first, then by hot share, accounts, threads, and strategy in registry order with
     * the ceiling first.
     */
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
        return ratio(row, find(CEILING, row.accounts(), row.hotPercent(), 1));
    }

    /** Returns the row's throughput divided by its own strategy's with the same accounts on one thread, or NaN. */
    double versusOneThread(Row row) {
        return ratio(row, find(row.strategy(), row.accounts(), row.hotPercent(), 1));
    }

    /** Returns the row's throughput divided by the global lock's with the same accounts and threads, or NaN. */
    double versusGlobal(Row row) {
        return ratio(row, find(GLOBAL, row.accounts(), row.hotPercent(), row.threads()));
    }

    /** Returns a hot row's throughput divided by its strategy's on uniform transfers, same accounts and threads. */
    double versusUniform(Row row) {
        return ratio(row, find(row.strategy(), row.accounts(), 0, row.threads()));
    }

    /** Returns whether there are rows with a hot account. */
    boolean hasHotRows() {
        return rows.stream().anyMatch(row -> row.hotPercent() > 0);
    }

    /** Returns the uniform rows' table in Markdown. */
    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("| strategy | accounts | threads | ops/µs | ± error | vs ceiling (1 thread) | vs global | vs itself on 1 thread |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.hotPercent() > 0) {
                continue;
            }
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

    /** Returns the hot rows' table in Markdown, each beside its strategy on uniform transfers. */
    String hotMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("| strategy | accounts | hot | threads | ops/µs | ± error | vs global | vs itself on 1 thread | vs uniform |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.hotPercent() == 0) {
                continue;
            }
            out.append("| ").append(row.strategy())
                    .append(" | ").append(row.accounts())
                    .append(" | ").append(row.hotPercent()).append('%')
                    .append(" | ").append(row.threads())
                    .append(" | ").append(format(row.opsPerMicrosecond()))
                    .append(" | ").append(format(row.error()))
                    .append(" | ").append(formatRatio(versusGlobal(row)))
                    .append(" | ").append(row.threads() == 1 ? "" : formatRatio(versusOneThread(row)))
                    .append(" | ").append(formatRatio(versusUniform(row)))
                    .append(" |\n");
        }
        return out.toString();
    }

    private Row find(String strategy, int accounts, int hotPercent, int threads) {
        for (Row row : rows) {
            if (row.strategy().equals(strategy) && row.accounts() == accounts && row.hotPercent() == hotPercent
                    && row.threads() == threads) {
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

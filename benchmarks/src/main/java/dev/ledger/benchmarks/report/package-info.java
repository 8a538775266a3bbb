/**
 * Turns JMH JSON results of the benchmarks into a PNG chart and Markdown tables: see {@link
 * dev.ledger.benchmarks.report.ChartReport}.
 */
package dev.ledger.benchmarks.report;

/**
 * JMH benchmarks of the lock strategies of {@link dev.ledger.lock.LockStrategies}: two-account transfers, a
 * read/write mix, snapshots under writes, multi-leg transfers, and the lock-free ceiling they are measured
 * against. See {@code benchmarks/README.md} for how to build and run them.
 */
package dev.ledger.benchmarks;

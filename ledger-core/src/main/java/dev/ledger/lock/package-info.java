/**
 * The lock strategy SPI and its implementations.
 *
 * <p>A {@link dev.ledger.lock.LockStrategy} decides how a bank gives an operation exclusive access to the accounts
 * it writes and a consistent view of the accounts it reads. Every strategy gives the same results and the same
 * guarantees; they differ in speed and in progress. {@link dev.ledger.lock.LockStrategies} names them all.
 */
package dev.ledger.lock;

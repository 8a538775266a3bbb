/**
 * XA: a {@link dev.ledger.Bank} as a resource of a JTA transaction manager ({@link dev.ledger.xa.BankXAResource}),
 * so that money moves in the same global transaction as a database's rows, with no heuristic outcomes.
 */
package dev.ledger.xa;

/**
 * The bank: {@link dev.ledger.Bank}, built by {@link dev.ledger.BankBuilder}, its accounts and the results of its
 * operations.
 *
 * <p><b>Outcomes and errors.</b> Insufficient funds is a business outcome and is returned ({@link dev.ledger.Outcome},
 * {@link dev.ledger.Receipt}). Misuse is thrown as a {@link dev.ledger.LedgerException} with an {@link
 * dev.ledger.ErrorCode}: a non-positive amount, an unknown or foreign account, the same account twice, a malformed id,
 * or an overflow. Either way a refused call changes nothing: arguments are checked before any account is changed.
 *
 * <p><b>Overflow.</b> Money never wraps around, and it is a property of each account, not of the bank: an operation
 * that pays into an account (a deposit, a transfer, a prepared credit) fails with {@link dev.ledger.ErrorCode#OVERFLOW}
 * if that account's balance plus the credits prepared transactions promise it would pass {@link Long#MAX_VALUE}; no
 * other account is affected. The bank's total is a sum it reports and may exceed a long: see {@link
 * dev.ledger.Bank#totalExact()}.
 *
 * <p><b>Handles.</b> {@link dev.ledger.Bank#account(String)} resolves an id once; the handle-taking overloads skip the
 * lookup. The id-taking overloads are for convenience and cost one hash lookup per id.
 *
 * <p><b>Durability.</b> A bank lives in memory unless it is built with a durable {@link dev.ledger.journal.Journal}:
 * then it recovers its state from the journal when built, and each operation returns only once its record is durable.
 * See {@link dev.ledger.journal}.
 *
 * <p><b>Two-phase commit.</b> A bank is a {@link dev.ledger.tx.Participant}: {@link dev.ledger.Bank#prepare} holds
 * debits (available = balance &minus; holds) so no other operation can spend them, and counts credits as their
 * accounts' incoming money so that no other operation can take their room; {@link dev.ledger.Bank#commit} or {@link
 * dev.ledger.Bank#abort} settles them. Ordinary operations, snapshots and holds stay consistent with each other; see
 * {@link dev.ledger.tx}.
 *
 * <p><b>Ids.</b> A transfer, a multi-leg transfer, a deposit or a withdrawal may carry an id its client chose ({@link
 * dev.ledger.Transfer}, {@link dev.ledger.Bank#transfers}, {@link dev.ledger.Bank#depositOnce} ...): the bank applies
 * it at most once and answers a repeat {@link dev.ledger.TransferStatus#REPEATED}, so a client that lost a reply can
 * send the operation again. Ids are journaled and recovered; the bank remembers the newest million by default ({@link
 * dev.ledger.BankBuilder#rememberTransferIds}).
 */
package dev.ledger;

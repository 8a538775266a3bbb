package dev.ledger.journal.internal;

import java.util.List;
import java.util.Objects;

/**
 * One durable fact: an operation the bank applied, or a two-phase-commit step. Accounts are named by their ordinal,
 * which replay reproduces, because accounts are opened in the order their {@link AccountOpened} records appear.
 * Refused operations change nothing and leave no record.
 */
public sealed interface JournalRecord {

    /**
     * An account was opened.
     *
     * @param account its ordinal
     * @param id its id
     * @param initialBalance its opening balance
     */
    record AccountOpened(int account, String id, long initialBalance) implements JournalRecord {
        /** Checks the id is there. */
        public AccountOpened {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Money was paid into an account.
     *
     * @param account the account's ordinal
     * @param amount the positive amount
     */
    record Deposited(int account, long amount) implements JournalRecord {
    }

    /**
     * Money was taken from an account.
     *
     * @param account the account's ordinal
     * @param amount the positive amount
     */
    record Withdrawn(int account, long amount) implements JournalRecord {
    }

    /**
     * Money moved between two accounts.
     *
     * @param from the source's ordinal
     * @param to the destination's ordinal
     * @param amount the positive amount
     */
    record Transferred(int from, int to, long amount) implements JournalRecord {
    }

    /**
     * A multi-leg transfer: every posting applied at once. The postings sum to zero.
     *
     * @param postings the sources' negative postings and the destination's positive one
     */
    record MultiLegTransferred(List<Posting> postings) implements JournalRecord {
        /** Copies the postings. */
        public MultiLegTransferred {
            postings = List.copyOf(postings);
        }
    }

    /**
     * A participant prepared a transaction: it holds the debits and reserves the credits until the decision.
     *
     * @param txId the transaction
     * @param postings its legs at this bank
     */
    record Prepared(String txId, List<Posting> postings) implements JournalRecord {
        /** Copies the postings. */
        public Prepared {
            Objects.requireNonNull(txId, "txId");
            postings = List.copyOf(postings);
        }
    }

    /**
     * A participant committed a prepared transaction.
     *
     * @param txId the transaction
     */
    record Committed(String txId) implements JournalRecord {
        /** Checks the id is there. */
        public Committed {
            Objects.requireNonNull(txId, "txId");
        }
    }

    /**
     * A participant aborted a transaction, prepared or never seen.
     *
     * @param txId the transaction
     */
    record Aborted(String txId) implements JournalRecord {
        /** Checks the id is there. */
        public Aborted {
            Objects.requireNonNull(txId, "txId");
        }
    }

    /**
     * A coordinator decided a transaction.
     *
     * @param txId the transaction
     * @param commit true for commit, false for abort
     */
    record Decided(String txId, boolean commit) implements JournalRecord {
        /** Checks the id is there. */
        public Decided {
            Objects.requireNonNull(txId, "txId");
        }
    }

    /**
     * An operation applied under an id its client chose, so that a retry with the same id is recognised and not
     * applied again. Recovery restores the id with the operation.
     *
     * @param id the client's id for the operation
     * @param applied what was applied: a transfer, a multi-leg transfer, a deposit or a withdrawal
     */
    record Identified(String id, JournalRecord applied) implements JournalRecord {
        /** Checks both are there and the applied record is an operation that may carry an id. */
        public Identified {
            Objects.requireNonNull(id, "id");
            if (!(applied instanceof Transferred || applied instanceof MultiLegTransferred
                    || applied instanceof Deposited || applied instanceof Withdrawn)) {
                throw new IllegalArgumentException("an id can name a money operation, not " + applied);
            }
        }
    }

    /**
     * A linked chain of transfers, applied together: one record, so that recovery finds all of it or none.
     *
     * @param links the chain's transfers in order, each a {@link Transferred} or an {@link Identified} one
     */
    record Chained(List<JournalRecord> links) implements JournalRecord {
        /** Copies the links and checks each is a transfer. */
        public Chained {
            links = List.copyOf(links);
            for (JournalRecord link : links) {
                JournalRecord transfer = link instanceof Identified identified ? identified.applied() : link;
                if (!(transfer instanceof Transferred)) {
                    throw new IllegalArgumentException("a chain links transfers, not " + link);
                }
            }
        }
    }
}

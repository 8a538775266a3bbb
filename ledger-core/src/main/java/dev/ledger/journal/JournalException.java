package dev.ledger.journal;

/**
 * The journal could not read or write its files. After a failed write or sync the journal refuses every further
 * append: an operation it failed to make durable may already be visible in memory, so the bank must stop writing
 * and be restarted, which recovers exactly what reached the disk.
 */
public final class JournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what failed, for a person
     * @param cause the underlying error, or null
     */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}

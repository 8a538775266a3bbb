package dev.ledger.net;

import dev.ledger.Bank;
import dev.ledger.journal.JournalException;
import dev.ledger.net.internal.Durability;
import dev.ledger.net.internal.ErrorReply;
import java.util.function.Consumer;

/**
 * Durability as the bank's journal gives it: a connection's batch is a {@link Bank#batch()}, handed-over replies
 * leave from {@link dev.ledger.Batch#closeThen}, and a {@link JournalException} is answered {@code -IOERR}.
 *
 * <p>Stateless apart from the bank, which is thread-safe: one instance serves every connection.
 */
final class JournalDurability implements Durability {
    private final Bank bank;

    JournalDurability(Bank bank) {
        this.bank = bank;
    }

    @Override
    public Batch open() {
        return new JournalBatch(bank.batch());
    }

    @Override
    public ErrorReply failureReply(RuntimeException failure) {
        if (!(failure instanceof JournalException)) {
            return null;
        }
        // The disk failed, and the bank refuses writes until restarted.
        return new ErrorReply("IOERR", "the bank's journal failed, so the operation is not acknowledged: "
                + failure.getMessage());
    }

    /** A bank's batch. Confined to the serving thread that opened it, as the bank's batch is. */
    private record JournalBatch(dev.ledger.Batch batch) implements Batch {
        @Override
        public void sync() {
            batch.sync();
        }

        @Override
        public boolean isDurable() {
            return batch.isDurable();
        }

        @Override
        public void close() {
            batch.close();
        }

        @Override
        public void closeThen(Consumer<? super RuntimeException> whenDurable) {
            batch.closeThen(whenDurable::accept);
        }
    }
}

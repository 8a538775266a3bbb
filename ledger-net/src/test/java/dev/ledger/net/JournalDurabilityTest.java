package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.journal.JournalException;
import dev.ledger.net.internal.Durability;
import dev.ledger.net.internal.ErrorReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's side of durability: the bank's batches, and the journal's failure as the reply to give. */
class JournalDurabilityTest {
    private final Bank bank = Bank.builder().account("alice", 100).build();
    private final JournalDurability durability = new JournalDurability(bank);

    @Test
    void aJournalFailureIsAnsweredIoerr() {
        ErrorReply reply = durability.failureReply(new JournalException("disk full", new IOException("ENOSPC")));

        assertThat(reply).isEqualTo(new ErrorReply("IOERR",
                "the bank's journal failed, so the operation is not acknowledged: disk full"));
    }

    @Test
    void otherFailuresAreNotDurabilityFailures() {
        assertThat(durability.failureReply(new IllegalStateException("a bug"))).isNull();
    }

    @Test
    void withoutAJournalEveryBatchIsDurableAndRepliesAtOnce() {
        Durability.Batch batch = durability.open();
        bank.deposit(bank.account("alice"), 5);

        assertThat(batch.isDurable()).isTrue();
        List<RuntimeException> results = new ArrayList<>();
        batch.closeThen(results::add);
        assertThat(results).containsExactly((RuntimeException) null);
    }
}

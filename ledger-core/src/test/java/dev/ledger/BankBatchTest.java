package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.JournalException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Bank#batch()}: a thread's writes share one sync, waited for at close or handed to an action. */
class BankBatchTest {
    private final RecordingJournal journal = new RecordingJournal();
    private final Bank bank = Bank.builder().name("alpha").journal(journal).account("alice", 100)
            .account("bob", 0).build();
    /** What each action received: null for durable, else the failure. */
    private final List<JournalException> received = new ArrayList<>();

    @Test
    void theWritesOfABatchShareOneSyncAtClose() {
        int before = journal.syncs();
        try (Batch batch = bank.batch()) {
            bank.transfer("alice", "bob", 10);
            bank.transfer("alice", "bob", 20);
            bank.deposit("bob", 5);
            assertThat(journal.syncs()).isEqualTo(before);
            assertThat(batch.isDurable()).isFalse();
        }
        assertThat(journal.syncs()).isEqualTo(before + 1);
        bank.transfer("alice", "bob", 1); // the batch is closed: this one syncs on its own
        assertThat(journal.syncs()).isEqualTo(before + 2);
    }

    @Test
    void aBatchOfReadsNeedsNoSync() {
        int before = journal.syncs();
        try (Batch batch = bank.batch()) {
            assertThat(bank.balance("alice")).isEqualTo(100);
            assertThat(bank.snapshot().total()).isEqualTo(100);
            assertThat(batch.isDurable()).isTrue();
        }
        assertThat(journal.syncs()).isEqualTo(before);
    }

    @Test
    void closeThenRunsTheActionOnceTheWritesAreSynced() {
        int before = journal.syncs();
        Batch batch = bank.batch();
        bank.transfer("alice", "bob", 10);
        batch.closeThen(failure -> {
            assertThat(journal.syncs()).as("synced before the action runs").isEqualTo(before + 1);
            received.add(failure);
        });
        assertThat(received).containsExactly((JournalException) null);
        bank.transfer("alice", "bob", 1); // the batch is closed: this one syncs on its own
        assertThat(journal.syncs()).isEqualTo(before + 2);
    }

    @Test
    void closeThenOfABatchOfReadsRunsTheActionAtOnceWithoutASync() {
        int before = journal.syncs();
        Batch batch = bank.batch();
        bank.balance("bob");
        batch.closeThen(received::add);
        assertThat(received).containsExactly((JournalException) null);
        assertThat(journal.syncs()).isEqualTo(before);
    }

    @Test
    void aBatchOfABankWithoutAJournalIsAlwaysDurable() {
        Bank memory = Bank.builder().account("alice", 100).account("bob", 0).build();
        Batch batch = memory.batch();
        memory.transfer("alice", "bob", 10);
        assertThat(batch.isDurable()).isTrue();
        batch.closeThen(received::add);
        assertThat(received).containsExactly((JournalException) null);
        assertThat(Arrays.asList(memory.balance("alice"), memory.balance("bob"))).containsExactly(90L, 10L);
    }
}

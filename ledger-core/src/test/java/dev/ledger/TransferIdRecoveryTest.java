package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfer ids survive a restart of a durable bank, from the journal's records and from its checkpoints. */
class TransferIdRecoveryTest {
    @TempDir
    Path data;

    private static Bank open(FileJournal journal, int rememberIds) {
        return Bank.builder().journal(journal).rememberTransferIds(rememberIds)
                .account("alice", 1_000).account("bob", 0).build();
    }

    @Test
    void aRetryAfterARestartIsARepeat() {
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            assertThat(bank.transfers(List.of(Transfer.of("t-1", "alice", "bob", 10),
                    Transfer.of("t-2", "alice", "bob", 20)))).containsOnly(TransferStatus.OK);
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            assertThat(bank.transfer(Transfer.of("t-1", "alice", "bob", 10))).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.transfer(Transfer.of("t-2", "alice", "bob", 21))).isEqualTo(TransferStatus.ID_CONFLICT);
            assertThat(bank.balance("bob")).isEqualTo(30);
        }
    }

    @Test
    void aLinkedChainIsRecoveredWholeWithItsIds() {
        List<Transfer> chain = List.of(Transfer.of("c-1", "alice", "bob", 10).linkedToNext(),
                new Transfer(null, "bob", "alice", 4).linkedToNext(),
                Transfer.of("c-3", "alice", "bob", 100));
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            assertThat(open(journal, 100).transfers(chain)).containsOnly(TransferStatus.OK);
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            assertThat(bank.balance("bob")).isEqualTo(106);
            assertThat(bank.transfer(Transfer.of("c-3", "alice", "bob", 100))).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.transfer(Transfer.of("c-1", "alice", "bob", 10))).isEqualTo(TransferStatus.REPEATED);
        }
    }

    @Test
    void idsCarriedByACheckpointSurviveTheRecordsItDrops() {
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            bank.transfer(Transfer.of("before", "alice", "bob", 10));
            bank.checkpoint(); // the record of "before" is dropped: only the checkpoint holds its id now
            bank.transfer(Transfer.of("after", "alice", "bob", 20));
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            assertThat(bank.transfer(Transfer.of("before", "alice", "bob", 10))).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.transfer(Transfer.of("after", "alice", "bob", 20))).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.balance("bob")).isEqualTo(30);
        }
    }

    @Test
    void aRestartKeepsTheWindowOfTheNewestIds() {
        List<Transfer> sent = new ArrayList<>();
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 3);
            for (int i = 0; i < 5; i++) {
                sent.add(Transfer.of("t-" + i, "alice", "bob", 1));
                bank.transfer(sent.get(i));
                if (i == 2) {
                    bank.checkpoint();
                }
            }
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 3);
            assertThat(bank.transfers(sent.subList(2, 5))).containsOnly(TransferStatus.REPEATED);
            assertThat(bank.transfer(sent.get(1))).as("forgotten before the restart").isEqualTo(TransferStatus.OK);
            assertThat(bank.balance("bob")).isEqualTo(6);
        }
    }

    @Test
    void idsOfDepositsWithdrawalsAndMultiLegTransfersSurviveARestart() {
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            bank.depositOnce("d", "bob", 5);
            bank.withdrawOnce("w", "alice", 7);
            bank.checkpoint();
            bank.transferOnce("m", bank.account("bob"), List.of(Debit.of(bank.account("alice"), 3)));
        }
        try (FileJournal journal = FileJournal.open(data, SyncMode.BATCH)) {
            Bank bank = open(journal, 100);
            assertThat(bank.depositOnce("d", "bob", 5)).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.withdrawOnce("w", "alice", 7)).isEqualTo(TransferStatus.REPEATED);
            assertThat(bank.transferOnce("m", bank.account("bob"), List.of(Debit.of(bank.account("alice"), 3))))
                    .isEqualTo(TransferStatus.REPEATED);
            assertThat(List.of(bank.balance("alice"), bank.balance("bob"))).containsExactly(990L, 8L);
        }
    }
}

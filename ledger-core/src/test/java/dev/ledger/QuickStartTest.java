package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.FileJournal;
import dev.ledger.journal.SyncMode;
import dev.ledger.lock.LockStrategies;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TransferResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's quick start, line for line, so that it keeps compiling and keeps telling the truth. */
class QuickStartTest {

    @Test
    void theReadmeQuickStartWorksAsDescribed() {
        Bank bank = Bank.builder().strategy(LockStrategies.ORDERED).build();
        Account alice = bank.open("alice", 100_00);          // ids match [A-Za-z0-9_.-]{1,64}
        Account bob = bank.open("bob", 0);

        Outcome outcome = bank.transfer(alice, bob, 25_00);    // OK, or INSUFFICIENT_FUNDS: never half-done
        Receipt receipt = bank.withdraw(bob, 10_00);           // outcome plus the balance right after
        bank.transfer(bob, List.of(Debit.of(alice, 5_00)));    // multi-leg: several sources into one destination
        Snapshot cut = bank.snapshot();                        // every balance at one instant

        assertThat(outcome).isEqualTo(Outcome.OK);
        assertThat(receipt).isEqualTo(new Receipt(Outcome.OK, 15_00));
        assertThat(cut.total()).isEqualTo(bank.total()).isEqualTo(90_00);
        assertThat(cut.balances()).containsEntry("alice", 70_00L).containsEntry("bob", 20_00L);
    }

    @Test
    void theReadmeTwoPhaseCommitExampleWorksAsDescribed() {
        Bank alpha = Bank.builder().name("alpha").account("x", 1_000).build();
        Bank beta = Bank.builder().name("beta").account("x", 1_000).build();
        Bank gamma = Bank.builder().name("gamma").account("y", 0).build();
        try (Coordinator coordinator = Coordinator.builder().name("alpha").build()) {
            TransferResult result = coordinator.transfer(Map.of(
                    alpha, List.of(Leg.debit("x", 100)),
                    beta, List.of(Leg.debit("x", 50)),
                    gamma, List.of(Leg.credit("y", 150))));
            assertThat(result.committed()).isTrue();
            result.settled().join();
        }
        assertThat(gamma.balance("y")).isEqualTo(150);
        assertThat(alpha.total() + beta.total() + gamma.total()).isEqualTo(2_000);
    }

    @Test
    void theReadmeDurabilityExampleSurvivesARestart(@TempDir Path data) {
        for (int run = 1; run <= 2; run++) {
            try (FileJournal journal = FileJournal.open(data.resolve("alpha"), SyncMode.BATCH)) {
                Bank bank = Bank.builder().name("alpha").journal(journal)
                        .account("alice", 100_00)          // opened on the first run; kept as they are on the next ones
                        .account("bob", 0)
                        .build();                          // recovers what the journal holds
                bank.transfer("alice", "bob", 25_00);      // returns once its record is on disk

                assertThat(bank.balance("bob")).as("bob after run %d", run).isEqualTo(run * 25_00L);
                assertThat(bank.total()).isEqualTo(100_00);
            }
        }
    }
}

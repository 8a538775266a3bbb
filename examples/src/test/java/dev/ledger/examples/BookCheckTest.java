package dev.ledger.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulation's verdict passes honest books and catches each kind of discrepancy. */
class BookCheckTest {
    private static final Map<String, Long> BEFORE = Map.of("1", 100L, "2", 100L, "3", 100L);
    private static final List<TransferLog.Entry> TRANSFERS = List.of(
            new TransferLog.Entry(1, "1", "2", 60, true),
            new TransferLog.Entry(2, "1", "3", 60, false),
            new TransferLog.Entry(3, "3", "1", 10, true));

    @Test
    void honestBooksPassEveryCheck() {
        BookCheck check = BookCheck.of(BEFORE, Map.of("1", 50L, "2", 160L, "3", 90L), TRANSFERS);
        assertThat(check.passed()).isTrue();
        assertThat(check.checks()).hasSize(3).doesNotContainValue(false);
        assertThat(check.problems()).isEmpty();
    }

    @Test
    void aBalanceThatDisagreesWithTheClientsFails() {
        // Money conserved and nothing negative, but the server moved 1 that no client was told about.
        BookCheck check = BookCheck.of(BEFORE, Map.of("1", 49L, "2", 161L, "3", 90L), TRANSFERS);
        assertThat(check.passed()).isFalse();
        assertThat(check.problems()).anyMatch(p -> p.startsWith("account 1:")).anyMatch(p -> p.startsWith("account 2:"));
    }

    @Test
    void createdMoneyAndNegativeBalancesFail() {
        BookCheck check = BookCheck.of(BEFORE, Map.of("1", -10L, "2", 160L, "3", 90L), TRANSFERS);
        assertThat(check.passed()).isFalse();
        assertThat(check.checks().values()).containsExactly(false, false, false);
    }

    @Test
    void movesFromSeveralSourcesAtSeveralBanksAreCheckedLikeTransfers() {
        // One committed cross-bank transfer from two sources into one account, as the consortium demo records it.
        Map<String, Long> before = Map.of("alpha/ana", 500L, "beta/ana", 300L, "gamma/cy", 0L);
        List<BookCheck.Move> moves = List.of(new BookCheck.Move("alpha/ana", "gamma/cy", 200),
                new BookCheck.Move("beta/ana", "gamma/cy", 100));

        BookCheck honest = BookCheck.of(before, Map.of("alpha/ana", 300L, "beta/ana", 200L, "gamma/cy", 300L), moves,
                "every committed transfer (1 committed)");
        assertThat(honest.passed()).isTrue();
        assertThat(honest.checks()).containsKey("final = initial + net of every committed transfer (1 committed)");

        BookCheck oneLegLost = BookCheck.of(before, Map.of("alpha/ana", 300L, "beta/ana", 300L, "gamma/cy", 200L),
                moves, "every committed transfer (1 committed)");
        assertThat(oneLegLost.passed()).isFalse();
        assertThat(oneLegLost.problems()).anyMatch(p -> p.startsWith("account beta/ana:"))
                .anyMatch(p -> p.startsWith("account gamma/cy:"));
    }

    @Test
    void transferRecordsSurviveTheirTextForm() {
        TransferLog.Entry entry = new TransferLog.Entry(7, "a", "b", 42, false);
        assertThat(TransferLog.Entry.parse(entry.line())).isEqualTo(entry);
    }
}

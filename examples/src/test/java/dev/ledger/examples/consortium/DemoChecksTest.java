package dev.ledger.examples.consortium;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.examples.BookCheck;
import dev.ledger.examples.consortium.DemoRun.Attempt;
import dev.ledger.examples.consortium.DemoRun.Phase;
import dev.ledger.examples.consortium.DemoRun.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The demo checks its books with {@link BookCheck}: committed transfers move money, the others move none. */
class DemoChecksTest {
    private static final Map<String, Long> BEFORE = new TreeMap<>(Map.of("alpha/ana", 500L, "beta/ana", 300L,
            "gamma/cy", 0L));
    private static final List<Attempt> ATTEMPTS = List.of(
            attempt(Status.COMMITTED, Map.of("alpha/ana", 200L, "beta/ana", 100L)),
            attempt(Status.INSUFFICIENT_FUNDS, Map.of("alpha/ana", 9_000L)));

    @Test
    void aCommittedTransferFromTwoBanksBalancesTheBooks() {
        BookCheck books = DemoChecks.books(BEFORE, Map.of("alpha/ana", 300L, "beta/ana", 200L, "gamma/cy", 300L),
                ATTEMPTS);

        assertThat(books.passed()).as(books.problems().toString()).isTrue();
        assertThat(books.checks()).containsOnlyKeys("total money unchanged (800)", "no balance negative",
                "final = initial + net of every committed transfer (1 committed, 3 accounts)");
    }

    @Test
    void booksThatMovedTheRefusedTransferFail() {
        BookCheck books = DemoChecks.books(BEFORE, Map.of("alpha/ana", -8_700L, "beta/ana", 200L, "gamma/cy", 9_300L),
                ATTEMPTS);

        assertThat(books.passed()).isFalse();
        assertThat(books.problems()).anyMatch(p -> p.startsWith("account alpha/ana:"))
                .anyMatch(p -> p.startsWith("account gamma/cy:"));
    }

    private static Attempt attempt(Status status, Map<String, Long> sources) {
        return new Attempt(DemoScript.ANA, Phase.BEFORE_OUTAGE, "gamma/cy", new LinkedHashMap<>(sources), false,
                status, status == Status.COMMITTED ? "alpha-t-1" : "insufficient funds");
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import dev.ledger.BankBuilder;
import dev.ledger.Outcome;
import dev.ledger.lock.LockStrategies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many clients at once: random transfers, multi-leg transfers, pipelines and snapshots from many threads and
 * connections. Every snapshot a client gets is one consistent cut (it sums to the bank's money), and no money is
 * made or lost.
 */
class ConcurrencyTest {
    private static final int ACCOUNTS = 16;
    private static final long INITIAL = 1_000;
    private static final long TOTAL = ACCOUNTS * INITIAL;
    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 600;
    /** Each thread reconnects this often, so the run also opens and closes many connections. */
    private static final int OPERATIONS_PER_CONNECTION = 150;

    @ParameterizedTest
    @EnumSource(value = LockStrategies.class, names = {"ORDERED", "STAMPED"})
    void snapshotsAreConsistentAndMoneyIsConserved(LockStrategies strategy) throws Exception {
        BankBuilder builder = Bank.builder().strategy(strategy);
        for (int i = 0; i < ACCOUNTS; i++) {
            builder.account(id(i), INITIAL);
        }
        Bank bank = builder.build();
        AtomicInteger snapshots = new AtomicInteger();
        AtomicInteger applied = new AtomicInteger();
        try (BankServer server = BankServer.builder(bank).port(0).build().start();
                BankClient shared = BankClient.connect("127.0.0.1", server.port())) {
            Await.concurrently(THREADS, Duration.ofSeconds(60), thread -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                BankClient own = null;
                try {
                    for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
                        if (op % OPERATIONS_PER_CONNECTION == 0) {
                            if (own != null) {
                                own.close();
                            }
                            own = BankClient.connect("127.0.0.1", server.port());
                        }
                        // Odd threads also share one client, which serializes its callers.
                        BankClient client = thread % 2 == 1 && op % 3 == 0 ? shared : own;
                        int kind = random.nextInt(20);
                        if (kind == 0) {
                            Map<String, Long> cut = client.snapshot();
                            assertThat(cut).hasSize(ACCOUNTS);
                            assertThat(cut.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
                            assertThat(cut.values()).allSatisfy(balance -> assertThat(balance).isNotNegative());
                            snapshots.incrementAndGet();
                        } else if (kind == 1) {
                            assertThat(client.total()).isEqualTo(TOTAL);
                        } else if (kind == 2) {
                            Map<String, Long> sources = new LinkedHashMap<>();
                            int to = random.nextInt(ACCOUNTS);
                            sources.put(id((to + 1) % ACCOUNTS), 1 + random.nextLong(100));
                            sources.put(id((to + 2) % ACCOUNTS), 1 + random.nextLong(100));
                            count(applied, client.transfer(id(to), sources));
                        } else if (kind == 3) {
                            pipelinedTransfers(client, random, applied);
                        } else {
                            int from = random.nextInt(ACCOUNTS);
                            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                            count(applied, client.transfer(id(from), id(to), 1 + random.nextLong(300)));
                        }
                    }
                } finally {
                    if (own != null) {
                        own.close();
                    }
                }
            });
            assertThat(shared.total()).isEqualTo(TOTAL);
        }
        assertThat(bank.total()).isEqualTo(TOTAL);
        assertThat(bank.snapshot().total()).isEqualTo(TOTAL);
        assertThat(snapshots.get()).isPositive();
        assertThat(applied.get()).as("transfers applied").isGreaterThan(THREADS * OPERATIONS_PER_THREAD / 4);
    }

    private static void pipelinedTransfers(BankClient client, ThreadLocalRandom random, AtomicInteger applied) {
        Pipeline pipeline = client.pipeline();
        List<Response<Outcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int from = random.nextInt(ACCOUNTS);
            outcomes.add(pipeline.add(Call.transfer(id(from), id((from + 1) % ACCOUNTS), 1 + random.nextLong(50))));
        }
        Response<Map<String, Long>> cut = pipeline.add(Call.snapshot());
        pipeline.sync();
        outcomes.forEach(outcome -> count(applied, outcome.get()));
        assertThat(cut.get().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(TOTAL);
    }

    private static void count(AtomicInteger applied, Outcome outcome) {
        if (outcome.isOk()) {
            applied.incrementAndGet();
        }
    }

    private static String id(int index) {
        return "acct" + index;
    }
}

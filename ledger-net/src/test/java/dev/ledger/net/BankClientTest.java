package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.Leg;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every command through the typed client: its happy path and each of its error replies. */
class BankClientTest {
    private Bank bank;
    private BankServer server;
    private BankClient client;

    @BeforeEach
    void start() throws IOException {
        bank = Bank.builder().account("alice", 100).account("bob", 50).build();
        server = BankServer.builder(bank).port(0).build().start();
        client = BankClient.connect("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    @Test
    void pingAndEcho() {
        client.ping();
        assertThat(client.echo("héllo wörld")).isEqualTo("héllo wörld");
        assertWrongArguments(() -> client.execute(Call.raw("ECHO")), "echo");
        assertThat(client.execute(Call.raw("PING", "hello"))).isEqualTo("hello");
        assertThat(client.execute(Call.raw("ping"))).isEqualTo("PONG");
        assertWrongArguments(() -> client.execute(Call.raw("PING", "a", "b")), "ping");
    }

    @Test
    void open() {
        client.open("carol");
        client.open("dave", 30);
        assertThat(bank.balance("carol")).isZero();
        assertThat(bank.balance("dave")).isEqualTo(30);

        assertLedgerError(() -> client.open("carol", 5), ErrorCode.DUPLICATE_ACCOUNT, "account exists: 'carol'");
        assertLedgerError(() -> client.open("bad id"), ErrorCode.INVALID_ID, "account id must be");
        assertLedgerError(() -> client.open("erin", -5), ErrorCode.INVALID_AMOUNT, "initial balance must be");
        assertServerError(() -> client.execute(Call.raw("OPEN", "erin", "ten")), "ERR",
                "initial balance must be a whole number");
        assertWrongArguments(() -> client.execute(Call.raw("OPEN")), "open");
        assertWrongArguments(() -> client.execute(Call.raw("OPEN", "erin", "1", "2")), "open");
        assertThat(bank.find("erin")).isEmpty();
        assertThat(bank.balance("carol")).isZero();
    }

    @Test
    void balance() {
        assertThat(client.balance("alice")).isEqualTo(100);
        assertLedgerError(() -> client.balance("nobody"), ErrorCode.UNKNOWN_ACCOUNT, "unknown account 'nobody'");
        assertWrongArguments(() -> client.execute(Call.raw("BALANCE")), "balance");
    }

    @Test
    void deposit() {
        assertThat(client.deposit("alice", 20)).isEqualTo(120);
        assertLedgerError(() -> client.deposit("alice", 0), ErrorCode.INVALID_AMOUNT, "amount must be positive");
        assertLedgerError(() -> client.deposit("nobody", 1), ErrorCode.UNKNOWN_ACCOUNT, "unknown account");
        assertLedgerError(() -> client.deposit("alice", Long.MAX_VALUE), ErrorCode.OVERFLOW, "account 'alice'");
        assertWrongArguments(() -> client.execute(Call.raw("DEPOSIT", "alice")), "deposit");
        assertThat(bank.balance("alice")).isEqualTo(120);
    }

    @Test
    void withdraw() {
        assertThat(client.withdraw("bob", 10)).isEqualTo(OptionalLong.of(40));
        assertThat(client.withdraw("bob", 41)).isEmpty();
        assertLedgerError(() -> client.withdraw("bob", -1), ErrorCode.INVALID_AMOUNT, "amount must be positive");
        assertLedgerError(() -> client.withdraw("nobody", 1), ErrorCode.UNKNOWN_ACCOUNT, "unknown account");
        assertWrongArguments(() -> client.execute(Call.raw("WITHDRAW", "bob", "1", "2")), "withdraw");
        assertThat(bank.balance("bob")).isEqualTo(40);
    }

    @Test
    void transfer() {
        assertThat(client.transfer("alice", "bob", 30)).isEqualTo(Outcome.OK);
        assertThat(client.transfer("alice", "bob", 71)).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertLedgerError(() -> client.transfer("alice", "alice", 1), ErrorCode.SAME_ACCOUNT, "to itself");
        assertLedgerError(() -> client.transfer("alice", "nobody", 1), ErrorCode.UNKNOWN_ACCOUNT, "'nobody'");
        assertLedgerError(() -> client.transfer("alice", "bob", 0), ErrorCode.INVALID_AMOUNT, "positive");
        assertWrongArguments(() -> client.execute(Call.raw("TRANSFER", "alice", "bob")), "transfer");
        assertThat(bank.snapshot().balances()).containsExactly(entry("alice", 70L), entry("bob", 80L));
    }

    @Test
    void multiLegTransfer() {
        client.open("carol");
        assertThat(client.transfer("carol", sources("alice", 10, "bob", 5))).isEqualTo(Outcome.OK);
        assertThat(client.transfer("carol", sources("alice", 10, "bob", 46))).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertLedgerError(() -> client.transfer("carol", sources("carol", 1)), ErrorCode.SAME_ACCOUNT, "carol");
        assertLedgerError(() -> client.transfer("carol", sources("alice", 1, "nobody", 1)),
                ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        assertWrongArguments(() -> client.execute(Call.raw("MTRANSFER", "carol", "alice")), "mtransfer");
        assertWrongArguments(() -> client.execute(Call.raw("MTRANSFER", "carol", "alice", "1", "bob")), "mtransfer");
        assertThat(bank.snapshot().balances())
                .containsExactly(entry("alice", 90L), entry("bob", 45L), entry("carol", 15L));
    }

    @Test
    void transfersAnswerEachTransferOnItsOwn() {
        client.open("carol");
        List<TransferStatus> statuses = client.transfers(List.of(
                Transfer.of("t1", "alice", "bob", 30),
                new Transfer(null, "bob", "carol", 20),
                Transfer.of("t2", "alice", "bob", 71),
                Transfer.of("t3", "alice", "nobody", 1),
                Transfer.of("t4", "alice", "alice", 1),
                Transfer.of("t5", "alice", "bob", 0),
                Transfer.of("bad id", "alice", "bob", 1),
                Transfer.of("t1", "alice", "bob", 30),
                Transfer.of("t1", "alice", "carol", 30)));
        assertThat(statuses).containsExactly(TransferStatus.OK, TransferStatus.OK,
                TransferStatus.INSUFFICIENT_FUNDS, TransferStatus.UNKNOWN_ACCOUNT, TransferStatus.SAME_ACCOUNT,
                TransferStatus.INVALID_AMOUNT, TransferStatus.INVALID_ID, TransferStatus.REPEATED,
                TransferStatus.ID_CONFLICT);
        assertThat(client.transfer(Transfer.of("t2", "alice", "bob", 70))).isEqualTo(TransferStatus.OK);
        assertThat(client.transfer(Transfer.of("t2", "alice", "bob", 70))).isEqualTo(TransferStatus.REPEATED);
        assertThat(client.transfer(new Transfer(null, "carol", "alice", 5))).isEqualTo(TransferStatus.OK);
        assertThat(client.transfers(List.of())).isEmpty();
        assertThat(bank.snapshot().balances())
                .containsExactly(entry("alice", 5L), entry("bob", 130L), entry("carol", 15L));
    }

    @Test
    void aRetryOfTransfersWhoseReplyWasLostIsAnsweredRepeatedAndChangesNothing() throws IOException {
        List<Transfer> transfers = List.of(Transfer.of("pay-1", "alice", "bob", 30),
                Transfer.of("pay-2", "bob", "alice", 500), Transfer.of("pay-3", "alice", "bob", 20));
        try (FaultyProxy proxy = new FaultyProxy(server.port());
                BankClient cut = BankClient.connect("127.0.0.1", proxy.port())) {
            proxy.arm(FaultyProxy.Fault.CUT_AFTER, "TRANSFERS");
            assertThatThrownBy(() -> cut.transfers(transfers)).isInstanceOf(UncheckedIOException.class);
        }
        Await.until(Duration.ofSeconds(5), "the cut-off batch applied", () -> bank.balance("bob") == 100);

        assertThat(client.transfers(transfers)).containsExactly(TransferStatus.REPEATED,
                TransferStatus.INSUFFICIENT_FUNDS, TransferStatus.REPEATED);
        assertThat(bank.snapshot().balances()).containsExactly(entry("alice", 50L), entry("bob", 100L));
    }

    @Test
    void linkedChainsAreSentWholeAndAppliedAllOrNone() {
        client.open("carol");
        List<TransferStatus> statuses = client.transfers(List.of(
                Transfer.of("t1", "alice", "bob", 1),
                Transfer.of("c1", "alice", "carol", 99).linkedToNext(),
                Transfer.of("c2", "carol", "bob", 99),
                Transfer.of("c3", "bob", "carol", 10).linkedToNext(),
                Transfer.of("c4", "carol", "alice", 11),
                Transfer.of("t2", "bob", "alice", 1),
                Transfer.of("open", "bob", "alice", 1).linkedToNext()));
        assertThat(statuses).containsExactly(TransferStatus.OK, TransferStatus.OK, TransferStatus.OK,
                TransferStatus.CHAIN_FAILED, TransferStatus.INSUFFICIENT_FUNDS, TransferStatus.OK,
                TransferStatus.CHAIN_OPEN);
        assertThat(client.transfer(Transfer.of("lone", "bob", "alice", 1).linkedToNext()))
                .isEqualTo(TransferStatus.CHAIN_OPEN);
        assertThatThrownBy(() -> Call.transfers(List.of(Transfer.of("c", "a", "b", 1).linkedToNext())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Call.chain");
        assertThat(bank.snapshot().balances())
                .containsExactly(entry("alice", 1L), entry("bob", 149L), entry("carol", 0L));
    }

    @Test
    void depositsWithdrawalsAndMultiLegTransfersWithIdsAreAppliedOnce() {
        client.open("carol");
        assertThat(client.depositOnce("d1", "carol", 40)).isEqualTo(TransferStatus.OK);
        assertThat(client.depositOnce("d1", "carol", 40)).isEqualTo(TransferStatus.REPEATED);
        assertThat(client.depositOnce("d1", "carol", 41)).isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(client.withdrawOnce("w1", "carol", 15)).isEqualTo(TransferStatus.OK);
        assertThat(client.withdrawOnce("w1", "carol", 15)).isEqualTo(TransferStatus.REPEATED);
        assertThat(client.withdrawOnce("w2", "carol", 1_000)).isEqualTo(TransferStatus.INSUFFICIENT_FUNDS);
        assertThat(client.transferOnce("m1", "carol", sources("alice", 10, "bob", 5)))
                .isEqualTo(TransferStatus.OK);
        assertThat(client.transferOnce("m1", "carol", sources("alice", 10, "bob", 5)))
                .isEqualTo(TransferStatus.REPEATED);
        assertThat(client.transferOnce("m1", "carol", sources("alice", 10, "bob", 6)))
                .isEqualTo(TransferStatus.ID_CONFLICT);
        assertThat(client.depositOnce("bad id", "carol", 1)).isEqualTo(TransferStatus.INVALID_ID);
        assertLedgerError(() -> client.transferOnce("m2", "carol", sources("nobody", 1)),
                ErrorCode.UNKNOWN_ACCOUNT, "nobody");
        assertThat(bank.snapshot().balances())
                .containsExactly(entry("alice", 90L), entry("bob", 45L), entry("carol", 40L));
    }

    @Test
    void aDepositWhoseReplyWasLostIsAppliedOnceWhenSentAgain() throws IOException {
        try (FaultyProxy proxy = new FaultyProxy(server.port());
                BankClient cut = BankClient.connect("127.0.0.1", proxy.port())) {
            proxy.arm(FaultyProxy.Fault.CUT_AFTER, "ONCE");
            assertThatThrownBy(() -> cut.depositOnce("dep-1", "bob", 25)).isInstanceOf(UncheckedIOException.class);
        }
        Await.until(Duration.ofSeconds(5), "the cut-off deposit applied", () -> bank.balance("bob") == 75);

        assertThat(client.depositOnce("dep-1", "bob", 25)).isEqualTo(TransferStatus.REPEATED);
        assertThat(bank.balance("bob")).isEqualTo(75);
    }

    @Test
    void aListLargerThanABatchIsSentInSeveralAndAnsweredInOrder() {
        int count = 20_000;
        long funds = 15_000;
        client.open("payer", funds);
        client.open("payee");
        // Refusals at the first and last transfer of the second request, and a repeat of the first request's
        // first transfer in the third: each status must land at its own index.
        int firstOfSecond = Call.MAX_TRANSFERS_PER_BATCH;
        int lastOfSecond = 2 * Call.MAX_TRANSFERS_PER_BATCH - 1;
        List<Transfer> transfers = new ArrayList<>(count);
        List<TransferStatus> expected = new ArrayList<>(count);
        long left = funds;
        for (int i = 0; i < count; i++) {
            if (i == firstOfSecond || i == lastOfSecond) {
                transfers.add(Transfer.of("id-" + i, "payer", "nobody", 1));
                expected.add(TransferStatus.UNKNOWN_ACCOUNT);
            } else if (i == count - 1) {
                transfers.add(Transfer.of("id-0", "payer", "payee", 1));
                expected.add(TransferStatus.REPEATED);
            } else {
                transfers.add(Transfer.of("id-" + i, "payer", "payee", 1));
                expected.add(left > 0 ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS);
                left = Math.max(0, left - 1);
            }
        }
        long requestsBefore = transfersCalls();

        assertThat(client.transfers(transfers)).containsExactlyElementsOf(expected);
        assertThat(transfersCalls() - requestsBefore).as("TRANSFERS requests").isEqualTo(3);
        assertThat(bank.balance("payer")).isZero();
        assertThat(bank.balance("payee")).isEqualTo(funds);
    }

    @Test
    void aTransfersCallHoldsOneToTheMostOfABatch() {
        Transfer one = Transfer.of("t1", "alice", "bob", 1);
        assertThat(Call.transfers(List.of(one)).command()).containsExactly("TRANSFERS", "t1", "alice", "bob", "1");
        assertThat(Call.transfer(new Transfer(null, "alice", "bob", 1)).command())
                .containsExactly("TRANSFERS", "", "alice", "bob", "1");
        assertThatThrownBy(() -> Call.transfers(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Call.transfers(Collections.nCopies(Call.MAX_TRANSFERS_PER_BATCH + 1, one)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8189");
    }

    /** The server's count of TRANSFERS requests served, from {@code INFO commandstats}. */
    private long transfersCalls() {
        String stats = (String) client.execute(Call.raw("INFO", "commandstats"));
        Matcher calls = Pattern.compile("cmdstat_transfers:calls=(\\d+)")
                .matcher(stats);
        return calls.find() ? Long.parseLong(calls.group(1)) : 0;
    }

    @Test
    void snapshotTotalAndAccounts() {
        client.open("aaron", 7);
        assertThat(client.snapshot()).containsExactly(entry("aaron", 7L), entry("alice", 100L), entry("bob", 50L));
        assertThat(client.total()).isEqualTo(157);
        assertThat(client.accounts()).containsExactly("aaron", "alice", "bob");
        assertWrongArguments(() -> client.execute(Call.raw("SNAPSHOT", "x")), "snapshot");
        assertWrongArguments(() -> client.execute(Call.raw("TOTAL", "x")), "total");
        assertWrongArguments(() -> client.execute(Call.raw("ACCOUNTS", "x")), "accounts");
    }

    @Test
    void aTotalPastALongIsRefusedAndAFullAccountBlocksNoOther() {
        client.open("rich", Long.MAX_VALUE);
        assertLedgerError(() -> client.deposit("rich", 1), ErrorCode.OVERFLOW, "account 'rich'");
        assertLedgerError(() -> client.transfer("alice", "rich", 1), ErrorCode.OVERFLOW, "account 'rich'");
        assertLedgerError(client::total, ErrorCode.OVERFLOW, "does not fit a 64-bit integer");
        assertThat(client.deposit("alice", 1)).isEqualTo(101);
        assertThat(client.transfer("alice", "bob", 1)).isEqualTo(Outcome.OK);
        assertThat(client.withdraw("rich", 151)).isPresent();
        assertThat(client.total()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void twoPhaseCommit() {
        List<Leg> legs = List.of(Leg.debit("alice", 10), Leg.credit("bob", 10));
        assertThat(client.prepare("tx1", legs, Duration.ofMinutes(1))).isEqualTo(Vote.commitVote());
        assertThat(client.prepare("tx1", legs, Duration.ofMinutes(1))).isEqualTo(Vote.commitVote());
        assertThat(client.status("tx1")).isEqualTo(TxState.PREPARED);
        assertThat(client.withdraw("alice", 91)).isEmpty(); // 10 of alice's 100 are held
        assertThat(client.commit("tx1")).isEqualTo(TxState.COMMITTED);
        assertThat(client.commit("tx1")).isEqualTo(TxState.COMMITTED);
        assertThat(client.status("tx1")).isEqualTo(TxState.COMMITTED);
        assertLedgerError(() -> client.abort("tx1"), ErrorCode.TRANSACTION_CONFLICT, "tx1");
        assertThat(client.snapshot()).containsExactly(entry("alice", 90L), entry("bob", 60L));

        Vote refused = client.prepare("tx2", List.of(Leg.debit("alice", 1000), Leg.credit("bob", 1000)),
                Duration.ofMinutes(1));
        assertThat(refused.commit()).isFalse();
        assertThat(refused.reason()).isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(refused.message()).contains("alice");
        assertThat(client.status("tx2")).isEqualTo(TxState.ABORTED);
        assertThat(client.prepare("tx3", List.of(Leg.debit("nobody", 1), Leg.credit("bob", 1)), Duration.ZERO)
                .reason()).isEqualTo(AbortReason.UNKNOWN_ACCOUNT);
        assertLedgerError(() -> client.prepare("tx2", List.of(Leg.debit("bob", 1), Leg.credit("alice", 1)),
                Duration.ZERO), ErrorCode.TRANSACTION_CONFLICT, "other legs");

        assertThat(client.abort("never-prepared")).isEqualTo(TxState.ABORTED);
        assertThat(client.prepare("never-prepared", legs, Duration.ZERO).reason())
                .isEqualTo(AbortReason.ALREADY_ABORTED);
        assertLedgerError(() -> client.commit("nope"), ErrorCode.UNKNOWN_TRANSACTION, "nope");
        assertThat(client.status("nope")).isEqualTo(TxState.UNKNOWN);
        assertThat(bank.total()).isEqualTo(150);
    }

    @Test
    void preparedTransactionsPastTheirTimeoutAreInDoubtUntilDecided() {
        assertThat(client.inDoubt()).isEmpty();
        client.prepare("late", List.of(Leg.debit("alice", 5), Leg.credit("bob", 5)), Duration.ZERO);
        assertThat(client.inDoubt()).containsExactly("late");
        assertThat(client.abort("late")).isEqualTo(TxState.ABORTED);
        assertThat(client.inDoubt()).isEmpty();
        assertLedgerError(() -> client.commit("late"), ErrorCode.TRANSACTION_CONFLICT, "late");
        assertThat(bank.position("alice").held()).isZero();
        assertWrongArguments(() -> client.execute(Call.raw("INDOUBT", "x")), "indoubt");
    }

    @Test
    void prepareChecksItsArguments() {
        assertWrongArguments(() -> client.execute(Call.raw("PREPARE", "tx", "100", "alice")), "prepare");
        assertWrongArguments(() -> client.execute(Call.raw("PREPARE", "tx", "100", "alice", "-1", "bob")),
                "prepare");
        assertServerError(() -> client.execute(Call.raw("PREPARE", "tx", "-1", "alice", "-1", "bob", "1")), "ERR",
                "timeout must be zero or more");
        assertServerError(() -> client.execute(Call.raw("PREPARE", "tx", "1s", "alice", "-1", "bob", "1")), "ERR",
                "timeout must be a whole number");
        assertServerError(() -> client.execute(Call.raw("PREPARE", "tx", "10", "alice", "x", "bob", "1")), "ERR",
                "amount must be a whole number");
        assertLedgerError(() -> client.prepare("has space", List.of(Leg.debit("alice", 1), Leg.credit("bob", 1)),
                Duration.ZERO), ErrorCode.INVALID_REQUEST, "transaction id");
        assertWrongArguments(() -> client.execute(Call.raw("COMMIT")), "commit");
        assertWrongArguments(() -> client.execute(Call.raw("ABORT", "a", "b")), "abort");
        assertWrongArguments(() -> client.execute(Call.raw("TXSTATUS")), "txstatus");
        assertThat(client.status("tx")).isEqualTo(TxState.UNKNOWN);
        assertThat(bank.total()).isEqualTo(150);
    }

    @Test
    void amountsAreParsedStrictly() {
        for (String amount : List.of("+5", "1e3", "5.0", " 5", "5 ", "0x10", "5a", "-", "\u0665")) {
            assertServerError(() -> client.execute(Call.raw("DEPOSIT", "alice", amount)), "ERR",
                    "amount must be a whole number (digits, optionally after '-'), got '");
        }
        assertServerError(() -> client.execute(Call.raw("DEPOSIT", "alice", "")), "ERR", "amount is empty");
        assertServerError(() -> client.execute(Call.raw("DEPOSIT", "alice", "9223372036854775808")), "ERR",
                "amount is out of range, got '9223372036854775808'");
        assertServerError(() -> client.execute(Call.raw("TRANSFER", "alice", "bob", "-9223372036854775809")), "ERR",
                "amount is out of range");
        assertThat(client.execute(Call.raw("DEPOSIT", "alice", "007"))).isEqualTo(107L);
        assertThat(bank.total()).isEqualTo(157);
    }

    @Test
    void commandNamesAreCaseInsensitiveAndUnknownOnesAreNamed() {
        assertThat(client.execute(Call.raw("balance", "alice"))).isEqualTo(100L);
        assertThat(client.execute(Call.raw("BaLaNcE", "alice"))).isEqualTo(100L);
        assertServerError(() -> client.execute(Call.raw("LEND", "alice")), "ERR", "unknown command 'LEND'");
        assertServerError(() -> client.execute(Call.raw("GET\r\nX")), "ERR", "unknown command 'GET\\x0d\\x0aX'");
    }

    @Test
    void authWithoutAPasswordSetIsAnError() {
        assertServerError(() -> client.auth("secret"), "ERR", "AUTH needs no password");
    }

    @Test
    void pipelineAnswersEveryCallInOrderAndFailsOnlyTheRefusedOnes() {
        Pipeline pipeline = client.pipeline();
        Response<Outcome> first = pipeline.add(Call.transfer("alice", "bob", 60));
        Response<Outcome> second = pipeline.add(Call.transfer("alice", "bob", 60));
        Response<Long> missing = pipeline.add(Call.balance("nobody"));
        Response<Long> total = pipeline.add(Call.total());
        assertThatThrownBy(first::get).isInstanceOf(IllegalStateException.class);
        pipeline.sync();
        assertThat(first.get()).isEqualTo(Outcome.OK);
        assertThat(second.get()).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
        assertThatThrownBy(missing::get).isInstanceOf(LedgerException.class);
        assertThat(total.get()).isEqualTo(150);
        assertThat(pipeline.size()).isZero();
    }

    @Test
    void largePipelinesAreSentInBatches() {
        Pipeline pipeline = client.pipeline();
        List<Response<Long>> deposits = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            deposits.add(pipeline.add(Call.deposit("bob", 1)));
        }
        pipeline.sync();
        for (int i = 0; i < deposits.size(); i++) {
            assertThat(deposits.get(i).get()).isEqualTo(51 + i);
        }
    }

    @Test
    void quitClosesTheConnectionAfterItsReply() throws IOException {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("QUIT\r\nPING\r\n");
            assertThat(raw.readLine()).isEqualTo("+OK");
            assertThat(raw.closedByServer()).isTrue();
        }
        assertThat(client.execute(Call.raw("QUIT"))).isEqualTo("OK");
        assertThatThrownBy(client::ping).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("lost");
        assertThat(client.isOpen()).isFalse();
        assertThatThrownBy(client::ping).hasMessageContaining("is closed");

        BankClient polite = BankClient.connect("127.0.0.1", server.port());
        polite.quit();
        assertThat(polite.isOpen()).isFalse();
    }

    @Test
    void aReadTimeoutClosesTheClientAndSaysHowLongItWaited() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BankServer slow = BankServer.builder(bank).port(0)
                .command("STALL", (request, reply) -> {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    reply.ok();
                }).build().start();
        try (BankClient impatient = BankClient.builder().port(slow.port()).readTimeout(Duration.ofMillis(100))
                .connect()) {
            assertThatThrownBy(() -> impatient.execute(Call.raw("STALL")))
                    .isInstanceOf(UncheckedIOException.class).hasMessageContaining("within 100 ms");
            assertThat(impatient.isOpen()).isFalse();
        } finally {
            release.countDown();
            slow.stop();
        }
    }

    @Test
    void connectingToNothingFailsClearly() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        assertThatThrownBy(() -> BankClient.builder().port(port).connectTimeout(Duration.ofSeconds(1)).connect())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
    }

    private static Map<String, Long> sources(Object... idsAndAmounts) {
        Map<String, Long> sources = new LinkedHashMap<>();
        for (int i = 0; i < idsAndAmounts.length; i += 2) {
            sources.put((String) idsAndAmounts[i], ((Integer) idsAndAmounts[i + 1]).longValue());
        }
        return sources;
    }

    static void assertLedgerError(ThrowingCallable call, ErrorCode code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(LedgerException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(messagePart).doesNotContain("(" + code + ")");
        });
    }

    static void assertServerError(ThrowingCallable call, String kind, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ServerErrorException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.detail()).contains(messagePart);
        });
    }

    static void assertWrongArguments(ThrowingCallable call, String command) {
        assertServerError(call, "ERR", "wrong number of arguments for '" + command + "' command");
    }
}

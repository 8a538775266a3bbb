package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Outcome;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The typed client over RESP3: the same answers as over RESP2, and RESP3 types through {@code Call.raw}. */
class BankClientResp3Test {
    private static final String PASSWORD = "s3cret";
    private BankServer server;

    @AfterEach
    void stop() {
        server.stop();
    }

    private int start(String password) throws IOException {
        Bank bank = Bank.builder().account("alice", 100).account("bob", 50).build();
        server = BankServer.builder(bank).port(0).password(password).build().start();
        return server.port();
    }

    @Test
    void typedCallsAnswerAsOverResp2() throws IOException {
        int port = start(PASSWORD);
        try (BankClient client = BankClient.builder().port(port).password(PASSWORD).protocol(3).connect()) {
            assertThat(client.protocol()).isEqualTo(3);
            assertThat(client.transfer("alice", "bob", 10)).isEqualTo(Outcome.OK);
            assertThat(client.transfer("alice", "bob", 1000)).isEqualTo(Outcome.INSUFFICIENT_FUNDS);
            assertThat(client.withdraw("bob", 1000)).isEqualTo(OptionalLong.empty());
            assertThat(client.balance("bob")).isEqualTo(60);
            assertThat(client.snapshot()).containsExactly(Map.entry("alice", 90L), Map.entry("bob", 60L));
            assertThatThrownBy(() -> client.balance("nobody")).isInstanceOf(LedgerException.class)
                    .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.UNKNOWN_ACCOUNT);

            Pipeline pipeline = client.pipeline();
            Response<Outcome> first = pipeline.add(Call.transfer("alice", "bob", 5));
            Response<Map<String, Long>> cut = pipeline.add(Call.snapshot());
            pipeline.sync();
            assertThat(first.get()).isEqualTo(Outcome.OK);
            assertThat(cut.get()).containsExactly(Map.entry("alice", 85L), Map.entry("bob", 65L));

            assertThat(client.execute(Call.raw("CONFIG", "GET", "appendonly"))).isEqualTo(Map.of("appendonly", "no"));
            assertThat(client.execute(Call.raw("CLIENT", "GETNAME"))).isNull();
            assertThat((String) client.execute(Call.raw("INFO", "ledger"))).startsWith("# Ledger\r\nbank:")
                    .contains("\r\naccounts:2\r\n"); // a verbatim string, its txt: format taken off
            assertThat((String) client.execute(Call.raw("CLIENT", "INFO"))).contains(" resp=3\n");
        }
    }

    @Test
    void withoutAPasswordAndWithAWrongOne() throws IOException {
        int port = start(null);
        try (BankClient client = BankClient.builder().port(port).protocol(3).connect()) {
            assertThat(client.execute(Call.raw("PING"))).isEqualTo("PONG");
            assertThat(client.execute(Call.raw("HELLO"))).isInstanceOf(Map.class)
                    .extracting(reply -> ((Map<?, ?>) reply).get("proto")).isEqualTo(3L);
        }
        try (BankClient client = BankClient.builder().port(port).connect()) {
            assertThat(client.protocol()).isEqualTo(2);
            assertThat(client.snapshot()).containsExactly(Map.entry("alice", 100L), Map.entry("bob", 50L));
            assertThat(client.execute(Call.raw("CONFIG", "GET", "appendonly"))).isEqualTo(java.util.List.of(
                    "appendonly", "no"));
        }
        server.stop();
        port = start(PASSWORD);
        BankClient.Builder wrong = BankClient.builder().port(port).password("wrong").protocol(3);
        assertThatThrownBy(wrong::connect).isInstanceOf(ServerErrorException.class)
                .extracting(e -> ((ServerErrorException) e).kind()).isEqualTo("WRONGPASS");
        assertThatThrownBy(() -> BankClient.builder().protocol(4)).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.ledger.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.Bank;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link WireScript} through a third-party client on one connection and compares every reply. Subclasses say
 * how the client sends commands and what it reports.
 */
abstract class WireCompatibilityContract {
    private Bank bank;
    private BankServer server;

    /**
     * Runs the commands in order on one connection.
     *
     * @return one reply per command, in the script's terms: {@link WireScript.Simple}, {@code String} (bulk),
     *     {@code Long}, {@link WireScript.Err} holding the whole error line, {@code List}, or null
     */
    abstract List<Object> run(int port, List<List<String>> commands) throws Exception;

    /** Returns whether the client reports simple strings as bulk strings (most libraries do). */
    abstract boolean simpleStringsLookLikeBulk();

    @BeforeEach
    void startServer() throws IOException {
        bank = WireScript.bank();
        server = BankServer.builder(bank).port(0).password(WireScript.PASSWORD).build().start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    @Test
    void everyCommandAndErrorReplyMatches() throws Exception {
        List<WireScript.Step> steps = WireScript.steps();
        List<List<String>> commands = new ArrayList<>();
        steps.forEach(step -> commands.add(step.command()));
        List<Object> replies = run(server.port(), commands);
        assertThat(replies).hasSameSizeAs(steps);
        for (int i = 0; i < steps.size(); i++) {
            WireScript.Step step = steps.get(i);
            Object actual = replies.get(i);
            if (step.expected() instanceof WireScript.Err) {
                assertThat(actual).as(step.toString()).isInstanceOf(WireScript.Err.class);
                assertThat(((WireScript.Err) actual).prefix()).as(step.toString())
                        .startsWith(((WireScript.Err) step.expected()).prefix());
            } else {
                assertThat(actual).as(step.toString()).isEqualTo(normalized(step.expected()));
            }
        }
        assertThat(bank.total()).isEqualTo(190);
    }

    private Object normalized(Object expected) {
        if (expected instanceof WireScript.Simple && simpleStringsLookLikeBulk()) {
            return ((WireScript.Simple) expected).text();
        }
        return expected;
    }
}

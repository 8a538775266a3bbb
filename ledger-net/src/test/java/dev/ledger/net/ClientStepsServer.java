package dev.ledger.net;

import dev.ledger.Bank;
import dev.ledger.BankBuilder;
import java.io.IOException;

/** The server every real-client test talks to: accounts {@code 1} to {@code 10} at 1000 each, on a free port. */
final class ClientStepsServer {
    private ClientStepsServer() {
    }

    /**
     * Starts it.
     *
     * @param password the server's password, or empty or null for none
     * @return the running server; the caller stops it
     */
    static BankServer start(String password) throws IOException {
        BankBuilder accounts = Bank.builder();
        for (int id = 1; id <= 10; id++) {
            accounts.account(Integer.toString(id), 1000);
        }
        BankServer.Builder builder = BankServer.builder(accounts.build()).port(0);
        if (password != null && !password.isEmpty()) {
            builder.password(password);
        }
        return builder.build().start();
    }
}

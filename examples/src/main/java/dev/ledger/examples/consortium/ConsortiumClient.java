package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.BankClient;
import dev.ledger.net.Call;
import dev.ledger.net.ServerErrorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A customer's connection to one bank of a consortium: the typed side of {@link CustomerCommands}. Errors are
 * those of {@link BankClient}: {@link ServerErrorException} with kind {@code DENIED}, {@code NOAUTH} or
 * {@code ERR}, {@link dev.ledger.LedgerException} for a bank's own refusal, {@link java.io.UncheckedIOException} if
 * the bank cannot be reached.
 *
 * <p>Concurrency: thread-safe as {@link BankClient} is, but the login belongs to the connection: share a client
 * only among threads acting for the same owner.
 */
final class ConsortiumClient implements AutoCloseable {
    /** An owner's accounts at one bank, or why that bank could not say. */
    record BankHoldings(String bank, List<AccountView> accounts, String unreachable) {
        boolean reachable() {
            return unreachable == null;
        }
    }

    /** How a cross-bank transfer ended: committed with its transaction id, or failed (nothing moved) and why. */
    record TransferOutcome(boolean committed, String detail) {
    }

    private final BankClient client;
    private final String bank;

    private ConsortiumClient(BankClient client, String bank) {
        this.client = client;
        this.bank = bank;
    }

    /**
     * Connects to a bank.
     *
     * @param member the bank
     * @param timeout the connect and read timeout
     * @return the client, not logged in
     */
    static ConsortiumClient connect(Member member, Duration timeout) {
        return new ConsortiumClient(BankClient.builder().host(member.host()).port(member.port())
                .connectTimeout(timeout).readTimeout(timeout).connect(), member.name());
    }

    /** {@return the name of the bank this client is connected to} */
    String bank() {
        return bank;
    }

    void register(String taxId, String password) {
        client.execute(Call.raw("REGISTER", taxId, password));
    }

    void login(String taxId, String password) {
        client.execute(Call.raw("LOGIN", taxId, password));
    }

    /** Opens an account; the bank checks the type ({@code individual}, {@code joint}, {@code business}). */
    void openAccount(String account, String type, List<String> coOwners) {
        List<String> command = new ArrayList<>(List.of("OPENACCOUNT", account, type));
        command.addAll(coOwners);
        client.execute(Call.raw(command.toArray(String[]::new)));
    }

    /** {@return the logged-in owner's accounts at this bank} */
    List<AccountView> myAccounts() {
        return AccountView.readAll(client.execute(Call.raw("MYACCOUNTS")));
    }

    /** {@return the logged-in owner's accounts at every bank, in the consortium's order} */
    List<BankHoldings> allAccounts() {
        List<BankHoldings> banks = new ArrayList<>();
        for (Object entry : Replies.list(client.execute(Call.raw("ALLACCOUNTS")), "ALLACCOUNTS")) {
            List<Object> fields = Replies.list(entry, "a bank's accounts");
            String name = Replies.string(fields.get(0), "bank");
            if (Replies.string(fields.get(1), "status").equals("OK")) {
                banks.add(new BankHoldings(name, AccountView.readAll(fields.get(2)), null));
            } else {
                banks.add(new BankHoldings(name, List.of(), Replies.string(fields.get(2), "why")));
            }
        }
        return banks;
    }

    /** {@return the account's new balance} */
    long deposit(String account, long amount) {
        return client.deposit(account, amount);
    }

    /** {@return the account's new balance, or empty if its available money was short} */
    OptionalLong withdraw(String account, long amount) {
        return client.withdraw(account, amount);
    }

    /**
     * Sends {@code XTRANSFER}.
     *
     * @param to the destination, {@code bank/account}
     * @param sources each source, {@code bank/account}, and its amount, in order
     * @return committed with the transaction id, or failed ({@code -FAILED}: nothing moved) with the reason
     * @throws ServerErrorException {@code DENIED} or {@code ERR} if the bank refused the request itself
     */
    TransferOutcome transfer(String to, Map<String, Long> sources) {
        List<String> command = new ArrayList<>(List.of("XTRANSFER", to));
        sources.forEach((from, amount) -> {
            command.add(from);
            command.add(Long.toString(amount));
        });
        try {
            String reply = Replies.string(client.execute(Call.raw(command.toArray(String[]::new))), "XTRANSFER");
            return new TransferOutcome(true, reply.startsWith("OK ") ? reply.substring(3) : reply);
        } catch (ServerErrorException refused) {
            if (refused.kind().equals("FAILED")) {
                return new TransferOutcome(false, refused.detail());
            }
            throw refused;
        }
    }

    /** {@return sources as {@link #transfer} takes them, from alternating {@code bank/account amount} words} */
    static Map<String, Long> sources(List<String> words) {
        if (words.isEmpty() || words.size() % 2 != 0) {
            throw new IllegalArgumentException("expected <from-bank>/<from-account> <amount> pairs");
        }
        Map<String, Long> sources = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i += 2) {
            if (sources.put(words.get(i), parseAmount(words.get(i + 1))) != null) {
                throw new IllegalArgumentException(words.get(i) + " is named twice as a source");
            }
        }
        return sources;
    }

    /** {@return a positive whole number of minor units} */
    static long parseAmount(String text) {
        long amount;
        try {
            amount = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("an amount is a whole number of minor units, got '"
                    + Texts.shorten(text) + "'");
        }
        if (amount <= 0 || text.startsWith("+")) {
            throw new IllegalArgumentException("an amount is a positive whole number of minor units, got '"
                    + Texts.shorten(text) + "'");
        }
        return amount;
    }

    @Override
    public void close() {
        client.close();
    }
}

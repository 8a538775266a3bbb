package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.ConsortiumClient.BankHoldings;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/** Prints an owner's accounts across banks, for the person-facing client and the demo. */
final class AccountTable {
    private AccountTable() {
    }

    /**
     * Prints one line per account, and one per bank that could not be reached.
     *
     * @param out where to print
     * @param banks what ALLACCOUNTS answered
     * @param indent put before every line
     */
    static void print(PrintWriter out, List<BankHoldings> banks, String indent) {
        out.printf(Locale.ROOT, "%s%-18s %-11s %9s %10s  %s%n", indent, "account", "type", "balance", "available",
                "owners");
        BigInteger total = BigInteger.ZERO; // every balance fits a long, their sum need not
        for (BankHoldings bank : banks) {
            if (!bank.reachable()) {
                out.printf(Locale.ROOT, "%s%-18s UNREACHABLE: %s%n", indent, bank.bank(), bank.unreachable());
                continue;
            }
            for (AccountView account : bank.accounts()) {
                out.printf(Locale.ROOT, "%s%-18s %-11s %9d %10d  %s%n", indent, bank.bank() + "/" + account.account(),
                        account.type(), account.balance(), account.available(), String.join(",", account.owners()));
                total = total.add(BigInteger.valueOf(account.balance()));
            }
        }
        boolean complete = banks.stream().allMatch(BankHoldings::reachable);
        out.printf(Locale.ROOT, "%s%-18s %-11s %9d%n", indent, "total", complete ? "" : "(reachable)", total);
    }
}

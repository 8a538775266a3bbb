package dev.ledger.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulation's verdict: compares the server's books before and after a run with what the clients were told.
 * Three checks: the total money is unchanged; no balance is negative; every final balance equals its initial
 * balance plus the net of every transfer the clients saw answered OK.
 *
 * @param checks each check's name and whether it passed
 * @param problems one line per discrepancy, for a person
 */
record BookCheck(Map<String, Boolean> checks, List<String> problems) {

    /** Returns whether every check passed. */
    boolean passed() {
        return !checks.containsValue(false);
    }

    /**
     * Runs the three checks.
     *
     * @param initial the balances before any client ran, by account
     * @param finals the balances after every client finished, by account
     * @param transfers every transfer every client recorded
     * @return the verdict
     */
    static BookCheck of(Map<String, Long> initial, Map<String, Long> finals, List<TransferLog.Entry> transfers) {
        List<String> problems = new ArrayList<>();
        Map<String, Boolean> checks = new LinkedHashMap<>();

        long before = sum(initial);
        long after = sum(finals);
        checks.put("total money unchanged (" + before + ")", before == after);
        if (before != after) {
            problems.add("total was " + before + ", is " + after);
        }

        boolean noneNegative = true;
        for (Map.Entry<String, Long> account : finals.entrySet()) {
            if (account.getValue() < 0) {
                noneNegative = false;
                problems.add("account " + account.getKey() + " is negative: " + account.getValue());
            }
        }
        checks.put("no balance negative", noneNegative);

        Map<String, Long> expected = new LinkedHashMap<>(initial);
        for (TransferLog.Entry transfer : transfers) {
            if (transfer.ok()) {
                expected.merge(transfer.from(), -transfer.amount(), Long::sum);
                expected.merge(transfer.to(), transfer.amount(), Long::sum);
            }
        }
        boolean matches = expected.keySet().equals(finals.keySet());
        if (!matches) {
            problems.add("accounts differ: expected " + expected.keySet() + ", found " + finals.keySet());
        }
        for (Map.Entry<String, Long> account : expected.entrySet()) {
            Long actual = finals.get(account.getKey());
            if (actual != null && actual.longValue() != account.getValue()) {
                matches = false;
                problems.add("account " + account.getKey() + ": initial " + initial.get(account.getKey())
                        + " + net of OK transfers = " + account.getValue() + ", but the server has " + actual);
            }
        }
        checks.put("final = initial + net of every OK transfer (" + transfers.size() + " transfers)", matches);
        return new BookCheck(checks, problems);
    }

    private static long sum(Map<String, Long> balances) {
        long total = 0;
        for (long balance : balances.values()) {
            total = Math.addExact(total, balance);
        }
        return total;
    }
}

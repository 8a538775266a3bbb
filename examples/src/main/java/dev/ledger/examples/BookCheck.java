package dev.ledger.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict on a run's books: compares the balances before and after it with the money the run says moved.
 * Three checks: the total money is unchanged; no balance is negative; every final balance equals its initial
 * balance plus the net of every move. Used by {@code simulate} and {@code consortium demo}.
 *
 * @param checks each check's name and whether it passed
 * @param problems one line per discrepancy, for a person
 */
public record BookCheck(Map<String, Boolean> checks, List<String> problems) {

    /**
     * Money the books must show as moved.
     *
     * @param from the account it left
     * @param to the account it reached
     * @param amount how much
     */
    public record Move(String from, String to, long amount) {
    }

    /** Returns whether every check passed. */
    public boolean passed() {
        return !checks.containsValue(false);
    }

    /**
     * Runs the three checks on a simulation: the transfers the clients saw answered OK are the moves.
     *
     * @param initial the balances before any client ran, by account
     * @param finals the balances after every client finished, by account
     * @param transfers every transfer every client recorded
     * @return the verdict
     */
    static BookCheck of(Map<String, Long> initial, Map<String, Long> finals, List<TransferLog.Entry> transfers) {
        List<Move> moves = transfers.stream().filter(TransferLog.Entry::ok)
                .map(transfer -> new Move(transfer.from(), transfer.to(), transfer.amount())).toList();
        return of(initial, finals, moves, "every OK transfer (" + transfers.size() + " transfers)");
    }

    /**
     * Runs the three checks.
     *
     * @param initial the balances before the run, by account
     * @param finals the balances after it, by account
     * @param moves the money the run moved
     * @param movesName what the moves are, as the third check's name ends: "final = initial + net of ..."
     * @return the verdict
     */
    public static BookCheck of(Map<String, Long> initial, Map<String, Long> finals, List<Move> moves,
            String movesName) {
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
        for (Move move : moves) {
            expected.merge(move.from(), -move.amount(), Long::sum);
            expected.merge(move.to(), move.amount(), Long::sum);
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
        checks.put("final = initial + net of " + movesName, matches);
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

package dev.ledger.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The PASS/FAIL verdict a run prints at its end, the same for {@code simulate} and {@code consortium demo}: one
 * line per check, {@code PASS  name} or {@code FAIL  name}; then what was found wrong, indented; then
 * {@code all checks passed} or {@code CHECKS FAILED}.
 *
 * <p>Concurrency: not thread-safe; the thread that runs the checks adds and prints them.
 */
public final class CheckReport {
    private final List<String> checks = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean passed = true;

    /**
     * Adds a check.
     *
     * @param ok whether it passed
     * @param name what it checked
     * @return this report
     */
    public CheckReport add(boolean ok, String name) {
        return add(ok, name, List.of());
    }

    /**
     * Adds a check and what it found wrong.
     *
     * @param ok whether it passed
     * @param name what it checked
     * @param found one line per discrepancy, for a person
     * @return this report
     */
    public CheckReport add(boolean ok, String name, List<String> found) {
        passed &= ok;
        checks.add((ok ? "PASS" : "FAIL") + "  " + name);
        problems.addAll(found);
        return this;
    }

    /**
     * Adds each check of a verdict on the books, and its problems.
     *
     * @param books the verdict
     * @return this report
     */
    public CheckReport add(BookCheck books) {
        books.checks().forEach((name, ok) -> add(ok, name));
        problems.addAll(books.problems());
        return this;
    }

    /** {@return whether every check added so far passed} */
    public boolean passed() {
        return passed;
    }

    /**
     * Prints the checks, the problems and the verdict, and flushes.
     *
     * @param out where to
     * @return whether every check passed
     */
    public boolean print(PrintWriter out) {
        checks.forEach(out::println);
        problems.forEach(problem -> out.println("      " + problem));
        out.println(passed ? "all checks passed" : "CHECKS FAILED");
        out.flush();
        return passed;
    }
}

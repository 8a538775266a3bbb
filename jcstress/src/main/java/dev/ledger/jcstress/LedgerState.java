package dev.ledger.jcstress;

import dev.ledger.Bank;
import dev.ledger.Outcome;
import dev.ledger.TransferStatus;
import dev.ledger.lock.LockStrategies;
import dev.ledger.lock.LockStrategy;

/**
 * What every stress test here races on: a fresh {@link Bank} built with the lock strategy under test. jcstress
 * makes a new instance for every trial, so each trial starts from the same balances.
 *
 * <p>Each scenario is an abstract subclass that states its race once: the accounts, the actors' work, and the
 * outcome spec ({@code @Outcome} and {@code @Description} are {@code @Inherited}). Its per-strategy tests are
 * nested subclasses that only pick the strategy and mark the actors, as one-line calls to {@code super}: jcstress
 * runs only the {@code @Actor}, {@code @Arbiter} and {@code @Signal} methods a test class declares itself.
 *
 * <p>Concurrency: the fields are final and jcstress publishes the instance to the actor threads safely. The
 * accounts' money is guarded by the strategy under test, which is exactly what the tests check.
 */
public abstract class LedgerState {
    /** The bank the actors share. */
    protected final Bank bank;
    /** The strategy under test, or {@code null} when it is not in the registry (a negative control). */
    private final LockStrategies registered;

    /**
     * Builds the bank with one of the library's strategies.
     *
     * @param strategy the strategy under test
     */
    protected LedgerState(LockStrategies strategy) {
        this.bank = Bank.builder().strategy(strategy).build();
        this.registered = strategy;
    }

    /**
     * Builds the bank with a strategy from outside the registry.
     *
     * @param unregistered the strategy instance, for this bank only
     */
    protected LedgerState(LockStrategy unregistered) {
        this.bank = Bank.builder().strategy(unregistered).build();
        this.registered = null;
    }

    /** Returns the registry's strategy under test, or {@code null} for one outside the registry. */
    final LockStrategies registered() {
        return registered;
    }

    /**
     * Encodes an outcome for a jcstress result field, whose outcomes are matched as text.
     *
     * @param outcome a transfer's outcome
     * @return 1 for {@link Outcome#OK}, 0 for {@link Outcome#INSUFFICIENT_FUNDS}
     */
    protected static long applied(Outcome outcome) {
        return outcome.isOk() ? 1 : 0;
    }

    /**
     * Encodes a transfer's status for a jcstress result field, extending {@link #applied(Outcome)}'s codes. The
     * switch names every status, so a new one cannot be added without deciding its code here.
     *
     * @param status what became of a {@link dev.ledger.Transfer}
     * @return 1 for OK, 0 for INSUFFICIENT_FUNDS, 2 for REPEATED, 3 for ID_CONFLICT, 4 for CHAIN_FAILED, -1 for a
     *     malformed transfer or an open chain (which no scenario sends)
     */
    protected static long status(TransferStatus status) {
        return switch (status) {
            case OK -> 1;
            case INSUFFICIENT_FUNDS -> 0;
            case REPEATED -> 2;
            case ID_CONFLICT -> 3;
            case CHAIN_FAILED -> 4;
            case INVALID_ID, UNKNOWN_ACCOUNT, SAME_ACCOUNT, INVALID_AMOUNT, OVERFLOW, CHAIN_OPEN -> -1;
        };
    }
}

package dev.ledger.benchmarks;

import dev.ledger.Bank;
import dev.ledger.lock.LockStrategies;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A {@link BenchmarkBank} under one of the registry's lock strategies, the {@code strategy} parameter.
 *
 * <p>Concurrency: as {@link BenchmarkBank}; JMH sets {@link #strategy} before the trial's setup.
 */
@State(Scope.Benchmark) // JMH wants @Param in a @State class; each subclass declares its own scope
public abstract class StrategyBank extends BenchmarkBank {
    /** The strategy under test. No values given, so JMH runs every constant: the same set tests and jcstress use. */
    @Param
    public LockStrategies strategy;

    @Override
    Bank newBank() {
        return Bank.builder().strategy(strategy).build();
    }
}

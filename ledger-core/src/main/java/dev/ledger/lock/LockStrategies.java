package dev.ledger.lock;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every lock strategy of the library, by alias. Tests, benchmarks, jcstress and the command line pick strategies
 * from here, so they all cover the same set.
 *
 * <p>Concurrency: an immutable enum; {@link #create()} returns a new strategy instance for each bank.
 */
public enum LockStrategies {
    /** {@link OrderedLockStrategy}: one non-reentrant lock per account, taken in the global order. */
    ORDERED("ordered", OrderedLockStrategy::new),
    /** {@link TryLockBackoffStrategy}: tryLock in request order, release all and back off on failure. */
    TRYLOCK("trylock", TryLockBackoffStrategy::new),
    /** {@link StampedLockStrategy}: StampedLock per account, optimistic reads. */
    STAMPED("stamped", StampedLockStrategy::new),
    /** {@link SynchronizedLockStrategy}: the intrinsic-monitor baseline. */
    SYNCHRONIZED("synchronized", SynchronizedLockStrategy::new),
    /** {@link GlobalLockStrategy}: the one-lock-per-bank baseline. */
    GLOBAL("global", GlobalLockStrategy::new),
    /** {@link CombiningLockStrategy}: flat combining, for a few hot accounts. */
    COMBINING("combining", CombiningLockStrategy::new);

    private final String alias;
    private final Supplier<LockStrategy> factory;

    LockStrategies(String alias, Supplier<LockStrategy> factory) {
        this.alias = alias;
        this.factory = factory;
    }

    /** {@return the short name used on command lines and in reports, such as {@code ordered}} */
    public String alias() {
        return alias;
    }

    /** {@return a new instance of the strategy, for one bank} */
    public LockStrategy create() {
        return factory.get();
    }

    /**
     * Returns the strategy with this alias or constant name, ignoring case.
     *
     * @param name an alias such as {@code trylock}, or a constant name such as {@code TRYLOCK}
     * @return the strategy
     * @throws IllegalArgumentException naming the known aliases, if none matches
     */
    public static LockStrategies fromAlias(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (LockStrategies strategy : values()) {
            if (strategy.alias.equals(wanted)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown lock strategy '" + name + "'; choose one of " + aliases());
    }

    /** {@return the aliases, comma-separated, in declaration order} */
    public static String aliases() {
        return Arrays.stream(values()).map(LockStrategies::alias).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return alias;
    }
}

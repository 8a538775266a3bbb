package dev.ledger.benchmarks;

import java.util.SplittableRandom;

/**
 * A ring of precomputed picks, each of {@code width} distinct random account indexes. The measured code then reads
 * array slots instead of running a random number generator, so the generator's cost stays out of the numbers.
 * Seeds depend only on the thread's index, so every strategy replays the same picks.
 *
 * <p>Not thread-safe: each benchmark thread owns its ring.
 */
final class IndexRing {
    /**
     * Picks per ring: about two per account of the largest bank (4096), so the whole bank is touched, while the ring
     * of a two-account transfer (32 KiB) stays in the core's caches.
     */
    static final int PICKS = 4096;

    private static final long BASE_SEED = 0x5EED_1ED6E2L;

    private final int[] indexes;
    private final int width;
    private int position;

    /**
     * Fills a ring.
     *
     * @param accounts the number of accounts to pick from
     * @param width the indexes per pick, distinct within a pick; at most {@code accounts}
     * @param threadIndex the benchmark thread's index, which seeds the generator
     */
    IndexRing(int accounts, int width, int threadIndex) {
        this(accounts, width, threadIndex, 0);
    }

    /**
     * Fills a ring in which {@code hotPercent} percent of the picks include account 0, the hot account, in a
     * random leg; the other legs, and the other picks, are uniform.
     *
     * @param accounts the number of accounts to pick from
     * @param width the indexes per pick, distinct within a pick; at most {@code accounts}
     * @param threadIndex the benchmark thread's index, which seeds the generator
     * @param hotPercent from 0 (uniform) to 100 (every pick touches account 0)
     */
    IndexRing(int accounts, int width, int threadIndex, int hotPercent) {
        if (width < 1 || width > accounts) {
            throw new IllegalArgumentException("cannot pick " + width + " distinct accounts out of " + accounts);
        }
        if (hotPercent < 0 || hotPercent > 100) {
            throw new IllegalArgumentException("hot share must be 0 to 100 percent, got " + hotPercent);
        }
        this.width = width;
        this.indexes = new int[PICKS * width];
        SplittableRandom random = new SplittableRandom(BASE_SEED + threadIndex);
        for (int pick = 0; pick < indexes.length; pick += width) {
            boolean hasHot = false;
            for (int leg = 0; leg < width; leg++) {
                indexes[pick + leg] = distinctIndex(random, accounts, pick, leg);
                hasHot |= indexes[pick + leg] == 0;
            }
            if (hotPercent > 0 && !hasHot && random.nextInt(100) < hotPercent) {
                indexes[pick + random.nextInt(width)] = 0; // no other leg is 0, so the legs stay distinct
            }
        }
    }

    private int distinctIndex(SplittableRandom random, int accounts, int pick, int leg) {
        while (true) {
            int candidate = random.nextInt(accounts);
            boolean taken = false;
            for (int earlier = 0; earlier < leg; earlier++) {
                taken |= indexes[pick + earlier] == candidate;
            }
            if (!taken) {
                return candidate;
            }
        }
    }

    /** Moves to the next pick, wrapping around at the end of the ring. */
    void advance() {
        int next = position + width;
        position = next == indexes.length ? 0 : next;
    }

    /**
     * Returns one index of the current pick.
     *
     * @param leg from 0 to {@code width - 1}
     */
    int at(int leg) {
        return indexes[position + leg];
    }
}

package dev.ledger;

import java.math.BigInteger;
import java.util.AbstractList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consistent cut of every account of a bank: all balances and holds as they were at one instant, even while
 * transfers ran. {@link #totalExact()} is therefore the bank's money at that instant (the invariant of Jepsen's
 * "bank" test); {@link #total()} is the same as a long, while it fits one.
 *
 * <p>Accounts appear in opening order. Instances are immutable.
 */
public final class Snapshot {
    private final String[] ids;
    private final long[] balances;
    private final long[] held;
    /** The sum of {@code balances}, exact; summed here and never changed after. */
    private final Total total = new Total();

    Snapshot(String[] ids, long[] balances, long[] held) {
        this.ids = ids;
        this.balances = balances;
        this.held = held;
        for (long balance : balances) {
            total.add(balance);
        }
    }

    /** {@return the number of accounts} */
    public int size() {
        return ids.length;
    }

    /**
     * Returns the id of the account at {@code index}.
     *
     * @param index from 0 to {@code size() - 1}, in opening order
     * @return the id
     */
    public String id(int index) {
        return ids[index];
    }

    /**
     * Returns the balance of the account at {@code index}, held money included.
     *
     * @param index from 0 to {@code size() - 1}, in opening order
     * @return the balance
     */
    public long balance(int index) {
        return balances[index];
    }

    /**
     * Returns the money held for prepared transfers on the account at {@code index}.
     *
     * @param index from 0 to {@code size() - 1}, in opening order
     * @return the held money
     */
    public long held(int index) {
        return held[index];
    }

    /**
     * Returns the sum of all balances. Each balance fits a long but their sum may not; {@link #totalExact()} always
     * answers.
     *
     * @return the sum
     * @throws LedgerException {@code OVERFLOW} if the sum is more than {@link Long#MAX_VALUE}
     */
    public long total() {
        return total.toLong("the snapshot's total money");
    }

    /** {@return the sum of all balances, exactly, however large} */
    public BigInteger totalExact() {
        return total.exact();
    }

    /** {@return the account ids in opening order} */
    public List<String> ids() {
        return Collections.unmodifiableList(new AbstractList<>() {
            @Override
            public String get(int index) {
                return ids[index];
            }

            @Override
            public int size() {
                return ids.length;
            }
        });
    }

    /** {@return the balances by account id, in opening order} */
    public Map<String, Long> balances() {
        Map<String, Long> map = new LinkedHashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            map.put(ids[i], balances[i]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "Snapshot[accounts=" + ids.length + ", total=" + totalExact() + "]";
    }
}

package dev.ledger;

import java.util.AbstractList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A consistent cut of every account of a bank: all balances and holds as they were at one instant, even while
 * transfers ran. {@link #total()} is therefore the bank's money at that instant (the invariant of Jepsen's
 * "bank" test).
 *
 * <p>Accounts appear in opening order. Instances are immutable.
 */
public final class Snapshot {
    private final String[] ids;
    private final long[] balances;
    private final long[] held;
    private final long total;

    Snapshot(String[] ids, long[] balances, long[] held) {
        this.ids = ids;
        this.balances = balances;
        this.held = held;
        long sum = 0;
        for (long balance : balances) {
            sum = Math.addExact(sum, balance); // cannot overflow while the bank's supply guard holds
        }
        this.total = sum;
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

    /** {@return the sum of all balances} */
    public long total() {
        return total;
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
        return "Snapshot[accounts=" + ids.length + ", total=" + total + "]";
    }
}

package dev.ledger;

import dev.ledger.lock.LockStrategy;

/**
 * A bank's reads of several accounts at one instant: snapshots, the total, an account's position.
 *
 * <p>Concurrency: each read runs as one read section over the accounts it reads, so it sees them as they all were
 * at one instant, even while transfers run. An account may open during a read of every account: the read then
 * finds the registry's count changed afterwards and runs again, so its cut includes every account open at its
 * instant.
 */
final class ConsistentReads {
    private final Accounts accounts;
    private final LockStrategy strategy;

    ConsistentReads(Accounts accounts, LockStrategy strategy) {
        this.accounts = accounts;
        this.strategy = strategy;
    }

    Snapshot snapshot() {
        while (true) {
            Account[] all = accounts.toArray();
            int n = all.length;
            long[] balances = new long[n];
            long[] held = new long[n];
            strategy.readAll(all, all, read -> {
                for (int i = 0; i < read.length; i++) {
                    balances[i] = read[i].balance;
                    held[i] = read[i].held;
                }
                return n;
            });
            if (accounts.size() == n) {
                String[] ids = new String[n];
                for (int i = 0; i < n; i++) {
                    ids[i] = all[i].id();
                }
                return new Snapshot(ids, balances, held);
            }
        }
    }

    Total sum() {
        Total total = new Total();
        while (true) {
            Account[] all = accounts.toArray();
            strategy.readAll(all, total, sum -> {
                sum.clear(); // a read section may run again after a torn read
                for (Account account : all) {
                    sum.add(account.balance);
                }
                return 0;
            });
            if (accounts.size() == all.length) {
                return total;
            }
        }
    }

    Position position(Account account) {
        long[] position = new long[3];
        strategy.readAll(new Account[] {account}, position, out -> {
            out[0] = account.balance;
            out[1] = account.held;
            out[2] = account.incoming;
            return 0;
        });
        return new Position(position[0], position[1], position[2]);
    }
}

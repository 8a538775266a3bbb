package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;

/** The bank's invariants, checked on a quiescent bank. */
public final class Invariants {
    private Invariants() {
    }

    /**
     * Checks that the money adds up to {@code expectedTotal} by every route (snapshot, {@code total()}, and
     * account-by-account reads), that no balance is negative and that no hold exceeds its balance.
     */
    public static void check(Bank bank, long expectedTotal) {
        Snapshot snapshot = bank.snapshot();
        assertThat(snapshot.size()).as("accounts in the snapshot").isEqualTo(bank.size());
        assertThat(snapshot.total()).as("snapshot total").isEqualTo(expectedTotal);
        assertThat(bank.total()).as("bank.total()").isEqualTo(expectedTotal);
        long sum = 0;
        for (int i = 0; i < snapshot.size(); i++) {
            long balance = bank.balance(snapshot.id(i));
            assertThat(balance).as("balance of %s", snapshot.id(i)).isEqualTo(snapshot.balance(i)).isNotNegative();
            assertThat(snapshot.held(i)).as("held on %s", snapshot.id(i)).isBetween(0L, balance);
            sum += balance;
        }
        assertThat(sum).as("sum of balance() over all accounts").isEqualTo(expectedTotal);
    }

    /** Checks that no account holds or expects money for a transaction, and none is in doubt. */
    public static void checkSettled(Bank bank) {
        for (Account account : bank.accounts()) {
            assertThat(bank.position(account)).as("position of %s", account)
                    .satisfies(p -> assertThat(p.held()).as("held").isZero())
                    .satisfies(p -> assertThat(p.incoming()).as("incoming").isZero());
        }
        assertThat(bank.inDoubt()).as("in-doubt transactions of %s", bank.name()).isEmpty();
    }
}

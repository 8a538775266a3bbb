package dev.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

/** The bank's invariants, checked on a quiescent bank. */
public final class Invariants {
    private Invariants() {
    }

    /** Checks {@link #check(Bank, BigInteger)} for a total that fits a long. */
    public static void check(Bank bank, long expectedTotal) {
        check(bank, BigInteger.valueOf(expectedTotal));
    }

    /**
     * Checks that the money adds up to {@code expectedTotal} by every route (snapshot, {@code total()} and
     * {@code totalExact()}, and account-by-account reads), that no balance is negative, that no hold exceeds its
     * balance and that no balance plus its incoming money passes {@code Long.MAX_VALUE}. The long totals must
     * refuse with {@code OVERFLOW} exactly when the total does not fit a long.
     */
    public static void check(Bank bank, BigInteger expectedTotal) {
        Snapshot snapshot = bank.snapshot();
        assertThat(snapshot.size()).as("accounts in the snapshot").isEqualTo(bank.size());
        assertThat(snapshot.totalExact()).as("snapshot total").isEqualTo(expectedTotal);
        assertThat(bank.totalExact()).as("bank.totalExact()").isEqualTo(expectedTotal);
        if (expectedTotal.bitLength() < Long.SIZE) {
            assertThat(snapshot.total()).as("snapshot.total()").isEqualTo(expectedTotal.longValueExact());
            assertThat(bank.total()).as("bank.total()").isEqualTo(expectedTotal.longValueExact());
        } else {
            assertThatThrownBy(snapshot::total).as("snapshot.total()").isInstanceOf(LedgerException.class)
                    .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
            assertThatThrownBy(bank::total).as("bank.total()").isInstanceOf(LedgerException.class)
                    .extracting(e -> ((LedgerException) e).code()).isEqualTo(ErrorCode.OVERFLOW);
        }
        BigInteger sum = BigInteger.ZERO;
        for (int i = 0; i < snapshot.size(); i++) {
            Position position = bank.position(snapshot.id(i));
            long balance = bank.balance(snapshot.id(i));
            assertThat(balance).as("balance of %s", snapshot.id(i)).isEqualTo(snapshot.balance(i)).isNotNegative();
            assertThat(snapshot.held(i)).as("held on %s", snapshot.id(i)).isBetween(0L, balance);
            assertThat(position.incoming()).as("incoming on %s", snapshot.id(i))
                    .isBetween(0L, Long.MAX_VALUE - position.balance());
            sum = sum.add(BigInteger.valueOf(balance));
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

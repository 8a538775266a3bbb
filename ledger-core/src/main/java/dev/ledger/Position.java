package dev.ledger;

/**
 * An account's money as of one instant, holds included.
 *
 * @param balance the balance, held money included
 * @param held money held for prepared outgoing transfers: it cannot be spent
 * @param incoming money promised by prepared incoming transfers: not spendable until they commit
 */
public record Position(long balance, long held, long incoming) {
    /** {@return the money that can be spent now: the balance less holds} */
    public long available() {
        return balance - held;
    }
}

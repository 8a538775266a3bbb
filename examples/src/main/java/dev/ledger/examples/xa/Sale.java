package dev.ledger.examples.xa;

/**
 * One sale of the XA demo, planned before it runs: who pays what, under which order id, and which failure, if
 * any, it injects. Immutable.
 *
 * @param orderId the order's id, unique per sale
 * @param customer the paying account
 * @param price the amount in minor units
 * @param failure the failure injected, or {@link Failure#NONE}
 */
public record Sale(String orderId, String customer, long price, Failure failure) {
    /** A failure a sale injects, and who refuses the transaction because of it. */
    public enum Failure {
        /** None: the sale commits. */
        NONE,
        /** The order row is written twice: the database refuses it (at the insert, or when it prepares). */
        DUPLICATE_ORDER,
        /** The price is more than the customer has: the bank votes no at prepare. */
        INSUFFICIENT_FUNDS,
        /** The application throws after both writes: it rolls back. */
        APPLICATION_ERROR
    }

    /**
     * Plans sale number {@code n}: customers in turn, prices spread over 1..maxPrice, and every {@code failEvery}-th
     * sale (0: none) injecting the next failure in turn.
     *
     * @param n the sale's number, from 0
     * @param customers the customers' account ids
     * @param maxPrice the highest ordinary price
     * @param failEvery how often a failure is injected; 0 for never
     * @param unaffordable a price no customer can pay
     * @return the sale
     */
    public static Sale plan(int n, String[] customers, long maxPrice, int failEvery, long unaffordable) {
        Failure failure = Failure.NONE;
        if (failEvery > 0 && n % failEvery == failEvery - 1) {
            failure = Failure.values()[1 + (n / failEvery) % 3];
        }
        long price = failure == Failure.INSUFFICIENT_FUNDS ? unaffordable : 1 + (n * 7919L) % maxPrice;
        return new Sale("sale-" + n, customers[n % customers.length], price, failure);
    }
}

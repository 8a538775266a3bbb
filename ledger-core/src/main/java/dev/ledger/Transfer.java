package dev.ledger;

/**
 * A transfer to apply, alone or in a batch ({@link Bank#transfers}): move {@code amount} from {@code from} to
 * {@code to}.
 *
 * <p>With an id, the transfer is applied at most once: the bank remembers the ids of the transfers it applied, and
 * a transfer whose id it remembers changes nothing and is answered {@link TransferStatus#REPEATED}, or
 * {@link TransferStatus#ID_CONFLICT} if it is not the same transfer. That is what makes a retry safe after a lost
 * reply. An id follows the account-id rule, 1 to 64 characters of {@code [A-Za-z0-9_.-]}: a UUID, a ULID or a
 * reference of the client's own. Strings rather than 128-bit numbers, because that is what every client of the
 * wire protocol holds and sends, and what a person reads in a log.
 *
 * <p><b>Linked chains.</b> In a batch, a transfer {@linkplain #linkedToNext() linked} to the next one starts or
 * continues a chain that ends at the first transfer that is not linked: the chain's transfers are applied together
 * or not at all, in order (a later one may spend what an earlier one paid in), as TigerBeetle's linked events are.
 * If one fails, it is answered with its reason and every other transfer of the chain with
 * {@link TransferStatus#CHAIN_FAILED}. A batch that ends inside a chain, and a lone transfer that is linked, are
 * answered {@link TransferStatus#CHAIN_OPEN} and change nothing.
 *
 * @param id the client's id for the transfer, or null to apply it without one
 * @param from the source account's id
 * @param to the destination account's id
 * @param amount the amount in minor units
 * @param linked whether the transfer is linked to the next one of its batch
 */
public record Transfer(String id, String from, String to, long amount, boolean linked) {

    /**
     * A transfer not linked to the next one.
     *
     * @param id the client's id for the transfer, or null to apply it without one
     * @param from the source account's id
     * @param to the destination account's id
     * @param amount the amount in minor units
     */
    public Transfer(String id, String from, String to, long amount) {
        this(id, from, to, amount, false);
    }

    /** {@return this transfer, linked to the next one of its batch} */
    public Transfer linkedToNext() {
        return new Transfer(id, from, to, amount, true);
    }

    /**
     * {@return a transfer with an id}
     *
     * @param id the client's id for the transfer
     * @param from the source account's id
     * @param to the destination account's id
     * @param amount the amount in minor units
     */
    public static Transfer of(String id, String from, String to, long amount) {
        return new Transfer(id, from, to, amount);
    }
}

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
 * @param id the client's id for the transfer, or null to apply it without one
 * @param from the source account's id
 * @param to the destination account's id
 * @param amount the amount in minor units
 */
public record Transfer(String id, String from, String to, long amount) {

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

package dev.ledger.benchmarks.net;

import dev.ledger.Outcome;
import dev.ledger.Transfer;
import dev.ledger.TransferStatus;
import dev.ledger.net.BankClient;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sends random transfers to a ledger server through one connection, in batches of a given size, and prints the
 * transfers per second: the client side of {@code benchmarks/net/batches.sh}. Sources are {@code a000000000000}
 * onwards and destinations {@code b000000000000} onwards, {@code half} of each, as the script opens them; every
 * transfer moves 1.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.ledger.benchmarks.net.BatchLoad PORT BATCH TRANSFERS HALF [ids]
 * </pre>
 *
 * <p>The batches are built before the clock starts, so the figure is the connection's and the server's, not the
 * building's; a warm-up of up to 20,000 transfers in batches of the same size goes first, untimed, so that the
 * client's own code is compiled. With {@code ids}, every transfer carries an id of its own, which the server checks and remembers.
 * Prints one line: {@code transfers=N seconds=S per_second=R} and the count of each status. A batch size of 0 sends
 * each transfer as a plain {@code TRANSFER}, one round trip each, through the same client: the request a batch of 1
 * must cost no more than.
 */
public final class BatchLoad {
    private BatchLoad() {
    }

    /**
     * Runs the load.
     *
     * @param args port, batch size, number of transfers, accounts per side, and optionally {@code ids}
     */
    public static void main(String[] args) {
        if (args.length < 4 || args.length > 5 || (args.length == 5 && !args[4].equals("ids"))) {
            System.err.println("usage: BatchLoad PORT BATCH TRANSFERS HALF [ids]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int batch = Integer.parseInt(args[1]);
        int transfers = Integer.parseInt(args[2]);
        int half = Integer.parseInt(args[3]);
        boolean ids = args.length == 5;
        boolean single = batch == 0;
        List<List<Transfer>> warmUp = batches(single ? 1 : batch, Math.min(transfers, 20_000), half, ids, "w", 7);
        List<List<Transfer>> batches = batches(single ? 1 : batch, transfers, half, ids, "", 42);
        Map<TransferStatus, Integer> counts = new EnumMap<>(TransferStatus.class);
        try (BankClient client = BankClient.builder().port(port).connect()) {
            for (List<Transfer> next : warmUp) {
                send(client, next, single);
            }
            long start = System.nanoTime();
            for (List<Transfer> next : batches) {
                for (TransferStatus status : send(client, next, single)) {
                    counts.merge(status, 1, Integer::sum);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "transfers=%d seconds=%.3f per_second=%.0f statuses=%s%n", transfers,
                    seconds, transfers / seconds, counts);
        }
    }

    private static List<TransferStatus> send(BankClient client, List<Transfer> batch, boolean single) {
        if (!single) {
            return client.transfers(batch);
        }
        Transfer transfer = batch.get(0);
        return List.of(client.transfer(transfer.from(), transfer.to(), transfer.amount()) == Outcome.OK
                ? TransferStatus.OK : TransferStatus.INSUFFICIENT_FUNDS);
    }

    private static List<List<Transfer>> batches(int batch, int transfers, int half, boolean ids, String prefix,
            long seed) {
        String[] sources = new String[half];
        String[] destinations = new String[half];
        for (int i = 0; i < half; i++) {
            sources[i] = String.format(Locale.ROOT, "a%012d", i);
            destinations[i] = String.format(Locale.ROOT, "b%012d", i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        String run = prefix + Long.toString(System.nanoTime(), 36); // ids no earlier run used
        List<List<Transfer>> batches = new ArrayList<>();
        for (int sent = 0; sent < transfers; sent += batch) {
            int size = Math.min(batch, transfers - sent);
            List<Transfer> next = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                String id = ids ? run + "-" + (sent + i) : null;
                next.add(new Transfer(id, sources[random.nextInt(half)], destinations[random.nextInt(half)], 1));
            }
            batches.add(next);
        }
        return batches;
    }
}

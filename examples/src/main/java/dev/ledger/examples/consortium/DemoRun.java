package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.ConsortiumClient.TransferOutcome;
import dev.ledger.examples.consortium.DemoScript.Opening;
import dev.ledger.examples.consortium.DemoScript.Owner;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The transfers of the consortium demo: one worker thread per owner, each logged in at its home bank, sending
 * random cross-bank transfers from its own accounts (several sources at once, now and then more than they hold)
 * to other owners' accounts. The transfers come in batches, one per {@link Phase}; the demo starts a batch, acts
 * on the banks meanwhile, and waits for the batch to finish, so every transfer belongs to exactly one phase.
 *
 * <p>Concurrency: {@code current} and {@code finished} are guarded by {@code this}; workers wait on it for the
 * next batch. A batch hands out its transfers through an atomic ticket counter, collects the attempts in a
 * concurrent queue and counts them down on a latch the demo waits on.
 */
final class DemoRun {
    /** A stage of the run, and which banks its transfers may involve. */
    enum Phase {
        /** All banks up; transfers stay away from the bank that will be stopped, which is stopped meanwhile. */
        BEFORE_OUTAGE(false),
        /** The stopped bank is down; half the transfers involve it. */
        OUTAGE(true),
        /** The stopped bank restarts meanwhile; transfers stay away from it. */
        RESTART(false),
        /** All banks up again; half the transfers involve the restarted bank. */
        AFTER_RESTART(true);

        final boolean involvesStoppedBank;

        Phase(boolean involvesStoppedBank) {
            this.involvesStoppedBank = involvesStoppedBank;
        }
    }

    /** How one transfer ended. */
    enum Status { COMMITTED, INSUFFICIENT_FUNDS, UNREACHABLE, REFUSED, UNKNOWN }

    /** One transfer sent, and how it ended. */
    record Attempt(Owner owner, Phase phase, String to, Map<String, Long> sources, boolean touchesStoppedBank,
            Status status, String detail) {
        /** {@return the transfer in a line, as {@code ana: alpha/ana 10 + beta/ana 5 -> gamma/cy: OK <detail>}} */
        String describe() {
            String from = sources.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(" + "));
            return owner.name() + ": " + from + " -> " + to + ": " + (status == Status.COMMITTED ? "OK " : "FAILED ")
                    + detail;
        }
    }

    /** One phase's transfers. */
    private static final class Batch {
        final Phase phase;
        final AtomicInteger tickets;
        final CountDownLatch done;
        final CountDownLatch halfDone;
        final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

        Batch(Phase phase, int transfers) {
            this.phase = phase;
            this.tickets = new AtomicInteger(transfers);
            this.done = new CountDownLatch(transfers);
            this.halfDone = new CountDownLatch(transfers / 2);
        }

        void completed(Attempt attempt) {
            attempts.add(attempt);
            halfDone.countDown();
            done.countDown();
        }
    }

    private final Consortium consortium;
    private final String stoppedBank;
    private final long seed;
    private final List<Thread> workers = new ArrayList<>();
    private final ConcurrentLinkedQueue<String> workerFailures = new ConcurrentLinkedQueue<>();
    /** The batch being run, or the last one. Guarded by this. */
    private Batch current;
    /** Set when no batch follows. Guarded by this. */
    private boolean finished;

    DemoRun(Consortium consortium, String stoppedBank, long seed) {
        this.consortium = consortium;
        this.stoppedBank = stoppedBank;
        this.seed = seed;
    }

    /** Connects and logs in one worker per owner; they wait for the first batch. */
    void startWorkers(Duration timeout) {
        for (int i = 0; i < DemoScript.OWNERS.size(); i++) {
            Owner owner = DemoScript.OWNERS.get(i);
            ConsortiumClient client = ConsortiumClient.connect(consortium.find(owner.home()).orElseThrow(), timeout);
            client.login(owner.taxId(), owner.password());
            SplittableRandom random = new SplittableRandom(seed + i);
            Thread worker = new Thread(() -> work(owner, client, random), "demo-" + owner.name());
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /**
     * Starts a batch of transfers; {@link #await} waits for it.
     *
     * @param phase the phase
     * @param transfers how many transfers, shared by the workers
     */
    synchronized void start(Phase phase, int transfers) {
        current = new Batch(phase, transfers);
        notifyAll();
    }

    /**
     * Waits for the current batch to finish.
     *
     * @param timeout how long at most
     * @return the batch's attempts
     * @throws IllegalStateException if it did not finish in time
     */
    List<Attempt> await(Duration timeout) throws InterruptedException {
        Batch batch = current();
        awaitLatch(batch, batch.done, timeout);
        return List.copyOf(batch.attempts);
    }

    /**
     * Waits until half the current batch's transfers are done.
     *
     * @param timeout how long at most
     * @throws IllegalStateException if they were not done in time
     */
    void awaitHalf(Duration timeout) throws InterruptedException {
        Batch batch = current();
        awaitLatch(batch, batch.halfDone, timeout);
    }

    private synchronized Batch current() {
        return current;
    }

    private void awaitLatch(Batch batch, CountDownLatch latch, Duration timeout) throws InterruptedException {
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the " + batch.phase + " transfers did not finish within "
                    + timeout.toSeconds() + " s" + (workerFailures.isEmpty() ? "" : ": " + workerFailures));
        }
    }

    /** Tells the workers no batch follows, and waits for them to log out. */
    void finish() throws InterruptedException {
        synchronized (this) {
            finished = true;
            notifyAll();
        }
        for (Thread worker : workers) {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private synchronized Batch next(Batch previous) throws InterruptedException {
        while (!finished && current == previous) {
            wait();
        }
        return finished ? null : current;
    }

    private void work(Owner owner, ConsortiumClient client, SplittableRandom random) {
        try (client) {
            int sent = 0;
            for (Batch batch = next(null); batch != null; batch = next(batch)) {
                while (batch.tickets.getAndDecrement() > 0) {
                    boolean involveStopped = batch.phase.involvesStoppedBank && sent++ % 2 == 0;
                    batch.completed(attempt(owner, client, batch.phase, involveStopped, random));
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            workerFailures.add(owner.name() + ": " + e);
        }
    }

    /** Makes up one transfer for the phase, sends it and records how it ended. */
    private Attempt attempt(Owner owner, ConsortiumClient client, Phase phase, boolean involveStopped,
            SplittableRandom random) {
        List<Opening> mine = new ArrayList<>();
        List<Opening> others = new ArrayList<>();
        for (Opening opening : DemoScript.OPENINGS) {
            if (phase.involvesStoppedBank || !opening.bank().equals(stoppedBank)) {
                (opening.ownedBy(owner) ? mine : others).add(opening);
            }
        }
        Collections.shuffle(mine, new Random(random.nextLong()));
        List<Opening> destinations = others.stream()
                .filter(o -> !involveStopped || o.bank().equals(stoppedBank)).toList();
        Opening to = destinations.get(random.nextInt(destinations.size()));
        Map<String, Long> sources = new LinkedHashMap<>();
        int count = mine.size() > 1 && random.nextBoolean() ? 2 : 1;
        boolean greedy = random.nextInt(4) == 0; // asks for more than accounts usually hold
        for (Opening from : mine.subList(0, count)) {
            sources.put(from.address(), greedy ? 2_000L + random.nextInt(7_000) : 1L + random.nextInt(700));
        }
        boolean touchesStopped = to.bank().equals(stoppedBank)
                || sources.keySet().stream().anyMatch(address -> address.startsWith(stoppedBank + "/"));
        Status status;
        String detail;
        try {
            TransferOutcome outcome = client.transfer(to.address(), sources);
            detail = outcome.detail();
            status = outcome.committed() ? Status.COMMITTED
                    : detail.startsWith("insufficient funds") ? Status.INSUFFICIENT_FUNDS
                    : detail.matches("bank \\S+ unreachable(: .*)?; nothing moved") ? Status.UNREACHABLE
                    : Status.REFUSED;
        } catch (UncheckedIOException lost) {
            status = Status.UNKNOWN; // the reply was lost: the transfer may or may not have committed
            detail = lost.getMessage();
        } catch (RuntimeException refused) { // ServerErrorException, LedgerException: refused before any vote
            status = Status.REFUSED;
            detail = refused.getMessage();
        }
        return new Attempt(owner, phase, to.address(), sources, touchesStopped, status, detail);
    }
}

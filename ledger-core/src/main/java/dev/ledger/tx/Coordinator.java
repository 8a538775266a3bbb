package dev.ledger.tx;

import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.internal.ThreadPerTask;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves money atomically across several {@link Participant}s by two-phase commit. It does not care about
 * transport: participants may be local banks or network proxies.
 *
 * <p>For each transfer it
 * <ol>
 *   <li>assigns a unique transaction id, {@code <name>-<random>-<sequence>};</li>
 *   <li>sends every prepare in parallel and waits for the votes until the prepare deadline;</li>
 *   <li>decides COMMIT only if every vote is COMMIT before the deadline;</li>
 *   <li>records COMMIT in its {@link DecisionLog} before it sends any commit (aborts need no record: no record
 *       means abort);</li>
 *   <li>sends commit or abort in parallel, and retries a commit, with capped exponential backoff, until that
 *       participant acknowledges it.</li>
 * </ol>
 * {@link #status(String)} answers from the log. Answering "aborted" for an undecided transaction records the
 * abort first, so a transaction reported aborted can never commit afterwards.
 *
 * <p>Concurrency: the log decides races between a decision and a status query (first record wins). Prepares,
 * commits and aborts run on a thread-per-task executor (virtual threads where available); commit retries run on
 * one scheduler thread. The coordinator holds no lock while it waits for participants.
 */
public final class Coordinator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Coordinator.class.getName());

    private final String name;
    private final DecisionLog log;
    private final Duration prepareTimeout;
    private final Duration holdTimeout;
    private final Duration retryDelay;
    private final Duration maxRetryDelay;
    private final ExecutorService calls;
    private final ScheduledExecutorService retries;
    private final String idPrefix;
    private final AtomicLong sequence = new AtomicLong();

    private Coordinator(Builder builder) {
        this.name = builder.name;
        this.log = builder.log;
        this.prepareTimeout = builder.prepareTimeout;
        this.holdTimeout = builder.holdTimeout;
        this.retryDelay = builder.retryDelay;
        this.maxRetryDelay = builder.maxRetryDelay;
        this.calls = ThreadPerTask.newExecutor("ledger-2pc-" + name);
        this.retries = Executors.newSingleThreadScheduledExecutor(ThreadPerTask.daemonThreads("ledger-2pc-retry"));
        this.idPrefix = name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "-";
    }

    /** {@return a builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the coordinator's name, the prefix of its transaction ids} */
    public String name() {
        return name;
    }

    /**
     * Runs one distributed transfer.
     *
     * @param legs every participant's legs; the signed amounts of all legs must sum to zero, so money is moved,
     *     never made
     * @return committed, or aborted with the reason and the participant that caused it
     * @throws LedgerException {@code INVALID_REQUEST} if there are no legs or they do not sum to zero
     */
    public TransferResult transfer(Map<? extends Participant, List<Leg>> legs) {
        Map<Participant, List<Leg>> plan = checkedPlan(legs);
        String txId = idPrefix + sequence.incrementAndGet();
        long deadline = System.nanoTime() + prepareTimeout.toNanos();

        Map<Participant, CompletableFuture<Vote>> votes = new LinkedHashMap<>();
        plan.forEach((participant, participantLegs) -> votes.put(participant,
                CompletableFuture.supplyAsync(() -> participant.prepare(txId, participantLegs, holdTimeout), calls)));

        Refusal refusal = firstRefusal(votes, deadline);
        if (refusal == null && log.decide(txId, TxState.COMMITTED) == TxState.COMMITTED) {
            return new TransferResult(txId, TxState.COMMITTED, null, null, "committed", commitAll(txId, plan));
        }
        if (refusal == null) {
            refusal = new Refusal(AbortReason.TIMEOUT, name, "the decision was taken as abort: "
                    + "a participant asked for it before the votes were in");
        }
        return new TransferResult(txId, TxState.ABORTED, refusal.reason, refusal.participant, refusal.message,
                abortAll(txId, plan));
    }

    /**
     * Returns the decision for a transaction, from the log. Presumed abort: with no record, it records and
     * returns {@link TxState#ABORTED}, so the transaction can never commit afterwards.
     *
     * @param txId the transaction
     * @return {@link TxState#COMMITTED} or {@link TxState#ABORTED}
     */
    public TxState status(String txId) {
        return log.decision(txId).orElseGet(() -> log.decide(txId, TxState.ABORTED));
    }

    /** {@return a resolver that asks this coordinator, for participants in the same process} */
    public DecisionResolver resolver() {
        return this::status;
    }

    /** Stops the coordinator's threads; commits still being retried are abandoned to the participants' resolvers. */
    @Override
    public void close() {
        retries.shutdownNow();
        calls.shutdownNow();
    }

    /**
     * Waits until every vote is COMMIT, any vote refuses, or the deadline passes, whichever comes first, and
     * returns the abort that the first refusing participant (in plan order) caused, or null if all voted COMMIT.
     */
    private Refusal firstRefusal(Map<Participant, CompletableFuture<Vote>> votes, long deadline) {
        CompletableFuture<Void> refused = new CompletableFuture<>();
        votes.values().forEach(vote -> vote.whenComplete((v, failure) -> {
            if (failure != null || !v.commit()) {
                refused.complete(null);
            }
        }));
        CompletableFuture<Void> all = CompletableFuture.allOf(votes.values().toArray(CompletableFuture[]::new));
        try {
            CompletableFuture.anyOf(all, refused).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException expected) {
            // examined vote by vote below
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        Refusal late = null;
        for (Map.Entry<Participant, CompletableFuture<Vote>> entry : votes.entrySet()) {
            String who = entry.getKey().name();
            CompletableFuture<Vote> vote = entry.getValue();
            if (!vote.isDone()) {
                if (late == null) {
                    late = new Refusal(AbortReason.TIMEOUT, who,
                            who + " timed out after " + prepareTimeout.toMillis() + " ms");
                }
                continue;
            }
            try {
                Vote v = vote.join();
                if (!v.commit()) {
                    String where = v.reason() == AbortReason.INSUFFICIENT_FUNDS ? "insufficient funds at " : "refused by ";
                    return new Refusal(v.reason(), who, where + who + ": " + v.message());
                }
            } catch (RuntimeException failed) {
                Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
                return new Refusal(AbortReason.UNREACHABLE, who, who + " unreachable: " + describe(cause));
            }
        }
        return late;
    }

    /** Why a transfer aborts, before it has a result. */
    private record Refusal(AbortReason reason, String participant, String message) {
    }

    private CompletableFuture<Void> commitAll(String txId, Map<Participant, List<Leg>> plan) {
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (Participant participant : plan.keySet()) {
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            calls.execute(() -> deliverCommit(participant, txId, ack, 0));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private void deliverCommit(Participant participant, String txId, CompletableFuture<Void> ack, int attempt) {
        try {
            participant.commit(txId);
            ack.complete(null);
        } catch (LedgerException definitive) {
            // The participant answered, and its answer contradicts the logged decision: retrying cannot help.
            LOG.log(Level.ERROR, "{0} refused commit of {1}: {2}", participant.name(), txId, definitive.getMessage());
            ack.completeExceptionally(definitive);
        } catch (RuntimeException unreachable) {
            long delay = Math.min(maxRetryDelay.toNanos(), retryDelay.toNanos() << Math.min(attempt, 20));
            LOG.log(Level.DEBUG, "commit of {0} to {1} failed ({2}); retrying", txId, participant.name(),
                    describe(unreachable));
            try {
                retries.schedule(() -> calls.execute(() -> deliverCommit(participant, txId, ack, attempt + 1)),
                        delay, TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                ack.completeExceptionally(unreachable);
            }
        }
    }

    /** Sends abort to every participant once; completes when each has answered or failed. */
    private CompletableFuture<Void> abortAll(String txId, Map<Participant, List<Leg>> plan) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (Participant participant : plan.keySet()) {
            sent.add(CompletableFuture.runAsync(() -> abortQuietly(participant, txId), calls));
        }
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
    }

    private static void abortQuietly(Participant participant, String txId) {
        try {
            participant.abort(txId);
        } catch (RuntimeException e) {
            // Presumed abort: a participant that missed this learns it from status() when it asks.
            LOG.log(Level.DEBUG, "abort of {0} at {1} not delivered: {2}", txId, participant.name(), describe(e));
        }
    }

    private static Map<Participant, List<Leg>> checkedPlan(Map<? extends Participant, List<Leg>> legs) {
        if (legs == null || legs.isEmpty()) {
            throw new LedgerException(ErrorCode.INVALID_REQUEST, "a distributed transfer needs legs");
        }
        Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
        long sum = 0;
        for (Map.Entry<? extends Participant, List<Leg>> entry : legs.entrySet()) {
            List<Leg> participantLegs = List.copyOf(entry.getValue());
            if (participantLegs.isEmpty()) {
                throw new LedgerException(ErrorCode.INVALID_REQUEST, "no legs for " + entry.getKey().name());
            }
            for (Leg leg : participantLegs) {
                try {
                    sum = Math.addExact(sum, leg.amount());
                } catch (ArithmeticException overflow) {
                    throw new LedgerException(ErrorCode.OVERFLOW, "the legs' amounts overflow a long");
                }
            }
            plan.put(Objects.requireNonNull(entry.getKey(), "participant"), participantLegs);
        }
        if (sum != 0) {
            throw new LedgerException(ErrorCode.INVALID_REQUEST,
                    "the legs must sum to zero (money is moved, not made), but they sum to " + sum);
        }
        return plan;
    }

    private static String describe(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause(); // the root cause says what happened; wrappers only repeat it
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Builds a {@link Coordinator}. */
    public static final class Builder {
        private String name = "coordinator";
        private DecisionLog log = new InMemoryDecisionLog();
        private Duration prepareTimeout = Duration.ofSeconds(5);
        private Duration holdTimeout = Duration.ofSeconds(30);
        private Duration retryDelay = Duration.ofMillis(50);
        private Duration maxRetryDelay = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * Names the coordinator; its transaction ids start with the name.
         *
         * @param name a name without spaces, such as the bank's
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isEmpty() || name.chars().anyMatch(c -> c <= ' ')) {
                throw new IllegalArgumentException("a coordinator name is non-empty and has no spaces: '" + name + "'");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets where decisions are recorded; by default a new {@link InMemoryDecisionLog}.
         *
         * @param log the decision log
         * @return this builder
         */
        public Builder decisionLog(DecisionLog log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Sets how long to wait for all votes; a participant that has not voted by then aborts the transfer.
         *
         * @param timeout the deadline, from the start of the transfer; default 5 s
         * @return this builder
         */
        public Builder prepareTimeout(Duration timeout) {
            this.prepareTimeout = positive(timeout, "prepare timeout");
            return this;
        }

        /**
         * Sets how long participants hold a prepared transaction before they consider it in doubt and ask for the
         * decision.
         *
         * @param timeout the hold timeout sent with every prepare; default 30 s
         * @return this builder
         */
        public Builder holdTimeout(Duration timeout) {
            this.holdTimeout = Objects.requireNonNull(timeout, "hold timeout");
            return this;
        }

        /**
         * Sets the first delay between commit retries; it doubles on each failure up to the maximum.
         *
         * @param first the first delay; default 50 ms
         * @param max the longest delay; default 5 s
         * @return this builder
         */
        public Builder retryDelay(Duration first, Duration max) {
            this.retryDelay = positive(first, "retry delay");
            this.maxRetryDelay = positive(max, "maximum retry delay");
            return this;
        }

        /** {@return the coordinator; {@link #close()} it when done} */
        public Coordinator build() {
            return new Coordinator(this);
        }

        private static Duration positive(Duration duration, String what) {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + duration);
            }
            return duration;
        }
    }
}

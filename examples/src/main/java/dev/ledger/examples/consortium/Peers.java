package dev.ledger.examples.consortium;

import dev.ledger.examples.consortium.Consortium.Member;
import dev.ledger.net.RemoteParticipant;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TxState;
import dev.ledger.tx.Vote;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The other banks of the consortium, as one bank reaches them: a {@link RemoteParticipant} each for two-phase
 * commit, a {@link PeerLink} each for the other peer commands, and a way to ask several at once within a deadline.
 *
 * <p>Concurrency: the maps are filled in the constructor and never change; links and participants are
 * thread-safe. Parallel questions run on a cached pool of daemon threads, each bounded by the links' timeouts.
 */
final class Peers implements AutoCloseable {
    /**
     * What one bank answered, or why it did not: an {@link UncheckedIOException} if it could not be reached or did
     * not answer in time, or the error it answered.
     */
    record Answer<T>(T value, RuntimeException failure) {
        boolean answered() {
            return failure == null;
        }
    }

    private final Duration timeout;
    private final Map<String, PeerLink> links = new LinkedHashMap<>();
    private final Map<String, RemoteParticipant> remotes = new LinkedHashMap<>();
    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final ExecutorService questions;

    Peers(Consortium consortium, String self, String secret, Duration timeout) {
        this.timeout = timeout;
        for (Member member : consortium.members()) {
            if (!member.name().equals(self)) {
                links.put(member.name(), new PeerLink(member, secret, timeout));
                RemoteParticipant remote = new RemoteParticipant(member.name(),
                        PeerLink.connectionTo(member, secret, timeout));
                remotes.put(member.name(), remote);
                participants.put(member.name(), new Reconnecting(remote));
            }
        }
        this.questions = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "consortium-" + self + "-peers");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@return the two-phase-commit participant for another bank} */
    Participant participant(String bank) {
        return require(participants.get(bank), bank);
    }

    /** {@return the link to another bank} */
    PeerLink link(String bank) {
        return require(links.get(bank), bank);
    }

    /**
     * Asks several banks at once and waits for all answers, at most the timeout of one call between banks (twice,
     * for a retried call) plus a margin.
     *
     * @param banks the banks, other than this one
     * @param question what to ask each
     * @param <T> the answer's type
     * @return each bank's answer or failure, in the order given
     */
    <T> Map<String, Answer<T>> askEach(List<String> banks, Function<PeerLink, T> question) {
        Map<String, CompletableFuture<T>> pending = new LinkedHashMap<>();
        for (String bank : banks) {
            PeerLink link = link(bank);
            pending.put(bank, CompletableFuture.supplyAsync(() -> question.apply(link), questions));
        }
        long deadline = System.nanoTime() + 2 * timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        Map<String, Answer<T>> answers = new LinkedHashMap<>();
        pending.forEach((bank, future) -> answers.put(bank, await(bank, future, deadline)));
        return answers;
    }

    private <T> Answer<T> await(String bank, CompletableFuture<T> future, long deadline) {
        try {
            return new Answer<>(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            return new Answer<>(null, cause instanceof RuntimeException ? (RuntimeException) cause
                    : new IllegalStateException(cause));
        } catch (TimeoutException late) {
            SocketTimeoutException silence = new SocketTimeoutException(bank + " did not answer in time");
            return new Answer<>(null, new UncheckedIOException(silence.getMessage(), silence));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Answer<>(null, new IllegalStateException("interrupted while waiting for " + bank));
        }
    }

    /**
     * Says why another bank did not answer, for a person: unreachable, or refusing this bank's consortium secret
     * (ledger-net answers a wrong {@code AUTH} with {@code -ERR invalid password}), which is also logged.
     *
     * @param self this bank's name
     * @param bank the other bank
     * @param failure what the call to it threw
     * @return one sentence
     */
    static String describe(String self, String bank, RuntimeException failure) {
        if (rejectsSecret(failure)) {
            SecurityLog.peerRejectedSecret(self, bank);
            return "bank " + bank + " does not accept the consortium secret of bank " + self
                    + ": the banks' secrets differ";
        }
        if (failure instanceof UncheckedIOException) {
            String why = "bank " + bank + " unreachable: " + Texts.rootMessage(failure);
            SecurityLog.peerUnreachable(self, why);
            return why;
        }
        return "bank " + bank + " failed: " + Texts.rootMessage(failure);
    }

    /** {@return whether a failure, or one of its causes, is a peer's refusal of the consortium secret} */
    static boolean rejectsSecret(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (rejectsSecret(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** {@return whether a failure's message is a peer's refusal of the consortium secret} */
    static boolean rejectsSecret(String message) {
        return message != null && message.contains("ERR invalid password");
    }

    private static <T> T require(T peer, String bank) {
        if (peer == null) {
            throw new IllegalArgumentException("'" + bank + "' is not another bank of the consortium");
        }
        return peer;
    }

    @Override
    public void close() {
        questions.shutdownNow();
        links.values().forEach(PeerLink::close);
        remotes.values().forEach(RemoteParticipant::close);
    }

    /**
     * A {@link RemoteParticipant} whose calls are tried once more after a lost connection (every participant call
     * is idempotent), so a peer that restarted since the last call is reached rather than reported unreachable.
     */
    private static final class Reconnecting implements Participant {
        private final RemoteParticipant remote;

        Reconnecting(RemoteParticipant remote) {
            this.remote = remote;
        }

        @Override
        public String name() {
            return remote.name();
        }

        @Override
        public Vote prepare(String txId, List<Leg> legs, Duration holdTimeout) {
            return PeerLink.onceMore(() -> remote.prepare(txId, legs, holdTimeout));
        }

        @Override
        public TxState commit(String txId) {
            return PeerLink.onceMore(() -> remote.commit(txId));
        }

        @Override
        public TxState abort(String txId) {
            return PeerLink.onceMore(() -> remote.abort(txId));
        }

        @Override
        public TxState status(String txId) {
            return PeerLink.onceMore(() -> remote.status(txId));
        }
    }
}

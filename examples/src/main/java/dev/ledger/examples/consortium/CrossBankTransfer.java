package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.examples.consortium.Peers.Answer;
import dev.ledger.net.Call;
import dev.ledger.net.ServerErrorException;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TransferResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cross-bank transfer: pays the sum of the amounts into one account, taking each amount from its source, across
 * banks, all or nothing. The bank that receives the request coordinates it with the core {@link Coordinator}:
 * itself as a local participant, the other banks through {@link dev.ledger.net.RemoteParticipant}s.
 *
 * <p>Steps, once {@link CustomerService} has checked the input (nothing is sent before it is all good): check that
 * the logged-in owner owns every source, here in the {@link AccountBook} and at other banks with
 * {@code CHECKOWNER}, asked in parallel; then two-phase commit. Owners of an account never change, so the check
 * cannot go stale before the prepare.
 *
 * <p>Concurrency: thread-safe. Its collaborators are; {@code unsettled} is a concurrent set of the transfers whose
 * participants have not all acknowledged the decision yet, each removed by its own completion.
 */
final class CrossBankTransfer {
    /** An account at a bank of the consortium, written {@code bank/account}. */
    record Address(String bank, String account) {
        @Override
        public String toString() {
            return bank + "/" + account;
        }
    }

    /** One source of a transfer. */
    record Source(Address from, long amount) {
    }

    private final String self;
    private final Bank bank;
    private final AccountBook book;
    private final Peers peers;
    private final Coordinator coordinator;
    private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();

    CrossBankTransfer(String self, Bank bank, AccountBook book, Peers peers, Coordinator coordinator) {
        this.self = self;
        this.bank = bank;
        this.book = book;
        this.peers = peers;
        this.coordinator = coordinator;
    }

    /**
     * Runs a checked transfer.
     *
     * @param owner the logged-in owner
     * @param to the destination
     * @param sources the sources, none twice, none the destination, their sum within a long
     * @return the committed transaction's id
     * @throws Refusal why nothing moved: {@code FORBIDDEN} (a source not the owner's), {@code UNAVAILABLE} (a bank
     *     did not answer), {@code INSUFFICIENT_FUNDS}, {@code NOT_FOUND} (no such destination account) or
     *     {@code REFUSED} (a bank refused for another reason, such as an account that cannot take that much)
     */
    String transfer(String owner, Address to, List<Source> sources) {
        checkOwnership(owner, sources);
        TransferResult result = coordinator.transfer(plan(to, sources));
        track(result.settled());
        if (result.committed()) {
            return result.txId();
        }
        throw switch (result.reason()) {
            case UNREACHABLE, TIMEOUT -> unreachable(result.participant(), result.message());
            case INSUFFICIENT_FUNDS -> new Refusal(Refusal.Reason.INSUFFICIENT_FUNDS, result.message());
            case UNKNOWN_ACCOUNT -> new Refusal(Refusal.Reason.NOT_FOUND, result.message());
            case INVALID, ALREADY_ABORTED -> new Refusal(Refusal.Reason.REFUSED, result.message());
        };
    }
    /**
     * Waits until every participant of the transfers coordinated so far has acknowledged their decision. A
     * participant that stays unreachable keeps its commit being retried, so this may time out.
     *
     * @param timeout how long at most
     * @return whether everything settled in time
     */
    boolean awaitSettled(Duration timeout) throws InterruptedException {
        try {
            CompletableFuture.allOf(unsettled.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException late) {
            return false;
        } catch (ExecutionException failed) {
            return true; // a participant refused the decision: the coordinator logged it; nothing left to wait for
        }
    }

    private void track(CompletableFuture<Void> settled) {
        unsettled.add(settled);
        settled.whenComplete((done, failure) -> unsettled.remove(settled));
    }

    /** Checks local sources here, then asks each other bank about its sources, all at once. */
    private void checkOwnership(String owner, List<Source> sources) {
        Map<String, List<String>> remote = new LinkedHashMap<>();
        for (Source source : sources) {
            Address from = source.from();
            if (from.bank().equals(self)) {
                if (!book.owns(owner, from.account())) {
                    throw new Refusal(Refusal.Reason.FORBIDDEN, from + " is not an account of yours");
                }
            } else {
                remote.computeIfAbsent(from.bank(), unused -> new ArrayList<>()).add(from.account());
            }
        }
        Map<String, Answer<Object>> answers = peers.askEach(List.copyOf(remote.keySet()), link -> {
            List<String> command = new ArrayList<>(List.of("CHECKOWNER", owner));
            command.addAll(remote.get(link.name()));
            return link.call(Call.raw(command.toArray(String[]::new)));
        });
        answers.forEach((bankName, answer) -> {
            if (answer.answered()) {
                return;
            }
            RuntimeException failure = answer.failure();
            if (failure instanceof ServerErrorException denied && denied.kind().equals("DENIED")) {
                throw new Refusal(Refusal.Reason.FORBIDDEN, denied.detail());
            }
            throw new Refusal(Refusal.Reason.UNAVAILABLE, Peers.describe(self, bankName, failure) + "; nothing moved");
        });
    }

    /** Groups the legs by bank: the credit first, then the debits in the order given. */
    private Map<Participant, List<Leg>> plan(Address to, List<Source> sources) {
        Map<String, List<Leg>> byBank = new LinkedHashMap<>();
        long total = sources.stream().mapToLong(Source::amount).sum();
        byBank.computeIfAbsent(to.bank(), unused -> new ArrayList<>()).add(Leg.credit(to.account(), total));
        for (Source source : sources) {
            byBank.computeIfAbsent(source.from().bank(), unused -> new ArrayList<>())
                    .add(Leg.debit(source.from().account(), source.amount()));
        }
        Map<Participant, List<Leg>> plan = new LinkedHashMap<>();
        byBank.forEach((bankName, legs) -> plan.put(bankName.equals(self) ? bank : peers.participant(bankName), legs));
        return plan;
    }

    /** The coordinator's message names the participant and the cause, a wrong consortium secret included. */
    private Refusal unreachable(String bankName, String message) {
        String why = Peers.rejectsSecret(message) ? "bank " + bankName + " does not accept the consortium secret of "
                + "bank " + self + ": the banks' secrets differ" : "bank " + bankName + " unreachable";
        SecurityLog.peerUnreachable(self, why + " (" + message + ")");
        return new Refusal(Refusal.Reason.UNAVAILABLE, why + "; nothing moved");
    }
}

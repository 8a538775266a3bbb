package dev.ledger.examples.consortium;

import dev.ledger.Bank;
import dev.ledger.examples.consortium.Peers.Answer;
import dev.ledger.net.Call;
import dev.ledger.net.CommandException;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import dev.ledger.net.ServerErrorException;
import dev.ledger.tx.AbortReason;
import dev.ledger.tx.Coordinator;
import dev.ledger.tx.Leg;
import dev.ledger.tx.Participant;
import dev.ledger.tx.TransferResult;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * {@code XTRANSFER <to-bank>/<to-account> <from-bank>/<from-account> <amount> [<from-bank>/<from-account> <amount>
 * ...]}: pays the sum of the amounts into one account, taking each amount from its source, across banks, all or
 * nothing. The bank that receives the command coordinates it with the core {@link Coordinator}: itself as a local
 * participant, the other banks through {@link dev.ledger.net.RemoteParticipant}s.
 *
 * <p>Steps: check the arguments (nothing is sent before they are all good); check that the logged-in owner owns
 * every source, here in the {@link AccountBook} and at other banks with {@code CHECKOWNER}, asked in parallel;
 * then two-phase commit. Owners of an account never change, so the check cannot go stale before the prepare.
 *
 * <p>Replies: {@code +OK <txid>}; {@code -FAILED bank <name> unreachable} if a bank did not answer (nothing moved);
 * {@code -FAILED insufficient funds at ...} or {@code -FAILED refused by ...} when a bank voted ABORT;
 * {@code -DENIED} for a source the owner does not own; {@code -ERR} for malformed arguments.
 *
 * <p>Concurrency: thread-safe. Its collaborators are; {@code unsettled} is a concurrent set of the transfers whose
 * participants have not all acknowledged the decision yet, each removed by its own completion.
 */
final class CrossBankTransfer {
    /** Sources per transfer: enough for any person, few enough that one request stays small. */
    static final int MAX_SOURCES = 16;
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

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
    private final Consortium consortium;
    private final Bank bank;
    private final AccountBook book;
    private final Peers peers;
    private final Coordinator coordinator;
    private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();

    CrossBankTransfer(String self, Consortium consortium, Bank bank, AccountBook book, Peers peers,
            Coordinator coordinator) {
        this.self = self;
        this.consortium = consortium;
        this.bank = bank;
        this.book = book;
        this.peers = peers;
        this.coordinator = coordinator;
    }

    void handle(Request request, Reply reply, String owner) {
        request.requireArguments(3, 1 + 2 * MAX_SOURCES);
        if (request.argumentCount() % 2 == 0) {
            throw new CommandException("XTRANSFER takes <to-bank>/<to-account>, then <from-bank>/<from-account> "
                    + "<amount> pairs, at most " + MAX_SOURCES);
        }
        Address to = address(request.argument(0));
        List<Source> sources = sources(request, to);
        checkOwnership(owner, sources);
        TransferResult result = coordinator.transfer(plan(to, sources));
        track(result.settled());
        if (result.committed()) {
            reply.simple("OK " + result.txId());
        } else if (result.reason() == AbortReason.UNREACHABLE || result.reason() == AbortReason.TIMEOUT) {
            throw unreachable(result.participant());
        } else {
            throw new CommandException("FAILED", result.message());
        }
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

    private List<Source> sources(Request request, Address to) {
        List<Source> sources = new ArrayList<>();
        Set<Address> seen = new HashSet<>(Set.of(to));
        long total = 0;
        for (int i = 1; i < request.argumentCount(); i += 2) {
            Address from = address(request.argument(i));
            long amount = request.longArgument(i + 1, "amount");
            if (amount <= 0) {
                throw new CommandException("amount must be positive, got " + amount + " for " + from);
            }
            if (!seen.add(from)) {
                throw new CommandException(from.equals(to) ? "cannot pay " + to + " from itself"
                        : from + " is named twice as a source");
            }
            if (total > Long.MAX_VALUE - amount) {
                throw new CommandException("the amounts' sum overflows a long");
            }
            total += amount;
            sources.add(new Source(from, amount));
        }
        return sources;
    }

    private Address address(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new CommandException("expected <bank>/<account>, got '" + Texts.shorten(text) + "'");
        }
        String bankName = text.substring(0, slash);
        String account = text.substring(slash + 1);
        if (consortium.find(bankName).isEmpty()) {
            throw new CommandException("unknown bank '" + Texts.shorten(bankName) + "'; the consortium is "
                    + consortium);
        }
        if (!ACCOUNT.matcher(account).matches()) {
            throw new CommandException("an account id is 1 to 64 characters of [A-Za-z0-9_.-], got '"
                    + Texts.shorten(account) + "'");
        }
        return new Address(bankName, account);
    }

    /** Checks local sources here, then asks each other bank about its sources, all at once. */
    private void checkOwnership(String owner, List<Source> sources) {
        Map<String, List<String>> remote = new LinkedHashMap<>();
        for (Source source : sources) {
            Address from = source.from();
            if (from.bank().equals(self)) {
                if (!book.owns(owner, from.account())) {
                    throw new CommandException("DENIED", from + " is not an account of yours");
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
            if (failure instanceof ServerErrorException && ((ServerErrorException) failure).kind().equals("DENIED")) {
                throw new CommandException("DENIED", ((ServerErrorException) failure).detail());
            }
            if (failure instanceof UncheckedIOException) {
                throw unreachable(bankName);
            }
            throw new CommandException("FAILED", "bank " + bankName + " refused: " + failure.getMessage());
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

    private static CommandException unreachable(String bankName) {
        return new CommandException("FAILED", "bank " + bankName + " unreachable");
    }
}

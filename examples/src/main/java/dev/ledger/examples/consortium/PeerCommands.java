package dev.ledger.examples.consortium;

import static dev.ledger.examples.consortium.Roles.peersOnly;

import dev.ledger.Account;
import dev.ledger.Bank;
import dev.ledger.ErrorCode;
import dev.ledger.LedgerException;
import dev.ledger.Position;
import dev.ledger.net.BankServer;
import dev.ledger.net.CommandException;
import dev.ledger.net.CommandHandler;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import dev.ledger.tx.Coordinator;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The commands banks send each other, all behind {@code AUTH <consortium secret>}:
 * <ul>
 *   <li>the two-phase-commit participant, {@code PREPARE}, {@code COMMIT}, {@code ABORT}, {@code TXSTATUS} and
 *       {@code INDOUBT} and {@code PREPARED}, with ledger-net's wire format, so a {@link dev.ledger.net.RemoteParticipant} drives them;
 *   <li>{@code DECISION txid}: this bank's decision as a coordinator, from its decision log (presumed abort), for
 *       participants holding one of its transactions in doubt;
 *   <li>{@code CHECKOWNER tax-id account...}: {@code +OK} if the owner owns every account, else {@code -DENIED};
 *   <li>{@code HOLDINGS tax-id}: the owner's accounts here;
 *   <li>{@code AUDIT}: {@code [total, held, incoming, in doubt]}, for the operator who holds the secret.
 * </ul>
 * ledger-net's own participant commands (PREPARE, COMMIT, ABORT, TXSTATUS, INDOUBT, PREPARED) serve peers, wrapped so that
 * only a connection authenticated as a peer reaches them.
 *
 * <p>Stateless apart from its collaborators, which are thread-safe: one instance serves every connection.
 */
final class PeerCommands {
    private final String bankName;
    private final Bank bank;
    private final AccountBook book;
    private final Coordinator coordinator;
    private final byte[] secretDigest;

    PeerCommands(String bankName, Bank bank, AccountBook book, Coordinator coordinator, String secret) {
        this.bankName = bankName;
        this.bank = bank;
        this.book = book;
        this.coordinator = coordinator;
        this.secretDigest = digest(secret.getBytes(StandardCharsets.UTF_8));
    }

    void register(BankServer.Builder server) {
        server.command("AUTH", this::auth)
                .wrap("HELLO", this::helloAuth)
                .wrap("PREPARE", Roles::peersOnly) // ledger-net's participant commands, for peers only
                .wrap("COMMIT", Roles::peersOnly)
                .wrap("ABORT", Roles::peersOnly)
                .wrap("TXSTATUS", Roles::peersOnly)
                .wrap("INDOUBT", Roles::peersOnly)
                .wrap("PREPARED", Roles::peersOnly)
                .command("DECISION", peersOnly(this::decision))
                .command("CHECKOWNER", peersOnly(this::checkOwner))
                .command("HOLDINGS", peersOnly(this::holdings))
                .command("AUDIT", peersOnly(this::audit));
    }

    /**
     * {@code AUTH secret}, or {@code AUTH default secret} as Redis 6 clients send it with a user. Compares digests,
     * so the comparison takes the same time whatever the length or content of the guess.
     */
    private void auth(Request request, Reply reply) {
        request.requireArguments(1, 2);
        if (request.argumentCount() == 2) {
            admitPeer(request, request.argument(0), request.argumentBytes(1));
        } else if (!isSecret(request.argumentBytes(0))) {
            wrongSecret(request);
            throw new CommandException("invalid password");
        }
        Roles.admitPeer(request.session());
        reply.ok();
    }

    /**
     * {@code HELLO protover AUTH default secret}: Redis 6 clients given a password send it this way, so the secret
     * admits a peer here as AUTH does; then ledger-net's HELLO switches the protocol (the server has no password of
     * its own, so its AUTH option accepts any).
     */
    private CommandHandler helloAuth(CommandHandler hello) {
        return (request, reply) -> {
            for (int i = 1; i + 2 < request.argumentCount(); i++) {
                if (request.argument(i).equalsIgnoreCase("AUTH")) {
                    admitPeer(request, request.argument(i + 1), request.argumentBytes(i + 2));
                    break;
                }
            }
            hello.handle(request, reply);
        };
    }

    /** Admits a peer that sent the user {@code default} and the secret; refuses anything else, as Redis does. */
    private void admitPeer(Request request, String user, byte[] secret) {
        if (!user.equals("default") || !isSecret(secret)) {
            wrongSecret(request);
            throw new CommandException("WRONGPASS", "invalid username-password pair or user is disabled.");
        }
        Roles.admitPeer(request.session());
    }

    private boolean isSecret(byte[] guess) {
        return MessageDigest.isEqual(secretDigest, digest(guess));
    }

    private void wrongSecret(Request request) {
        InetSocketAddress client = request.session().remoteAddress();
        SecurityLog.wrongPeerSecret(bankName, client.getAddress() != null ? client.getAddress().getHostAddress()
                : client.getHostString());
    }

    /** {@code DECISION txid}: {@code +COMMITTED} or {@code +ABORTED}; asking about an undecided one aborts it. */
    private void decision(Request request, Reply reply) {
        request.requireArguments(1, 1);
        String txId = request.argument(0);
        if (!txId.startsWith(bankName + "-") || txId.length() > 128) {
            throw new CommandException("'" + Texts.shorten(txId) + "' is not a transaction coordinated by "
                    + bankName);
        }
        reply.simple(coordinator.status(txId).name());
    }

    private void checkOwner(Request request, Reply reply) {
        request.requireArguments(2, Integer.MAX_VALUE);
        String owner = taxId(request.argument(0));
        for (int i = 1; i < request.argumentCount(); i++) {
            String account = request.argument(i);
            if (!book.owns(owner, account)) {
                throw new CommandException("DENIED", bankName + "/" + Texts.shorten(account)
                        + " is not an account of yours");
            }
        }
        reply.ok();
    }

    private void holdings(Request request, Reply reply) {
        request.requireArguments(1, 1);
        AccountView.writeAll(book.holdings(taxId(request.argument(0))), reply);
    }

    private static String taxId(String text) {
        if (!TaxId.isWellFormed(text)) {
            throw new CommandException("a peer names an owner by 11 digits, got '" + Texts.shorten(text) + "'");
        }
        return text;
    }

    /**
     * {@code AUDIT}: the bank's total at one instant, then the money held and promised by prepared transactions
     * (summed account by account, so exact only when no transfer runs) and the number in doubt. Each sum may pass a
     * long, though no balance does: such a sum is refused with {@code OVERFLOW} rather than wrapped.
     */
    private void audit(Request request, Reply reply) {
        request.requireArguments(0, 0);
        long total = integer(bank.totalExact(), "total money");
        BigInteger held = BigInteger.ZERO;
        BigInteger incoming = BigInteger.ZERO;
        for (Account account : bank.accounts()) {
            Position position = bank.position(account);
            held = held.add(BigInteger.valueOf(position.held()));
            incoming = incoming.add(BigInteger.valueOf(position.incoming()));
        }
        long heldReply = integer(held, "held money");
        long incomingReply = integer(incoming, "incoming money");
        reply.array(4);
        reply.integer(total);
        reply.integer(heldReply);
        reply.integer(incomingReply);
        reply.integer(bank.inDoubt().size());
    }

    /** {@return a sum for an integer reply} Checked before the reply begins, so a refusal is the whole reply. */
    private static long integer(BigInteger sum, String what) {
        if (sum.bitLength() >= Long.SIZE) {
            throw new LedgerException(ErrorCode.OVERFLOW,
                    "the bank's " + what + ", " + sum + ", does not fit a 64-bit integer reply");
        }
        return sum.longValue();
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}

package dev.ledger.examples.consortium;

import dev.ledger.net.CommandException;
import dev.ledger.net.CommandHandler;
import dev.ledger.net.Reply;
import dev.ledger.net.Request;
import dev.ledger.net.Session;

/**
 * Who a connection speaks for, kept in its {@link Session}: a peer bank, once it has sent {@code AUTH} with the
 * consortium's secret, and an owner, once {@code LOGIN} has checked their tax id and password. The two are
 * independent: a customer's login never opens the peer commands, and the secret never logs anyone in.
 *
 * <p>Stateless; sessions are confined to their connection's thread.
 */
final class Roles {
    private static final String PEER = "consortium.peer";
    private static final String OWNER = "consortium.owner";

    private Roles() {
    }

    /** A command that needs a logged-in owner, who is passed to it. */
    @FunctionalInterface
    interface OwnerCommand {
        void handle(Request request, Reply reply, String owner);
    }

    /** {@return a handler that refuses, with {@code -NOAUTH}, connections that have not authenticated as a peer} */
    static CommandHandler peersOnly(CommandHandler command) {
        return (request, reply) -> {
            if (!Boolean.TRUE.equals(request.session().attributes().get(PEER))) {
                throw new CommandException("NOAUTH", "Authentication required.");
            }
            command.handle(request, reply);
        };
    }

    /** {@return a handler that refuses, with {@code -NOAUTH}, connections where no owner has logged in} */
    static CommandHandler ownersOnly(OwnerCommand command) {
        return (request, reply) -> {
            Object owner = request.session().attributes().get(OWNER);
            if (owner == null) {
                throw new CommandException("NOAUTH", "log in first: LOGIN <tax-id> <password>");
            }
            command.handle(request, reply, (String) owner);
        };
    }

    static void admitPeer(Session session) {
        session.attributes().put(PEER, Boolean.TRUE);
    }

    static void logIn(Session session, String taxId) {
        session.attributes().put(OWNER, taxId);
    }

    static void logOut(Session session) {
        session.attributes().remove(OWNER);
    }
}

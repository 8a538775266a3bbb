package dev.ledger.net.internal;

import dev.ledger.LedgerException;
import dev.ledger.net.CommandException;
import java.lang.System.Logger.Level;

/**
 * Runs a request's handler so that the request gets exactly one reply: a handler that fails has what it wrote
 * replaced by an error reply, chosen by what failed (the client's misuse, the bank's refusal, durability, a bug).
 * Records each run in its command's figures. One per connection.
 *
 * <p>Confined to the connection's serving thread, as its request, reply and output are.
 */
final class CommandRunner {
    private static final System.Logger LOG = System.getLogger(CommandRunner.class.getName());

    private final RequestView request;
    private final ReplyWriter reply;
    private final RespOutput output;
    private final Durability durability;
    /** The connection's number, for logs. */
    private final long connection;

    CommandRunner(RequestView request, ReplyWriter reply, RespOutput output, Durability durability, long connection) {
        this.request = request;
        this.reply = reply;
        this.output = output;
        this.durability = durability;
        this.connection = connection;
    }

    /**
     * Runs the command's handler on the current request and records it.
     *
     * @param entry the request's command
     * @param start when the command's time starts (nanoTime)
     * @return when it ended (nanoTime)
     */
    long run(CommandTable.Entry entry, long start) {
        reply.begin();
        long end = start;
        try {
            dispatch(entry);
        } finally {
            end = System.nanoTime();
            entry.stats().record(end - start, reply.errorReplied());
        }
        return end;
    }

    private void dispatch(CommandTable.Entry entry) {
        long mark = output.mark();
        try {
            entry.handler().handle(request, reply);
            if (!output.wroteSince(mark)) {
                throw new IllegalStateException("the handler of " + request.name() + " wrote no reply");
            }
        } catch (CommandException e) {
            reply.replaceSince(mark);
            output.error(e.kind(), e.getMessage());
        } catch (LedgerException e) {
            reply.replaceSince(mark);
            output.error("ERR", Errors.ledgerMessage(e));
        } catch (RuntimeException e) {
            ErrorReply notDurable = durability.failureReply(e);
            if (notDurable != null) {
                // Not the client's fault and not a bug: the operation could not be made durable.
                LOG.log(Level.ERROR, "command " + Text.printable(request.name()) + " on connection " + connection
                        + ": " + e.getMessage(), e);
                reply.replaceSince(mark);
                output.error(notDurable.kind(), notDurable.detail());
                return;
            }
            if (output.failed()) {
                throw e; // the socket failed under the reply: the connection is done
            }
            LOG.log(Level.WARNING, "command " + Text.printable(request.name()) + " failed on connection "
                    + connection, e);
            reply.replaceSince(mark);
            output.error("ERR", "internal error: " + e);
        }
    }
}

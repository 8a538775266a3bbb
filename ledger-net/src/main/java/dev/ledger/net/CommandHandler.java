package dev.ledger.net;

/**
 * A server command: registered by name with {@link BankServer.Builder#command(String, CommandHandler)}, it is
 * how an application adds commands to the server (or replaces a built-in one) without forking it.
 *
 * <pre>{@code
 * BankServer.builder(bank)
 *     .command("WHOAMI", (request, reply) -> {
 *         request.requireArguments(0, 0);
 *         Object user = request.session().attributes().get("user");
 *         if (user == null) {
 *             reply.nullBulk();
 *         } else {
 *             reply.bulk(user.toString());
 *         }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>A handler runs on the connection's own thread and writes exactly one reply. To refuse a request it may
 * instead throw {@link CommandException} (sent as that error) or {@link dev.ledger.LedgerException} (sent as
 * {@code -ERR message (CODE)}); whatever it had written is then discarded. Any other exception is logged and
 * answered {@code -ERR internal error}; the connection stays open.
 *
 * <p>Handlers are shared by all connections and called concurrently: keep per-connection state in the
 * {@link Session}.
 */
@FunctionalInterface
public interface CommandHandler {
    /**
     * Handles one request.
     *
     * @param request the command's arguments and the connection's session
     * @param reply where to write the reply
     */
    void handle(Request request, Reply reply);
}

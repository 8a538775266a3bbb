package dev.ledger.net.internal;

import dev.ledger.net.ConnectionListener;

/**
 * What every connection of one server shares. Immutable.
 *
 * @param commands the command table
 * @param password the password's UTF-8 bytes, or null if none is required
 * @param maxArguments the most arguments in one request, the command name included
 * @param maxArgumentBytes the longest argument, and the longest inline request
 * @param maxRequestBytes the largest request, and so the largest input buffer
 * @param idleTimeoutMillis how long a connection may send nothing; 0 for no limit
 * @param requestTimeoutMillis how long the rest of a request that has begun to arrive may take
 * @param listener told when connections open and close
 * @param durability makes the requests read together durable at once, before their replies leave
 * @param stats the server's figures, for INFO
 */
public record ConnectionSettings(CommandTable commands, byte[] password, int maxArguments, int maxArgumentBytes,
        int maxRequestBytes, int idleTimeoutMillis, int requestTimeoutMillis, ConnectionListener listener,
        Durability durability, ServerStats stats) {
}

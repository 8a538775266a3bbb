package dev.ledger.net.internal;

import java.util.function.Consumer;

/**
 * What a connection needs to know of durability, which the server supplies: no reply may acknowledge an operation
 * before it is durable. The requests a connection reads together form one {@link Batch}, made durable at once,
 * so that they cost one sync between them.
 *
 * <p>Implementations are shared by every connection, so they are thread-safe; a {@link Batch} is used by the
 * serving thread that opened it, only.
 */
public interface Durability {
    /**
     * Opens the batch of the requests about to be executed on this thread.
     *
     * @return the batch, to close on this thread
     */
    Batch open();

    /**
     * Returns the error reply for a command that failed because the operation could not be made durable: not the
     * client's fault and not a bug, so the server logs it and tells the client; or null if {@code failure} is not
     * such a failure.
     *
     * @param failure what a command handler threw
     * @return the error reply, or null
     */
    ErrorReply failureReply(RuntimeException failure);

    /** The operations of the requests read together. Used by the serving thread that opened it, only. */
    interface Batch {
        /** Returns once every operation so far is durable; the batch stays open. */
        void sync();

        /** Returns whether every operation so far is durable already: replying needs no sync. */
        boolean isDurable();

        /** Closes the batch, then returns once all its operations are durable. */
        void close();

        /**
         * Closes the batch without waiting: {@code whenDurable} runs once its operations are durable, on this
         * thread before this returns if they already are, else later on the thread that makes them so. It receives
         * null, or the failure that keeps them from being durable: then they must not be acknowledged. It must be
         * short and must not wait.
         *
         * @param whenDurable receives null, or the failure
         */
        void closeThen(Consumer<? super RuntimeException> whenDurable);
    }
}

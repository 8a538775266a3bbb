package dev.ledger.net;

/**
 * The result of one call queued on a {@link Pipeline}, available after {@link Pipeline#sync()}.
 *
 * <p>Concurrency: written once by the thread that syncs the pipeline; read it on that thread, or after handing it
 * over safely.
 *
 * @param <T> the result's type
 */
public final class Response<T> {
    private final Call<T> call;
    private boolean done;
    private T value;
    private RuntimeException failure;

    Response(Call<T> call) {
        this.call = call;
    }

    /**
     * Returns the call's result.
     *
     * @return the result
     * @throws IllegalStateException if the pipeline has not been synced
     * @throws RuntimeException what the call failed with: a {@link dev.ledger.LedgerException},
     *     {@link ServerErrorException}, {@link ProtocolViolationException}, or an
     *     {@link java.io.UncheckedIOException} if the connection failed before the reply arrived
     */
    public T get() {
        if (!done) {
            throw new IllegalStateException("no reply yet for " + call + ": sync the pipeline first");
        }
        if (failure != null) {
            throw failure;
        }
        return value;
    }

    /** Returns whether the reply (or the failure) is in. */
    public boolean isDone() {
        return done;
    }

    void complete(Object reply) {
        try {
            value = call.decode(reply);
        } catch (RuntimeException e) {
            failure = e;
        }
        done = true;
    }

    void fail(RuntimeException e) {
        failure = e;
        done = true;
    }
}

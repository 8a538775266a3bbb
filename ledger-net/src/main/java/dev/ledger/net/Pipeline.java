package dev.ledger.net;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of calls sent together: {@link #add} queues calls, {@link #sync()} writes them all in one go and reads
 * all the replies, so the batch costs about one round trip. The server runs the calls one after another, in order;
 * they are not atomic together.
 *
 * <pre>{@code
 * Pipeline pipeline = client.pipeline();
 * List<Response<Outcome>> outcomes = new ArrayList<>();
 * for (int i = 0; i < 100; i++) {
 *     outcomes.add(pipeline.add(Call.transfer("alice", "bob", 1)));
 * }
 * pipeline.sync();
 * outcomes.get(0).get(); // OK or INSUFFICIENT_FUNDS
 * }</pre>
 *
 * <p>An error reply fails only its own {@link Response}. A broken connection fails every response without a reply
 * and is thrown by {@code sync()}.
 *
 * <p>Not thread-safe: build and sync a pipeline on one thread. The client stays usable by other threads meanwhile,
 * and a sync holds the client only while it writes and reads.
 */
public final class Pipeline {
    private final BankClient client;
    private final List<Call<?>> calls = new ArrayList<>();
    private final List<Response<?>> responses = new ArrayList<>();

    Pipeline(BankClient client) {
        this.client = client;
    }

    /**
     * Queues a call.
     *
     * @param call the call
     * @param <T> its result's type
     * @return where its result will be, after {@link #sync()}
     */
    public <T> Response<T> add(Call<T> call) {
        Response<T> response = new Response<>(call);
        calls.add(call);
        responses.add(response);
        return response;
    }

    /** Returns the number of queued calls. */
    public int size() {
        return calls.size();
    }

    /**
     * Sends every queued call and reads every reply; the pipeline is then empty and can be reused.
     *
     * @throws java.io.UncheckedIOException if the connection failed; responses without a reply hold the failure
     */
    public void sync() {
        if (calls.isEmpty()) {
            return;
        }
        List<Call<?>> sent = List.copyOf(calls);
        List<Response<?>> waiting = List.copyOf(responses);
        calls.clear();
        responses.clear();
        client.exchange(sent, waiting);
    }
}

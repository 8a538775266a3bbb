package dev.ledger.net.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reply handed over leaves only once its batch is durable, from the thread that made it so; the serving thread
 * waits for it before writing anything else; a failure drops the connection instead of acknowledging.
 */
@Timeout(10)
class ReplyHandOverTest {
    private final ByteArrayOutputStream socket = new ByteArrayOutputStream();
    private final AtomicInteger drops = new AtomicInteger();
    private final ReplyHandOver handOver = new ReplyHandOver(socket, drops::incrementAndGet, "connection 1");
    private final Deferred batch = new Deferred();

    private static RespOutput pending(String simple) {
        RespOutput output = new RespOutput(OutputStream.nullOutputStream(), 64);
        output.simple(simple);
        return output;
    }

    private String sent() {
        synchronized (socket) {
            return socket.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void theReplyLeavesOnceTheBatchIsDurable() {
        RespOutput output = pending("OK");
        handOver.handOver(batch, output);

        assertThat(output.hasPending()).isFalse();
        assertThat(sent()).isEmpty();
        batch.durable(null);
        assertThat(sent()).isEqualTo("+OK\r\n");
        assertThat(drops).hasValue(0);
        assertThat(handOver.sendingSince()).isZero();
    }

    @Test
    void theServingThreadWaitsForTheReplyStillUnsent() throws InterruptedException {
        handOver.handOver(batch, pending("FIRST"));
        Thread serving = Thread.currentThread();
        Thread durable = new Thread(() -> {
            while (serving.getState() != Thread.State.WAITING) { // parked in await()
                Thread.onSpinWait();
            }
            batch.durable(null);
        });
        durable.setDaemon(true);
        durable.start();

        handOver.await();

        assertThat(sent()).isEqualTo("+FIRST\r\n");
        durable.join();
    }

    @Test
    void aFailedBatchDropsTheConnectionAndSendsNothing() {
        handOver.handOver(batch, pending("OK"));
        batch.durable(new IllegalStateException("the disk failed"));

        assertThat(sent()).isEmpty();
        assertThat(drops).hasValue(1);
        handOver.await(); // nothing in flight any more: returns at once
    }

    @Test
    void aReplyThatCannotBeWrittenDropsTheConnection() {
        ReplyHandOver broken = new ReplyHandOver(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("reset");
            }
        }, drops::incrementAndGet, "connection 2");
        broken.handOver(batch, pending("OK"));
        batch.durable(null);

        assertThat(drops).hasValue(1);
        broken.await();
    }

    @Test
    void aBlockedWriteShowsSinceWhenForTheWatchdog() throws InterruptedException {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ReplyHandOver blocked = new ReplyHandOver(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                writing.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, drops::incrementAndGet, "connection 3");
        long before = System.nanoTime();
        blocked.handOver(batch, pending("OK"));
        Thread durable = new Thread(() -> batch.durable(null));
        durable.start();

        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(blocked.sendingSince() - before).isGreaterThanOrEqualTo(0);
        assertThat(blocked.sendingSince()).isNotZero();
        release.countDown();
        blocked.await();
        durable.join();
        assertThat(blocked.sendingSince()).isZero();
        assertThat(blocked.lastSent() - before).isGreaterThanOrEqualTo(0);
    }

    /** A batch that needs a sync, made durable when the test says, as the journal's thread would. */
    private static final class Deferred implements Durability.Batch {
        private Consumer<? super RuntimeException> whenDurable;

        @Override
        public void sync() {
            throw new AssertionError("a handed-over batch is not synced by the serving thread");
        }

        @Override
        public boolean isDurable() {
            return false;
        }

        @Override
        public void close() {
            throw new AssertionError("a handed-over batch is closed with closeThen");
        }

        @Override
        public void closeThen(Consumer<? super RuntimeException> whenDurable) {
            this.whenDurable = whenDurable;
        }

        synchronized void durable(RuntimeException failure) {
            whenDurable.accept(failure);
        }
    }
}

package dev.seer.serving.log;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written replica that keeps what it is given: acknowledged at once when {@code autoAck},
 * otherwise when the test says so through the batch's future.
 */
final class FakeReplica implements BatchReplica {
    /** One batch handed over, and the future the log waits for. */
    record Sent(long batch, byte[] bytes, String sha256, CompletableFuture<Void> ack) {}

    private final OptionalLong last;
    private final boolean autoAck;
    private final BlockingQueue<Sent> unseen = new LinkedBlockingQueue<>();
    private final List<Sent> sent = new ArrayList<>();
    private volatile boolean closed;

    FakeReplica(OptionalLong last, boolean autoAck) {
        this.last = last;
        this.autoAck = autoAck;
    }

    @Override
    public synchronized CompletableFuture<Void> replicate(long batch, byte[] bytes, String sha256) {
        Sent s = new Sent(batch, bytes.clone(), sha256, new CompletableFuture<>());
        sent.add(s);
        unseen.add(s);
        if (autoAck) {
            s.ack.complete(null);
        }
        return s.ack;
    }

    @Override
    public OptionalLong lastReplicated() {
        return last;
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The next batch handed over, waiting for the log's writer thread to hand it. */
    Sent next() throws InterruptedException {
        Sent s = unseen.poll(30, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no batch was handed to the replica");
        }
        return s;
    }

    synchronized List<Long> batches() {
        return sent.stream().map(Sent::batch).toList();
    }

    synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    boolean closed() {
        return closed;
    }
}

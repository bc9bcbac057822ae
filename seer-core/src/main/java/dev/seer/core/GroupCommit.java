package dev.seer.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Group commit: callers put items on a bounded queue and get a future each; one thread takes
 * whatever has queued up (up to a batch weight), hands it to the handler as one batch (one
 * transaction, one disk sync) and completes the batch's futures with the handler's results. While
 * one batch commits the next gathers, so the commit's cost is paid per batch rather than per item,
 * and no timer adds latency when the load is light.
 *
 * <p>Every future completes: with its item's result, with what the handler threw for the whole
 * batch (a failed batch fails exactly its items), or with the closed error for an item that came
 * too late. Nothing a batch throws stops the thread. {@link #close} stops taking items and commits
 * everything already queued before it returns.
 *
 * @param <T> what callers submit
 * @param <R> what each of them is answered with
 */
public final class GroupCommit<T, R> implements AutoCloseable {
    /** Commits one batch: returns one result per item, in order, or throws to fail them all. */
    @FunctionalInterface
    public interface Handler<T, R> {
        List<R> commit(List<T> batch) throws Exception;
    }

    private record Queued<T, R>(T item, CompletableFuture<R> done) {}

    private final BlockingQueue<Queued<T, R>> queue;
    private final int maxBatchWeight;
    private final ToIntFunction<? super T> weight;
    private final Handler<T, R> handler;
    private final Supplier<? extends RuntimeException> closedError;
    private final AtomicLong rejected = new AtomicLong();
    private final Thread thread;
    /** Items the writer thread drained but has not yet put in a batch (they did not fit); its own. */
    private final ArrayDeque<Queued<T, R>> carried = new ArrayDeque<>();
    private volatile boolean closing;

    /**
     * @param weight an item's share of a batch (1 for a count of items); an item heavier than
     *               {@code maxBatchWeight} is a batch of its own, never split
     * @param closedError what items that arrive after close fail with
     */
    public GroupCommit(String threadName, int queueCapacity, int maxBatchWeight, ToIntFunction<? super T> weight,
            Handler<T, R> handler, Supplier<? extends RuntimeException> closedError) {
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.maxBatchWeight = maxBatchWeight;
        this.weight = requireNonNull(weight, "weight is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.closedError = requireNonNull(closedError, "closedError is null");
        this.thread = new Thread(this::run, requireNonNull(threadName, "threadName is null"));
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues an item, waiting for room when the queue is full. */
    public CompletableFuture<R> submit(T item) {
        Queued<T, R> queued = new Queued<>(requireNonNull(item, "item is null"), new CompletableFuture<>());
        if (closing) {
            return refuse(queued);
        }
        try {
            queue.put(queued);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refuse(queued);
        }
        failIfMissed(queued);
        return queued.done;
    }

    /** Queues an item only if there is room at once; empty (and counted as rejected) otherwise. */
    public Optional<CompletableFuture<R>> offer(T item) {
        Queued<T, R> queued = new Queued<>(requireNonNull(item, "item is null"), new CompletableFuture<>());
        if (closing || !queue.offer(queued)) {
            rejected.incrementAndGet();
            return Optional.empty();
        }
        failIfMissed(queued);
        return Optional.of(queued.done);
    }

    /** Items refused so far: offered to a full or closed queue, or submitted after close. */
    public long rejected() {
        return rejected.get();
    }

    private CompletableFuture<R> refuse(Queued<T, R> queued) {
        rejected.incrementAndGet();
        queued.done.completeExceptionally(closedError.get());
        return queued.done;
    }

    /** An item that arrived after close drained the queue would otherwise never complete. */
    private void failIfMissed(Queued<T, R> queued) {
        if (closing && !thread.isAlive() && queue.remove(queued)) {
            refuse(queued);
        }
    }

    private void run() {
        List<Queued<T, R>> batch = new ArrayList<>();
        while (!closing || !queue.isEmpty() || !carried.isEmpty()) {
            try {
                Queued<T, R> first = carried.isEmpty() ? queue.poll(50, TimeUnit.MILLISECONDS) : carried.poll();
                if (first != null) {
                    batch.add(first);
                    gather(batch, weight.applyAsInt(first.item));
                    commit(batch);
                }
            } catch (InterruptedException e) {
                fail(batch, closedError.get());
                fail(new ArrayList<>(carried), closedError.get());
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * Adds queued items while the batch stays within its weight; the queue's order is kept.
     * Items are drained from the queue in chunks (one lock each), not taken one by one: taking
     * them singly contended with the producers for the queue's lock on every item, and cost the
     * audit log 13 % of its PostgreSQL append rate (issue 13's benchmarks). What does not fit
     * waits in {@link #carried} for the next batch.
     */
    private void gather(List<Queued<T, R>> batch, int taken) {
        int total = taken;
        while (true) {
            if (carried.isEmpty() && queue.drainTo(carried, Math.max(1, maxBatchWeight - total)) == 0) {
                return;
            }
            int w = weight.applyAsInt(carried.peek().item);
            if (total + w > maxBatchWeight) {
                return;
            }
            batch.add(carried.poll());
            total += w;
        }
    }

    private void commit(List<Queued<T, R>> batch) throws InterruptedException {
        List<R> results;
        try {
            results = handler.commit(batch.stream().map(Queued::item).toList());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception | Error e) {
            fail(batch, e);
            return;
        }
        if (results.size() != batch.size()) {
            fail(batch, new IllegalStateException("A batch of " + batch.size() + " gave " + results.size() + " results"));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done.complete(results.get(i));
        }
    }

    private static <T, R> void fail(List<Queued<T, R>> batch, Throwable error) {
        batch.forEach(q -> q.done.completeExceptionally(error));
    }

    /** Stops taking items, commits everything already queued, then stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Queued<T, R>> late = new ArrayList<>();
        queue.drainTo(late);
        late.forEach(this::refuse);
    }
}

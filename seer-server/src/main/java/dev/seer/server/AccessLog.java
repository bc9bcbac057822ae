package dev.seer.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.audit.AuditRecord;
import dev.seer.metadata.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Access records (token uses and refusals), tallied and written to the audit log once per
 * {@link #FLUSH_EVERY}: one entry per actor, action, route and detail with the count and the
 * first and last time. Every request is still accounted for, but a route serving thousands of
 * requests a second costs a few audit entries a second instead of one per request, and a flood
 * of refused requests cannot fill the audit queue. Counting happens on the request thread under
 * a per-tally lock; the flush retires a tally before reading it, so no request is lost between
 * two flushes. Tallies not yet flushed when the process dies are lost, as queued records were.
 */
final class AccessLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    static final Duration FLUSH_EVERY = Duration.ofSeconds(1);

    private record Key(String actor, String action, String route, String detailName, String detail) {}

    private static final class Tally {
        long count;
        long firstMillis;
        long lastMillis;
        boolean retired;
    }

    private final AuditLog audit;
    private final Clock clock;
    private final ConcurrentHashMap<Key, Tally> tallies = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "seer-access-log");
        thread.setDaemon(true);
        return thread;
    });

    AccessLog(AuditLog audit, Clock clock) {
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        flusher.scheduleWithFixedDelay(this::flushQuietly, FLUSH_EVERY.toMillis(), FLUSH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void used(String actor, String route, String tokenId) {
        count(new Key(actor, "token.used", route, "token", tokenId));
    }

    void denied(String actor, String route, String reason) {
        count(new Key(actor, "auth.denied", route, "reason", reason));
    }

    /** Requests whose access entry could not be written because the audit queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void count(Key key) {
        long now = clock.millis();
        while (true) {
            Tally tally = tallies.computeIfAbsent(key, k -> new Tally());
            synchronized (tally) {
                if (!tally.retired) {
                    if (tally.count++ == 0) {
                        tally.firstMillis = now;
                    }
                    tally.lastMillis = now;
                    return;
                }
            }
        }
    }

    /** Writes one entry per tally and starts new tallies; a tally written here is never counted into again. */
    void flush() {
        for (Map.Entry<Key, Tally> entry : tallies.entrySet()) {
            Key key = entry.getKey();
            Tally tally = entry.getValue();
            if (!tallies.remove(key, tally)) {
                continue; // a concurrent flush took it
            }
            long count;
            long first;
            long last;
            synchronized (tally) {
                tally.retired = true;
                count = tally.count;
                first = tally.firstMillis;
                last = tally.lastMillis;
            }
            ObjectNode payload = Json.object().put(key.detailName(), key.detail()).put("count", count)
                    .put("first", java.time.Instant.ofEpochMilli(first).toString())
                    .put("last", java.time.Instant.ofEpochMilli(last).toString());
            if (!audit.tryAppend(new AuditRecord(key.actor(), key.action(), "route", key.route(), payload))) {
                long total = dropped.addAndGet(count);
                LOG.warn("Audit queue full: {} x {} by {} on {} not written ({} requests so far)", count, key.action(),
                        key.actor(), key.route(), total);
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.error("Writing access records failed; the tallies of this flush are lost", e);
        }
    }

    /** Stops the timer and writes what is tallied. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}

package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.online.OnlineHealth.State;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the online store for the two outages a cache-like store has: it stops answering, or it
 * comes back empty (a Redis restarted without persistence). Either way lookups must not be
 * served as if every feature were simply missing.
 *
 * <p>Design. The store carries a marker, a record under a view name no feature view can have,
 * holding a generation number; the catalog, which is durable, holds the generation the store
 * should carry. The first write through {@link #store()} (a materialisation or a stream write)
 * establishes generation 1 in both before any row is written. A check, run every
 * {@link #CHECK_EVERY} in the background and at once after a lookup saw the store fail, reads
 * the marker (one key, never per lookup) and compares:
 * <ul>
 *   <li>the read fails with an UNAVAILABLE error: the store is UNREACHABLE; lookups are refused
 *       at once (no waiting for a connection timeout) until a check reaches it again;</li>
 *   <li>the marker carries the catalog's generation, complete: READY;</li>
 *   <li>otherwise (no marker, another generation, or a rebuild left unfinished): the contents
 *       were lost, the store is REBUILDING. The next generation is recorded in the catalog and
 *       marked in the store as begun, the window aggregates are written again by the stream
 *       aggregation ({@link WindowStates}, below), every view is loaded again from the offline
 *       store ({@link Materializer#rematerialize}: all rows, not just those after the
 *       watermark), and the marker is completed only if it is still the one written at the
 *       start, so a store that lost its contents again meanwhile is rebuilt again rather than
 *       trusted.</li>
 * </ul>
 * Window aggregates are not in the offline store: only the Kafka Streams topology holds their
 * states (in its changelogged state stores). So the rebuild asks it, through the
 * {@link WindowStates} given to {@link #windowStates}, to write every committed state into the
 * store again, and waits for that before completing the marker: a READY store holds every
 * entity's window states, not only those that received an event since the loss. The stream
 * thread keeps writing meanwhile; both write through the store's conditional write, which keeps
 * the state with the later latest event and then the more events, so a state rewritten from an
 * older snapshot never replaces a newer one. When no aggregation can rewrite them (streaming not
 * started in this process, its topology not running, or no {@link WindowStates} given while
 * views declare aggregations) the rebuild fails with
 * {@link FeatureErrorCode#WINDOW_STATES_UNAVAILABLE} before loading anything: the store stays
 * REBUILDING with that reason (lookups refused, {@code /readyz} 503), the marker unfinished, and
 * the rebuild is retried with the backoff of a failed rebuild.
 * A home whose catalog records no generation and never materialised a batch has nothing to lose, so an
 * empty store there is READY; with batches materialised (a store filled before markers
 * existed) it is rebuilt once. Every change of state is audited. The logic only reads and writes
 * records through {@link OnlineStore}, so it is the same for every backend.
 */
public final class OnlineGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineGuard.class);
    /** The catalog kind of the generation each online store should carry, by store name. */
    static final String KIND = "online_store";
    /** The marker's namespace: view names are identifiers, so none begins with {@code #}. */
    static final String MARKER_VIEW = "#seer";
    static final String MARKER_KEY = "marker";
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);
    /** After a failed rebuild the next waits 1 s, doubling to 60 s, so a rebuild that cannot succeed does not loop. */
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration LAST_RETRY = Duration.ofSeconds(60);
    static final String ACTOR = "system";
    /** The marker's created time: begun (a rebuild is loading the store), then complete. */
    private static final long BEGUN = 0;
    private static final long COMPLETE = 1;

    private final Catalog catalog;
    private final OnlineStore store;
    private final String name;
    private final Materializer materializer;
    private final AuditSink audit;
    private final Clock clock;
    private final OnlineStore marking;
    /** The check and the first write's marking, which both read and set the generation. */
    private final Object lock = new Object();
    private volatile OnlineHealth health;
    private volatile boolean marked;
    /** Who writes the window aggregates again during a rebuild; by default none (see {@link #windowStates}). */
    private volatile WindowStates windowStates = this::noWindowWriter;
    /** A check asked for by a failed lookup is queued once, however many lookups failed. */
    private final AtomicBoolean checkAsked = new AtomicBoolean();
    private int failedRebuilds;
    private Instant nextRebuild = Instant.MIN;
    private ScheduledExecutorService checks;
    private boolean closed;

    /**
     * @param store the store to watch; everyone else writes through {@link #store()}
     * @param name the store's name in the catalog and the audit log (its {@code online.type}): another store is another name,
     *        so switching stores loads the new one
     */
    public OnlineGuard(Catalog catalog, Ingestor ingestor, OnlineStore store, String name, AuditSink audit, Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.name = requireNonNull(name, "name is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.materializer = new Materializer(catalog, requireNonNull(ingestor, "ingestor is null"), store);
        this.marking = new MarkingStore();
        this.health = new OnlineHealth(State.READY, "", 0, clock.instant());
    }

    /** The watched store, which marks itself on its first write if it carries no generation yet. */
    public OnlineStore store() {
        return marking;
    }

    public OnlineHealth health() {
        return health;
    }

    /**
     * Who writes the window aggregates again when the store is rebuilt: the stream aggregation.
     * Without one, a rebuild of a home whose views declare aggregations fails (and is retried),
     * since completing it would serve those views as missing.
     */
    public void windowStates(WindowStates states) {
        this.windowStates = requireNonNull(states, "states is null");
    }

    private long noWindowWriter() {
        for (var entry : catalog.latestOfKind(FeatureRegistry.VIEW)) {
            if (!Stored.view(entry.body()).aggregations().isEmpty()) {
                throw new SeerException(FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Feature view [" + entry.name()
                        + "] has window aggregates, which only the stream aggregation writes, and none is attached to the "
                        + name + " online store's guard to write them again", Map.of("store", name, "view", entry.name()));
            }
        }
        return 0;
    }

    /** Checks once now, then every {@link #CHECK_EVERY} in the background; a rebuild runs there too. */
    public synchronized void start() {
        if (closed || checks != null) {
            return;
        }
        try {
            inspect(); // so the first lookups already see a lost or unreachable store
        } catch (RuntimeException e) {
            LOG.warn("Online store check failed: {}", e.toString());
        }
        checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "seer-online-guard");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(this::checkQuietly, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Throws unless lookups may be served: {@link FeatureErrorCode#ONLINE_STORE_REBUILDING} or
     * {@link FeatureErrorCode#ONLINE_STORE_UNREACHABLE}, both 503.
     */
    void admit() {
        OnlineHealth now = health;
        if (now.state() == State.REBUILDING) {
            throw new SeerException(FeatureErrorCode.ONLINE_STORE_REBUILDING, "The " + name + " online store lost its contents"
                    + " and is being loaded again from the offline store (since " + now.since() + "): " + now.reason(),
                    Map.of("store", name, "operation", "read", "since", now.since().toString()));
        }
        if (now.state() == State.UNREACHABLE) {
            throw new SeerException(FeatureErrorCode.ONLINE_STORE_UNREACHABLE, "The " + name + " online store is unreachable"
                    + " (since " + now.since() + "): " + now.reason(),
                    Map.of("store", name, "operation", "read", "since", now.since().toString()));
        }
    }

    /** A lookup saw the store fail: if it is an outage, lookups are refused until a check reaches the store again. */
    void failed(SeerException e) {
        if (e.errorCode().category() != ErrorCategory.UNAVAILABLE) {
            return;
        }
        synchronized (lock) {
            if (health.state() == State.READY) {
                become(State.UNREACHABLE, e.getMessage(), health.generation(), Map.of());
            }
        }
        ScheduledExecutorService running = checks;
        if (running != null && checkAsked.compareAndSet(false, true)) {
            try {
                running.execute(() -> {
                    checkAsked.set(false);
                    checkQuietly();
                });
            } catch (RejectedExecutionException closing) {
                // closed meanwhile: nothing more to check
            }
        }
    }

    /** One check, and the rebuild it calls for; package-private so tests drive it without the background thread. */
    void check() {
        Optional<Long> lost = inspect();
        if (lost.isPresent() && !clock.instant().isBefore(nextRebuild)) {
            rebuild(lost.get());
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Online store check failed: {}", e.toString());
        }
    }

    /** Reads the marker and sets the state; the generation to rebuild as, if the store lost its contents. */
    private Optional<Long> inspect() {
        synchronized (lock) {
            Optional<OnlineRecord> marker;
            try {
                marker = readMarker();
            } catch (SeerException e) {
                if (e.errorCode().category() != ErrorCategory.UNAVAILABLE) {
                    throw e;
                }
                become(State.UNREACHABLE, e.getMessage(), health.generation(), Map.of());
                return Optional.empty();
            }
            long expected = expectedGeneration();
            if (marker.isPresent() && marker.get().eventMicros() == expected && marker.get().createdMicros() == COMPLETE) {
                become(State.READY, "the store answers and carries generation " + expected, expected, Map.of());
                return Optional.empty();
            }
            if (expected == 0 && marker.isEmpty() && !materializer.anyBatchMaterialized()) {
                become(State.READY, "nothing was written to the store yet", 0, Map.of());
                return Optional.empty();
            }
            String found = marker.map(m -> "generation " + m.eventMicros() + (m.createdMicros() == COMPLETE ? "" : ", unfinished"))
                    .orElse("no marker");
            String reason = "the store carries " + found + " where the catalog records generation " + expected;
            if (health.state() != State.REBUILDING) {
                become(State.REBUILDING, reason, expected, Map.of("found", found));
            }
            return Optional.of(Math.max(expected, marker.map(OnlineRecord::eventMicros).orElse(0L)) + 1);
        }
    }

    private void rebuild(long generation) {
        try {
            catalog.put(KIND, name, Json.object().put("generation", generation), ACTOR);
            store.write(MARKER_VIEW, List.of(marker(generation, BEGUN)));
            LOG.warn("The {} online store lost its contents; loading generation {} from the offline store", name, generation);
            // Windows first: when no aggregation can write them, fail before loading every view for nothing.
            long windows = windowStates.rewrite();
            Materializer.Report report = materializer.rematerialize(clock.instant(), ACTOR);
            synchronized (lock) {
                Optional<OnlineRecord> now = readMarker();
                if (now.isEmpty() || now.get().eventMicros() != generation || now.get().createdMicros() != BEGUN) {
                    become(State.REBUILDING, "the store lost its contents again during the rebuild", generation, Map.of());
                    return; // the next check starts another
                }
                store.write(MARKER_VIEW, List.of(marker(generation, COMPLETE)));
                failedRebuilds = 0;
                nextRebuild = Instant.MIN;
                become(State.READY, "rebuilt generation " + generation + " from the offline store", generation,
                        Map.of("written", report.written(), "window_states", windows));
            }
        } catch (SeerException e) {
            synchronized (lock) {
                if (e.errorCode().category() == ErrorCategory.UNAVAILABLE
                        && e.errorCode() != FeatureErrorCode.WINDOW_STATES_UNAVAILABLE) {
                    become(State.UNREACHABLE, e.getMessage(), generation, Map.of());
                    return; // reached again, the check finds the rebuild unfinished and starts it again
                }
                failedRebuilds++;
                Duration wait = Duration.ofMillis(Math.min(LAST_RETRY.toMillis(),
                        FIRST_RETRY.toMillis() << Math.min(failedRebuilds - 1, 16)));
                nextRebuild = clock.instant().plus(wait);
                LOG.error("Rebuilding the {} online store failed (attempt {}); next attempt in {}: {}", name, failedRebuilds,
                        wait, e.toString());
                health = new OnlineHealth(State.REBUILDING, "rebuild attempt " + failedRebuilds + " failed: " + e.getMessage(),
                        generation, health.since());
            }
        }
    }

    private Optional<OnlineRecord> readMarker() {
        return store.read(MARKER_VIEW, List.of(MARKER_KEY)).get(0);
    }

    private long expectedGeneration() {
        return catalog.latest(KIND, name).map(e -> e.body().path("generation").asLong()).orElse(0L);
    }

    private static OnlineRecord marker(long generation, long stage) {
        return new OnlineRecord(MARKER_KEY, generation, stage, Json.object().put("generation", generation)
                .put("complete", stage == COMPLETE).toString());
    }

    /** Sets the state; a change of state is logged and audited. Callers hold {@link #lock}. */
    private void become(State state, String reason, long generation, Map<String, ?> details) {
        OnlineHealth before = health;
        if (before.state() == state) {
            if (before.generation() != generation) {
                health = new OnlineHealth(state, reason, generation, before.since());
            }
            return;
        }
        Instant now = clock.instant();
        health = new OnlineHealth(state, reason, generation, now);
        (state == State.READY ? LOG.atInfo() : LOG.atWarn()).log("The {} online store is {} (was {}): {}", name, state,
                before.state(), reason);
        ObjectNode payload = Json.object().put("from", before.state().name().toLowerCase(Locale.ROOT)).put("reason", reason)
                .put("generation", generation);
        details.forEach((key, value) -> payload.set(key, Json.mapper().valueToTree(value)));
        audit.record(new AuditRecord(ACTOR, "online_store." + state.name().toLowerCase(Locale.ROOT), "online_store", name,
                payload));
    }

    /** Stops the checks; a rebuild under way is abandoned (its marker stays unfinished, so the next start rebuilds). */
    @Override
    public synchronized void close() {
        closed = true;
        if (checks != null) {
            checks.shutdownNow();
            try {
                checks.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The watched store, establishing generation 1 on its first write when the catalog records none. */
    private final class MarkingStore implements OnlineStore {
        @Override
        public void write(String view, List<OnlineRecord> records) {
            if (!marked) {
                establish();
            }
            store.write(view, records);
        }

        @Override
        public List<Optional<OnlineRecord>> read(String view, List<String> keys) {
            return store.read(view, keys);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    /**
     * Before the first row reaches a store that carries no generation, records generation 1 and
     * marks the store with it, complete (an empty store holds everything written so far).
     */
    private void establish() {
        synchronized (lock) {
            if (marked) {
                return;
            }
            if (catalog.latest(KIND, name).isEmpty() && !materializer.anyBatchMaterialized()) {
                catalog.put(KIND, name, Json.object().put("generation", 1), ACTOR);
                store.write(MARKER_VIEW, List.of(marker(1, COMPLETE)));
                LOG.info("Marked the {} online store with generation 1", name);
                if (health.state() == State.READY) {
                    health = new OnlineHealth(State.READY, "marked with generation 1", 1, health.since());
                }
            }
            marked = true;
        }
    }
}

package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureType;
import dev.seer.features.definition.Stored;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online lookups: the current value of features for up to {@link #MAX_ENTITIES} entities, each
 * with a status. A value older than its view's TTL, measured against the injected clock, is
 * returned as expired rather than served, so TTL means the same online as offline.
 *
 * <p>With an {@link OnlineGuard}, a lookup is refused with a 503 while the store is unreachable
 * or being rebuilt, rather than answered with every feature missing, and a lookup that finds the
 * store failing tells the guard at once.
 */
public final class FeatureServer implements FeatureLookup {

    /** How long a resolved lookup plan is reused before the catalog is read again (for other processes' applies). */
    static final java.time.Duration PLAN_REFRESH = java.time.Duration.ofSeconds(5);

    /**
     * {@code refs}: {@code view:feature} for each of {@code features}, made once rather than per
     * lookup. {@code windows}: for each feature, its index among the view's aggregations, or -1
     * for a stored feature; {@code hasStored} and {@code hasWindows} say which reads a lookup needs.
     */
    private record ViewPlan(FeatureView view, List<String> features, List<String> refs, List<String> joinKeys, int[] windows,
            int[] outputs, Map<String, Integer> stored, int[] slots, boolean hasWindows) {
        ViewPlan(FeatureView view, List<String> features, List<String> refs, List<String> joinKeys, int[] windows, int[] outputs) {
            this(view, features, refs, joinKeys, windows, outputs, storedSlots(features, windows), new int[features.size()],
                    java.util.Arrays.stream(windows).anyMatch(w -> w >= 0));
            for (int f = 0; f < features.size(); f++) {
                slots[f] = windows[f] < 0 ? stored.get(features.get(f)) : -1;
            }
        }

        boolean hasStored() {
            return !stored.isEmpty();
        }

        /**
         * Each stored feature's slot among the values read from a record (a feature named twice
         * shares one); window aggregates have none.
         */
        private static Map<String, Integer> storedSlots(List<String> features, int[] windows) {
            Map<String, Integer> slots = new java.util.HashMap<>();
            for (int f = 0; f < features.size(); f++) {
                if (windows[f] < 0) {
                    slots.putIfAbsent(features.get(f), slots.size());
                }
            }
            return Map.copyOf(slots);
        }
    }

    /**
     * {@code width}: how many values an entity's answer has, one per distinct reference in the
     * order first named; each view's {@code outputs} says where its features go.
     */
    private record Plan(List<ViewPlan> views, int width, long loadedNanos) {}

    private final Catalog catalog;
    private final OnlineStore store;
    private final Clock clock;
    private final Optional<OnlineGuard> guard;
    private final java.util.concurrent.ConcurrentHashMap<List<String>, Plan> plans = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Set<List<String>> refreshing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Bumped by {@link #invalidate}: a load that began before must not store what it read. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** One refresh at a time; the thread ends when idle, so a server that is dropped leaves none behind. */
    private final java.util.concurrent.ThreadPoolExecutor refresher = new java.util.concurrent.ThreadPoolExecutor(0, 1,
            10, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread thread = new Thread(r, "seer-feature-plans");
                thread.setDaemon(true);
                return thread;
            });

    /** A server over a store nobody watches: always ready (benchmarks, tests). */
    public FeatureServer(Catalog catalog, OnlineStore store, Clock clock) {
        this(catalog, store, clock, Optional.empty());
    }

    /** A server over the store {@code guard} watches ({@link OnlineGuard#store()}). */
    public FeatureServer(Catalog catalog, OnlineGuard guard, Clock clock) {
        this(catalog, guard.store(), clock, Optional.of(guard));
    }

    private FeatureServer(Catalog catalog, OnlineStore store, Clock clock, Optional<OnlineGuard> guard) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.guard = guard;
    }

    /** Whether lookups are served now: READY, or why not. */
    public OnlineHealth health() {
        return guard.map(OnlineGuard::health).orElse(UNWATCHED);
    }

    private static final OnlineHealth UNWATCHED = new OnlineHealth(OnlineHealth.State.READY, "not watched", 0, Instant.EPOCH);

    /**
     * @param features {@code view:feature} references or one feature service name
     * @param entities join key name to values; every list has the same length, one entity per position
     */
    @Override
    public List<EntityValues> lookup(List<String> features, Map<String, List<String>> entities) {
        guard.ifPresent(OnlineGuard::admit);
        try {
            return lookupAdmitted(features, entities);
        } catch (SeerException e) {
            guard.ifPresent(g -> g.failed(e));
            throw e;
        }
    }

    private List<EntityValues> lookupAdmitted(List<String> features, Map<String, List<String>> entities) {
        Plan plan = plan(features);
        int n = entityCount(entities);
        Instant now = clock.instant();
        Value[][] values = new Value[n][plan.width()]; // per entity, per output position
        for (ViewPlan viewPlan : plan.views()) {
            FeatureView view = viewPlan.view();
            List<String> keys = viewPlan.joinKeys();
            List<String> entityKeys = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                List<String> parts = new ArrayList<>();
                for (String key : keys) {
                    List<String> column = entities.get(key);
                    if (column == null) {
                        throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Feature view [" + view.name()
                                + "] needs the join key [" + key + "] in [entities]", Map.of("key", key));
                    }
                    parts.add(column.get(i));
                }
                entityKeys.add(FeatureRefs.entityKey(parts));
            }
            List<Optional<OnlineRecord>> records = viewPlan.hasStored() ? store.read(view.name(), entityKeys) : null;
            List<Optional<OnlineRecord>> windows = viewPlan.hasWindows()
                    ? store.read(WindowTiles.onlineNamespace(view), entityKeys) : null;
            for (int i = 0; i < n; i++) {
                fill(values[i], viewPlan, records == null ? Optional.empty() : records.get(i), now);
                if (windows != null) {
                    fillWindows(values[i], viewPlan, windows.get(i), now);
                }
            }
        }
        List<EntityValues> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, String> entity = new LinkedHashMap<>();
            int row = i;
            entities.forEach((key, column) -> entity.put(key, column.get(row)));
            results.add(new EntityValues(entity, List.of(values[i])));
        }
        return results;
    }

    /** Forgets resolved plans, so the next lookup reads the definitions again; called after an apply. */
    public void invalidate() {
        generation.incrementAndGet();
        plans.clear();
    }

    /**
     * The resolved definitions for a feature list. The catalog is read on first use; after
     * {@link #PLAN_REFRESH} one background task reads it again while lookups go on with the plan
     * they have, so no request waits for the catalog (nor do many at once, when a plan ages).
     */
    private Plan plan(List<String> features) {
        List<String> key = List.copyOf(features);
        Plan cached = plans.get(key);
        if (cached == null) {
            return load(key);
        }
        if (System.nanoTime() - cached.loadedNanos() >= PLAN_REFRESH.toNanos() && refreshing.add(key)) {
            try {
                refresher.execute(() -> {
                    try {
                        load(key);
                    } catch (RuntimeException e) {
                        plans.remove(key); // the next lookup loads it itself and reports the error
                    } finally {
                        refreshing.remove(key);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                refreshing.remove(key);
            }
        }
        return cached;
    }

    private Plan load(List<String> key) {
        long before = generation.get();
        List<ViewPlan> views = new ArrayList<>();
        Map<String, Integer> outputs = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> entry : FeatureRefs.resolve(catalog, key).entrySet()) {
            FeatureView view = Stored.view(catalog.latest(FeatureRegistry.VIEW, entry.getKey()).orElseThrow().body());
            int[] windows = entry.getValue().stream().mapToInt(f -> view.aggregation(f).map(view.aggregations()::indexOf).orElse(-1))
                    .toArray();
            boolean streamed = catalog.latest(FeatureRegistry.SOURCE, view.source()).map(e -> Stored.source(e.body()).streaming())
                    .orElse(false);
            for (int f = 0; f < windows.length; f++) {
                if (windows[f] >= 0 && !streamed) {
                    String ref = view.name() + ":" + entry.getValue().get(f);
                    throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + ref + "] is a window aggregation over file"
                            + " source [" + view.source() + "]: historical retrieval computes it; online values of aggregations"
                            + " come from push and kafka sources", Map.of("feature", ref));
                }
            }
            List<String> refs = entry.getValue().stream().map(f -> view.name() + ":" + f).toList();
            int[] positions = refs.stream().mapToInt(ref -> outputs.computeIfAbsent(ref, r -> outputs.size())).toArray();
            views.add(new ViewPlan(view, List.copyOf(entry.getValue()), refs, FeatureRefs.joinKeys(catalog, view), windows,
                    positions));
        }
        Plan plan = new Plan(List.copyOf(views), outputs.size(), System.nanoTime());
        if (generation.get() == before) {
            plans.put(key, plan);
        }
        return plan;
    }

    private static void fill(Value[] into, ViewPlan plan, Optional<OnlineRecord> record, Instant now) {
        FeatureView view = plan.view();
        List<String> features = plan.features();
        JsonNode[] stored = record.map(r -> StoredValues.read(r.values(), plan.stored())).orElse(null);
        Optional<Instant> eventTime = record.map(r -> Times.ofMicros(r.eventMicros()));
        boolean expired = eventTime.isPresent() && !view.ttl().isZero()
                && eventTime.get().isBefore(now.minus(view.ttl()));
        for (int f = 0; f < features.size(); f++) {
            String ref = plan.refs().get(f);
            if (stored == null || plan.windows()[f] >= 0) { // a window aggregate's place, filled by fillWindows
                into[plan.outputs()[f]] = new Value(ref, Json.mapper().nullNode(), Status.MISSING, Optional.empty());
            } else if (expired) {
                into[plan.outputs()[f]] = new Value(ref, Json.mapper().nullNode(), Status.EXPIRED, eventTime);
            } else {
                into[plan.outputs()[f]] = new Value(ref, value(stored, plan.slots()[f]), Status.PRESENT,
                        eventTime);
            }
        }
    }

    private static JsonNode value(JsonNode[] stored, int slot) {
        JsonNode value = stored[slot];
        return value == null ? Json.mapper().nullNode() : value; // a feature the record does not carry
    }

    /**
     * Window aggregates at the time of the read, from the entity's tiles ({@link WindowTiles}).
     * TTL does not apply: the window says which events count. An entity never seen is missing.
     */
    private static void fillWindows(Value[] into, ViewPlan plan, Optional<OnlineRecord> record, Instant now) {
        FeatureView view = plan.view();
        WindowTiles tiles = record.map(r -> WindowTiles.fromOnlineJson(view.aggregations(), r.values())).orElse(null);
        Optional<Instant> latest = record.map(r -> Times.ofMicros(r.eventMicros()));
        long at = Math.max(Times.toMicros(now), record.map(OnlineRecord::eventMicros).orElse(0L));
        for (int f = 0; f < plan.features().size(); f++) {
            int index = plan.windows()[f];
            if (index < 0) {
                continue;
            }
            String ref = plan.refs().get(f);
            if (tiles == null) {
                into[plan.outputs()[f]] = new Value(ref, Json.mapper().nullNode(), Status.MISSING, Optional.empty());
                continue;
            }
            double value = tiles.value(index, at);
            JsonNode json = Double.isNaN(value) ? Json.mapper().nullNode()
                    : view.aggregations().get(index).type() == FeatureType.LONG ? Json.mapper().getNodeFactory().numberNode((long) value)
                    : Json.mapper().getNodeFactory().numberNode(value);
            into[plan.outputs()[f]] = new Value(ref, json, Status.PRESENT, latest);
        }
    }

    private static int entityCount(Map<String, List<String>> entities) {
        if (entities.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[entities] must name at least one join key with values",
                    Map.of("field", "entities"));
        }
        int n = -1;
        for (Map.Entry<String, List<String>> column : entities.entrySet()) {
            if (n >= 0 && column.getValue().size() != n) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[entities] lists must all have the same length; ["
                        + column.getKey() + "] has " + column.getValue().size() + ", others " + n, Map.of("key", column.getKey()));
            }
            n = column.getValue().size();
        }
        if (n == 0 || n > MAX_ENTITIES) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "A lookup takes 1 to " + MAX_ENTITIES + " entities, got " + n,
                    Map.of("entities", n));
        }
        return n;
    }
}

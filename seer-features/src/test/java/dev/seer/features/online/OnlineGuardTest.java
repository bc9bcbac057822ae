package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.Repositories;
import dev.seer.features.definition.FeatureRegistryTest;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.OnlineHealth.State;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard against a store that can be stopped and emptied at will (a hand-written fake, so each
 * step is driven by hand: {@link OnlineGuard#check} instead of the background thread), and
 * against RocksDB whose folder is deleted between runs. The Redis outage test does the same
 * against a real Redis process, stopped and restarted empty.
 */
class OnlineGuardTest {
    static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    static final List<String> FEATURES = List.of("customer_stats:spend", "customer_stats:plan");
    static final List<String> CUSTOMERS = List.of("1", "2", "3");

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(T0);
    InMemoryCatalog catalog = new InMemoryCatalog(clock);
    List<AuditRecord> audited = new CopyOnWriteArrayList<>();
    Ingestor ingestor;
    FakeStore fake = new FakeStore();
    OnlineGuard guard;
    FeatureServer server;

    @BeforeEach
    void setUp() throws Exception {
        Repositories.applyWith(catalog, dir, FeatureRegistryTest.REPOSITORY, "customer_id,event_ts,created_ts,spend,plan\n");
        ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), clock);
        Files.writeString(dir.resolve("rows.csv"), """
                customer_id,event_ts,created_ts,spend,plan
                1,2026-03-01T00:00:00Z,2026-03-01T00:00:01Z,10.0,pro
                2,2026-03-01T01:00:00Z,,20.5,basic
                2,2026-03-01T00:30:00Z,,99.0,pro
                """);
        ingestor.ingest("transactions", Optional.of(dir.resolve("rows.csv")), "alice");
        guard = guard(fake);
        server = new FeatureServer(catalog, guard, clock);
        clock.set(T0.plus(Duration.ofHours(2)));
    }

    @AfterEach
    void close() {
        guard.close();
    }

    private OnlineGuard guard(OnlineStore store) {
        return new OnlineGuard(catalog, ingestor, store, "fake", record -> {
            audited.add(record);
            return CompletableFuture.completedFuture((long) audited.size());
        }, clock);
    }

    @Test
    void aFreshHomeIsReadyAndItsFirstWriteMarksTheStore() {
        guard.check();
        assertThat(guard.health().state()).isEqualTo(State.READY);
        assertThat(guard.health().generation()).isZero();
        assertThat(fake.marker()).isEmpty();
        materialize();
        assertThat(fake.marker()).hasValueSatisfying(m -> assertThat(m.eventMicros()).isEqualTo(1));
        assertThat(catalog.latest(OnlineGuard.KIND, "fake")).isPresent();
        guard.check();
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 1L);
        assertThat(audited).as("no change of state, nothing audited").isEmpty();
        assertThat(values()).isEqualTo(expected());
    }

    @Test
    void aStoreThatLostItsContentsIsRefusedUntilItIsRebuiltFromTheOfflineStore() {
        materialize();
        guard.check();
        List<String> before = values();
        assertThat(before).isEqualTo(expected());

        fake.wipe();
        List<Throwable> duringRebuild = new ArrayList<>();
        fake.onWrite = (view, records) -> {
            if (view.equals("customer_stats")) { // the rebuild is loading the view: lookups must be refused, not "missing"
                try {
                    values();
                } catch (RuntimeException e) {
                    duringRebuild.add(e);
                }
                assertThat(readyz()).isFalse();
            }
        };
        guard.check();

        assertThat(duringRebuild).singleElement().satisfies(e -> assertThat(code(e)).isEqualTo(FeatureErrorCode.ONLINE_STORE_REBUILDING));
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 2L);
        assertThat(values()).as("the same values as before the loss").isEqualTo(before);
        assertThat(fake.marker()).hasValueSatisfying(m -> assertThat(m.eventMicros()).isEqualTo(2));
        assertThat(audited).extracting(AuditRecord::action).containsExactly("online_store.rebuilding", "online_store.ready");
        assertThat(audited.get(0).payload().path("reason").asText()).contains("no marker").contains("generation 1");
        assertThat(audited.get(1).payload().path("written").path("customer_stats").asLong()).isEqualTo(2);
        guard.check();
        assertThat(audited).as("a store that is fine again is not rebuilt again").hasSize(2);
    }

    @Test
    void aRebuildThatCannotWriteTheWindowStatesStaysRebuildingAndIsRetried() {
        materialize();
        guard.check();
        java.util.concurrent.atomic.AtomicBoolean aggregating = new java.util.concurrent.atomic.AtomicBoolean();
        guard.windowStates(() -> {
            if (!aggregating.get()) {
                throw new SeerException(FeatureErrorCode.WINDOW_STATES_UNAVAILABLE, "Window aggregates of source [payments]"
                        + " cannot be written again: no aggregation of its current definitions runs in this process", Map.of());
            }
            fake.write("#windows:spend@1", List.of(new OnlineRecord("1", 5, 1, "{}")));
            return 1;
        });
        fake.wipe();
        guard.check();

        assertThat(guard.health().state()).as("not reachable-but-down, not ready with windows missing").isEqualTo(State.REBUILDING);
        assertThat(guard.health().reason()).contains("rebuild attempt 1 failed").contains("[payments]");
        assertThat(fake.marker()).hasValueSatisfying(m -> assertThat(m.createdMicros()).as("unfinished").isZero());
        assertThat(fake.read("customer_stats", CUSTOMERS)).as("failed before loading the views")
                .allSatisfy(r -> assertThat(r).isEmpty());
        assertThatThrownBy(this::values).satisfies(e -> assertThat(code(e)).isEqualTo(FeatureErrorCode.ONLINE_STORE_REBUILDING));
        assertThat(readyz()).isFalse();
        guard.check();
        assertThat(guard.health().state()).as("waits out the backoff").isEqualTo(State.REBUILDING);

        aggregating.set(true);
        clock.set(clock.instant().plus(OnlineGuard.FIRST_RETRY));
        guard.check();
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 3L);
        assertThat(fake.read("#windows:spend@1", List.of("1"))).singleElement().satisfies(r -> assertThat(r).isPresent());
        assertThat(values()).isEqualTo(expected());
        assertThat(audited).extracting(AuditRecord::action).containsExactly("online_store.rebuilding", "online_store.ready");
        assertThat(audited.get(1).payload().path("window_states").asLong()).isEqualTo(1);
    }

    @Test
    void anUnreachableStoreIsRefusedAtOnceUntilACheckReachesItAgain() {
        materialize();
        guard.check();
        fake.down = true;
        assertThatThrownBy(this::values).satisfies(e -> assertThat(code(e)).isEqualTo(FeatureErrorCode.ONLINE_STORE_UNREACHABLE));
        assertThat(guard.health().state()).isEqualTo(State.UNREACHABLE);
        int reads = fake.reads;
        assertThatThrownBy(this::values).satisfies(e -> assertThat(code(e)).isEqualTo(FeatureErrorCode.ONLINE_STORE_UNREACHABLE))
                .hasMessageContaining("fake online store is unreachable");
        assertThat(fake.reads).as("refused without waiting on the store").isEqualTo(reads);
        guard.check();
        assertThat(guard.health().state()).as("still down").isEqualTo(State.UNREACHABLE);

        fake.down = false;
        guard.check();
        assertThat(guard.health().state()).isEqualTo(State.READY);
        assertThat(values()).isEqualTo(expected());
        assertThat(audited).extracting(AuditRecord::action).containsExactly("online_store.unreachable", "online_store.ready");
        assertThat(audited.get(0).payload().path("reason").asText()).contains("read").contains("fake store down");
    }

    @Test
    void aStoreThatComesBackEmptyIsRebuiltOnceReachedAgain() {
        materialize();
        guard.check();
        fake.down = true;
        guard.check();
        assertThat(guard.health().state()).isEqualTo(State.UNREACHABLE);
        fake.wipe();
        fake.down = false;
        guard.check();
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 2L);
        assertThat(values()).isEqualTo(expected());
        assertThat(audited).extracting(AuditRecord::action)
                .containsExactly("online_store.unreachable", "online_store.rebuilding", "online_store.ready");
    }

    @Test
    void aStoreEmptiedAgainDuringItsRebuildIsRebuiltAgainRatherThanTrusted() {
        materialize();
        guard.check();
        fake.wipe();
        fake.onWrite = (view, records) -> {
            if (view.equals("customer_stats")) {
                fake.onWrite = (v, r) -> { };
                fake.wipe(); // after the rebuild wrote its marker: the rows it wrote before are gone too
            }
        };
        guard.check();
        assertThat(guard.health().state()).isEqualTo(State.REBUILDING);
        assertThat(guard.health().reason()).contains("again during the rebuild");
        assertThatThrownBy(this::values).satisfies(e -> assertThat(code(e)).isEqualTo(FeatureErrorCode.ONLINE_STORE_REBUILDING));
        guard.check();
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 3L);
        assertThat(values()).isEqualTo(expected());
    }

    @Test
    void aStoreFilledBeforeMarkersExistedIsRebuiltOnce() {
        new Materializer(catalog, ingestor, fake).materialize(List.of(), Optional.empty(), clock.instant(), "alice");
        guard.check();
        assertThat(guard.health()).extracting(OnlineHealth::state, OnlineHealth::generation).containsExactly(State.READY, 1L);
        guard.check();
        assertThat(audited).extracting(AuditRecord::action).containsExactly("online_store.rebuilding", "online_store.ready");
        assertThat(values()).isEqualTo(expected());
    }

    @Test
    void aRocksDbFolderDeletedBetweenRunsIsRebuiltWhenTheGuardStarts() throws Exception {
        Path folder = dir.resolve("home/online");
        try (RocksDbOnlineStore rocks = new RocksDbOnlineStore(folder); OnlineGuard first = guard(rocks)) {
            first.start();
            new Materializer(catalog, ingestor, first.store()).materialize(List.of(), Optional.empty(), clock.instant(), "alice");
        }
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        try (RocksDbOnlineStore rocks = new RocksDbOnlineStore(folder); OnlineGuard second = guard(rocks)) {
            FeatureServer served = new FeatureServer(catalog, second, clock);
            second.check();
            assertThat(second.health()).extracting(OnlineHealth::state, OnlineHealth::generation)
                    .containsExactly(State.READY, 2L);
            assertThat(render(served.lookup(FEATURES, Map.of("customer_id", CUSTOMERS)))).isEqualTo(expected());
        }
        assertThat(audited).extracting(AuditRecord::action).containsExactly("online_store.rebuilding", "online_store.ready");
    }

    /** As the offline rows say, by hand: customer 2's later row wins, customer 3 has none. */
    private static List<String> expected() {
        return List.of("1: 10.0 pro", "2: 20.5 basic", "3: missing");
    }

    private void materialize() {
        new Materializer(catalog, ingestor, guard.store()).materialize(List.of(), Optional.empty(), clock.instant(), "alice");
    }

    private List<String> values() {
        return render(server.lookup(FEATURES, Map.of("customer_id", CUSTOMERS)));
    }

    private static List<String> render(List<FeatureLookup.EntityValues> results) {
        return results.stream().map(r -> r.entity().get("customer_id") + ": " + (r.values().get(0).status()
                == FeatureLookup.Status.PRESENT ? r.values().get(0).value().asDouble() + " " + r.values().get(1).value().asText()
                : r.values().get(0).status().name().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    private boolean readyz() {
        return server.health().ready();
    }

    private static Object code(Throwable e) {
        return e instanceof SeerException seer ? seer.errorCode() : e;
    }

    /** An online store in memory, with the conditional write of the real ones, that can be stopped and emptied. */
    static final class FakeStore implements OnlineStore {
        private final Map<String, OnlineRecord> records = new HashMap<>();
        volatile boolean down;
        int reads;
        BiConsumer<String, List<OnlineRecord>> onWrite = (view, written) -> { };

        @Override
        public void write(String view, List<OnlineRecord> written) {
            failIfDown("write");
            synchronized (this) {
                for (OnlineRecord record : written) {
                    records.merge(view + "\u0000" + record.key(), record, (old, add) -> add.supersedes(old) ? add : old);
                }
            }
            onWrite.accept(view, written);
        }

        @Override
        public synchronized List<Optional<OnlineRecord>> read(String view, List<String> keys) {
            reads++;
            failIfDown("read");
            return keys.stream().map(k -> Optional.ofNullable(records.get(view + "\u0000" + k))).toList();
        }

        synchronized void wipe() {
            records.clear();
        }

        synchronized Optional<OnlineRecord> marker() {
            return Optional.ofNullable(records.get(OnlineGuard.MARKER_VIEW + "\u0000" + OnlineGuard.MARKER_KEY));
        }

        private void failIfDown(String operation) {
            if (down) {
                throw new SeerException(FeatureErrorCode.ONLINE_STORE_UNREACHABLE, "Fake online store " + operation
                        + " failed: fake store down", Map.of("store", "fake", "operation", operation));
            }
        }

        @Override
        public void close() {
        }
    }
}

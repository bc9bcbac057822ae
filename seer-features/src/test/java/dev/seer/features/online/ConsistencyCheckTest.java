package dev.seer.features.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.features.Repositories;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureRegistryTest;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.AggregationRetrievalTest;
import dev.seer.features.offline.OfflineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consistency check against a real RocksDB store holding tiles made as the stream makes
 * them: equal when they were made from the same events, and each changed value reported.
 */
class ConsistencyCheckTest {
    @TempDir
    Path dir;

    @Test
    void agreesWhenTheTilesHoldTheSameEventsAndReportsEachValueThatDiffers() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
        Repositories.applyWith(catalog, dir, AggregationRetrievalTest.REPOSITORY, AggregationRetrievalTest.TRANSACTIONS);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), new MutableClock(Instant.EPOCH));
        ingestor.ingest("transactions", Optional.empty(), "alice");
        Definitions.FeatureView view = Stored.view(catalog.latest(FeatureRegistry.VIEW, "activity").orElseThrow().body());
        Instant at = Instant.parse("2026-01-01T13:30:00Z");
        try (RocksDbOnlineStore store = new RocksDbOnlineStore(dir.resolve("home/online"))) {
            WindowTiles one = tiles(view, new Object[][] {{"10:00", 10.0, "basic"}, {"13:00", 40.0, "basic"}, {"11:00", 20.0, "pro"},
                    {"12:00", null, "pro"}}); // out of order, as a stream may deliver them
            WindowTiles two = tiles(view, new Object[][] {{"10:30", 5.0, "pro"}});
            store.write(WindowTiles.onlineNamespace(view), List.of(one.onlineRecord("1"), two.onlineRecord("2")));
            ConsistencyCheck check = new ConsistencyCheck(catalog, ingestor, store);
            ConsistencyCheck.Report same = check.check("activity", 10, at);
            assertThat(same.sampled()).isEqualTo(2);
            assertThat(same.compared()).as("both entities' events are before the time: none left uncompared").isEqualTo(2);
            assertThat(same.skipped()).isEmpty();
            assertThat(same.values()).isEqualTo(10);
            assertThat(same.differences()).isEmpty();

            // Customer 2's state gains an event the offline store does not have.
            WindowTiles extra = tiles(view, new Object[][] {{"10:30", 5.0, "pro"}, {"12:00", 7.0, "basic"}});
            store.write(WindowTiles.onlineNamespace(view), List.of(extra.onlineRecord("2")));
            ConsistencyCheck.Report changed = check.check("activity", 10, at);
            assertThat(changed.differences()).extracting(ConsistencyCheck.Difference::entity).containsOnly("2");
            assertThat(changed.differences()).extracting(ConsistencyCheck.Difference::feature)
                    .containsExactlyInAnyOrder("spend_sum_2h", "count_1d", "plan_distinct_count_1d", "top_spend", "spend_mean_1d");
            assertThat(changed.differences()).filteredOn(d -> d.feature().equals("count_1d"))
                    .extracting(ConsistencyCheck.Difference::online, ConsistencyCheck.Difference::batch)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(2.0, 1.0));

            // Before customer 1's latest event (13:00) its tiles cannot say: it is left out, not reported as differing.
            ConsistencyCheck.Report early = check.check("activity", 10, Instant.parse("2026-01-01T12:30:00Z"));
            assertThat(early.sampled()).isEqualTo(2);
            assertThat(early.compared()).as("skipped entities are not counted as compared").isEqualTo(1);
            assertThat(early.values()).isEqualTo(5);
            assertThat(early.skipped()).singleElement().satisfies(s -> {
                assertThat(s.entity()).isEqualTo("1");
                assertThat(s.reason()).contains("[2026-01-01T13:00:00Z], after [2026-01-01T12:30:00Z]");
            });
            assertThat(early.differences()).extracting(ConsistencyCheck.Difference::entity).doesNotContain("1");
        }
    }

    @Test
    void aViewWithoutAggregationsOrAMissingViewIsRefusedByName() throws Exception {
        InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.EPOCH));
        Repositories.applyWith(catalog, dir, FeatureRegistryTest.REPOSITORY, "customer_id,event_ts,created_ts,spend,plan\n");
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("offline")), new MutableClock(Instant.EPOCH));
        try (RocksDbOnlineStore store = new RocksDbOnlineStore(dir.resolve("online"))) {
            ConsistencyCheck check = new ConsistencyCheck(catalog, ingestor, store);
            assertThatThrownBy(() -> check.check("customer_stats", 10, Instant.EPOCH)).isInstanceOf(SeerException.class)
                    .hasMessageContaining("[customer_stats] declares no aggregations");
            assertThatThrownBy(() -> check.check("nope", 10, Instant.EPOCH)).isInstanceOf(SeerException.class)
                    .hasMessageContaining("[nope] does not exist");
        }
    }

    /** Tiles as the stream builds them, from {time of 2026-01-01, spend, plan} in arrival order. */
    private static WindowTiles tiles(Definitions.FeatureView view, Object[][] events) {
        WindowTiles tiles = WindowTiles.empty(view.aggregations());
        for (Object[] e : events) {
            var record = dev.seer.core.Json.object().put("spend", (Double) e[1]).put("plan", (String) e[2]);
            Instant time = Instant.parse("2026-01-01T" + e[0] + ":00Z");
            tiles.add(WindowTiles.event(view, record, time.getEpochSecond() * 1_000_000));
        }
        return tiles;
    }
}

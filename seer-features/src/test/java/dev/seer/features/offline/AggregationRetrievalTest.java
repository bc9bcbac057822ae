package dev.seer.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.features.Repositories;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Window aggregations in historical retrieval: declared in the view, computed point in time. */
public class AggregationRetrievalTest {
    public static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - {name: transactions, path: data/transactions.csv, timestamp_field: event_ts}
            feature_views:
              - name: activity
                entities: [customer]
                source: transactions
                features:
                  - {name: spend, type: double}
                  - {name: plan, type: string}
                aggregations:
                  - {column: spend, function: sum, window: 2h}
                  - {function: count, window: 1d}
                  - {column: plan, function: distinct_count, window: 1d}
                  - {column: spend, function: max, window: 1d, name: top_spend}
                  - {column: spend, function: mean, window: 1d}
            """;

    public static final String TRANSACTIONS = """
            customer_id,event_ts,spend,plan
            1,2026-01-01T10:00:00Z,10,basic
            1,2026-01-01T11:00:00Z,20,pro
            1,2026-01-01T12:00:00Z,,pro
            1,2026-01-01T13:00:00Z,40,basic
            2,2026-01-01T10:30:00Z,5,pro
            """;

    @TempDir
    Path dir;

    InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
    HistoricalRetrieval retrieval;

    @BeforeEach
    void ingest() throws Exception {
        Repositories.applyWith(catalog, dir, REPOSITORY, TRANSACTIONS);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), new MutableClock(Instant.EPOCH));
        ingestor.ingest("transactions", Optional.empty(), "alice");
        retrieval = new HistoricalRetrieval(catalog, ingestor);
    }

    @Test
    void eachEntityRowGetsTheAggregatesOfItsWindowEndingAtItsTime() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, """
                customer_id,event_timestamp
                1,2026-01-01T12:00:00Z
                1,2026-01-01T13:00:00Z
                1,2026-01-01T09:59:59Z
                2,2026-01-02T10:30:00Z
                3,2026-01-01T12:00:00Z
                1,2026-01-01T12:00:00Z
                """);
        Path out = dir.resolve("out.csv");
        PointInTimeRetrieval.Result report = retrieval.run(entities, List.of("activity:spend_sum_2h", "activity:count_1d",
                "activity:plan_distinct_count_1d", "activity:top_spend", "activity:spend", "activity:spend_mean_1d"), out, false);
        assertThat(report.columns()).containsExactly("activity__spend_sum_2h", "activity__count_1d",
                "activity__plan_distinct_count_1d", "activity__top_spend", "activity__spend", "activity__spend_mean_1d");
        assertThat(report.schema().columns()).extracting(Column::type).as("counts are whole numbers, the rest doubles")
                .containsExactly(ColumnType.FLOAT64, ColumnType.INT64, ColumnType.INT64, ColumnType.FLOAT64, ColumnType.FLOAT64,
                        ColumnType.FLOAT64);
        assertThat(Files.readAllLines(out)).containsExactly(
                "customer_id,event_timestamp,activity__spend_sum_2h,activity__count_1d,activity__plan_distinct_count_1d,"
                        + "activity__top_spend,activity__spend,activity__spend_mean_1d",
                // (10:00, 12:00]: 20 and a null; 3 events in the day; basic and pro; the latest row's spend is null
                "1,2026-01-01T12:00:00Z,20.0,3,2,20.0,,15.0",
                // (11:00, 13:00]: null and 40; the 11:00 event is out of the 2h window
                "1,2026-01-01T13:00:00Z,40.0,4,2,40.0,40.0,23.333333333333332",
                "1,2026-01-01T09:59:59Z,,0,0,,,",                    // before any event: count 0, the rest null
                "2,2026-01-02T10:30:00Z,,0,0,,5.0,",                 // exactly one day later: (T - 1d, T] excludes it
                "3,2026-01-01T12:00:00Z,,0,0,,,",                    // unknown key
                "1,2026-01-01T12:00:00Z,20.0,3,2,20.0,,15.0");       // duplicates kept, in input order
    }

    @Test
    void aTinyMemoryBudgetGivesTheSameAggregatesInSeveralPasses() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, "customer_id,event_timestamp\n1,2026-01-01T13:00:00Z\n2,2026-01-01T11:00:00Z\n");
        List<String> refs = List.of("activity:spend_sum_2h", "activity:count_1d");
        retrieval.run(entities, refs, dir.resolve("one.csv"), false);
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), new MutableClock(Instant.EPOCH));
        PointInTimeRetrieval.Result split = new HistoricalRetrieval(catalog, ingestor, 1).run(entities, refs, dir.resolve("split.csv"), false);
        assertThat(split.passes()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("split.csv"))).isEqualTo(Files.readAllLines(dir.resolve("one.csv")))
                .contains("2,2026-01-01T11:00:00Z,5.0,1");
    }

    @Test
    void anOnlineLookupOfAnAggregationIsRefusedRatherThanAnsweredEmpty() {
        try (RocksDbOnlineStore store = new RocksDbOnlineStore(dir.resolve("home/online"))) {
            FeatureServer server = new FeatureServer(catalog, store, java.time.Clock.systemUTC());
            assertThatThrownBy(() -> server.lookup(List.of("activity:count_1d"), Map.of("customer_id", List.of("1"))))
                    .isInstanceOf(SeerException.class).hasMessageContaining("[activity:count_1d] is a window aggregation");
        }
    }

    @Test
    void theCreatedTimestampFlagIsRefusedForAggregationsRatherThanIgnored() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, "customer_id,event_timestamp\n1,2026-01-01T13:00:00Z\n");
        assertThatThrownBy(() -> retrieval.run(entities, List.of("activity:count_1d"), dir.resolve("o.csv"), true))
                .isInstanceOf(SeerException.class).hasMessageContaining("--filter-by-created-timestamp");
    }

    @Test
    void streamOptionsOfSourcesAreCheckedWhereTheyDoNotBelong() throws Exception {
        for (Map.Entry<String, String> bad : Map.of(
                "{name: transactions, path: data/transactions.csv, timestamp_field: event_ts, allowed_lateness: 1h}",
                "[allowed_lateness] is for push and kafka sources",
                "{name: transactions, path: data/transactions.csv, timestamp_field: event_ts, key_field: customer_id}",
                "[key_field] is for push and kafka sources",
                "{name: transactions, type: push, timestamp_field: event_ts, key_field: customer_id, schema: {customer_id: string,"
                        + " event_ts: timestamp, spend: double, plan: string}}", "[key_field] is for kafka sources",
                "{name: transactions, type: kafka, topic: t, timestamp_field: event_ts, key_field: client, schema: {customer_id:"
                        + " string, event_ts: timestamp, spend: double, plan: string}}", "[client] is not a field of [schema]",
                "{name: transactions, type: kafka, topic: t, timestamp_field: event_ts, allowed_lateness: later, schema:"
                        + " {customer_id: string, event_ts: timestamp}}", "[later] is not a duration").entrySet()) {
            Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY.replace(
                    "- {name: transactions, path: data/transactions.csv, timestamp_field: event_ts}", "- " + bad.getKey()));
            assertThatThrownBy(() -> new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice"))
                    .as(bad.getKey()).hasMessageContaining(bad.getValue()).hasMessageContaining("repo.yaml");
        }
    }

    @Test
    void badAggregationDefinitionsNameTheProblem() throws Exception {
        for (Map.Entry<String, String> bad : Map.of(
                "{column: spend, function: median, window: 2h}", "unknown function [median]",
                "{column: spend, function: sum, window: 0}", "window must be positive",
                "{function: sum, window: 2h}", "needs a [column]",
                "{column: nope, function: sum, window: 2h}", "[nope] is not a feature of this view",
                "{column: plan, function: sum, window: 2h}", "needs a numeric feature",
                "{column: spend, function: sum, window: 2h, name: spend}", "defined twice",
                "{column: spend, function: sum, window: 2h, step: 3h}", "step must be at most the window",
                "{column: spend, function: sum, window: 2h, step: soon}", "[soon] is not a duration").entrySet()) {
            Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY.replace("- {column: spend, function: sum, window: 2h}", "- " + bad.getKey()));
            assertThatThrownBy(() -> new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice"))
                    .as(bad.getKey()).hasMessageContaining(bad.getValue()).hasMessageContaining("repo.yaml");
        }
    }
}

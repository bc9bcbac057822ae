package dev.seer.features.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.features.Repositories;
import dev.seer.features.definition.FeatureRegistryTest;
import dev.seer.features.ingest.Ingestor;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoricalRetrievalTest {
    @TempDir
    Path dir;

    InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
    Ingestor ingestor;
    HistoricalRetrieval retrieval;

    @BeforeEach
    void ingest() throws Exception {
        Repositories.applyWith(catalog, dir, FeatureRegistryTest.REPOSITORY, """
                customer_id,event_ts,created_ts,spend,plan
                1,2026-01-01T10:00:00Z,2026-01-01T10:00:05Z,12.5,basic
                1,2026-01-01T10:00:00Z,2026-01-01T10:00:01Z,99.0,basic
                2,2026-01-02T11:00:00Z,2026-01-02T11:30:00Z,3.0,pro
                """);
        ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), new MutableClock(Instant.EPOCH));
        ingestor.ingest("transactions", Optional.empty(), "alice");
        retrieval = new HistoricalRetrieval(catalog, ingestor);
    }

    @Test
    void everyInputRowInOrderWithItsPointInTimeValues() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, """
                customer_id,event_timestamp,label
                2,2026-01-02T11:00:00+00:00,a
                1,2026-01-01T12:00:00Z,b
                1,2026-01-03T10:00:00Z,c
                1,2026-01-03T10:00:01Z,d
                2,2026-01-02 12:00:00,e
                9,2026-01-05T00:00:00Z,f
                2,2026-01-02T13:00:00+02:00,g
                1,2026-01-01T12:00:00Z,b
                """);
        Path out = dir.resolve("out.csv");
        PointInTimeRetrieval.Result report = retrieval.run(entities, List.of("customer_stats:spend", "customer_stats:plan"), out, false);
        assertThat(report.rows()).isEqualTo(8);
        assertThat(report.columns()).containsExactly("customer_stats__spend", "customer_stats__plan");
        assertThat(report.schema().columns()).as("typed as the view declares them").containsExactly(
                new Column("customer_stats__spend", ColumnType.FLOAT64, true),
                new Column("customer_stats__plan", ColumnType.STRING, true));
        assertThat(Files.readAllLines(out)).containsExactly(
                "customer_id,event_timestamp,label,customer_stats__spend,customer_stats__plan",
                "2,2026-01-02T11:00:00+00:00,a,3.0,pro",      // equal times match (inclusive)
                "1,2026-01-01T12:00:00Z,b,12.5,basic",          // tie on event time: the later created row wins
                "1,2026-01-03T10:00:00Z,c,12.5,basic",          // exactly ttl (2d) later: still in
                "1,2026-01-03T10:00:01Z,d,,",                   // a micro past the ttl: expired
                "2,2026-01-02 12:00:00,e,3.0,pro",              // no offset means UTC
                "9,2026-01-05T00:00:00Z,f,,",                   // unknown key: no match
                "2,2026-01-02T13:00:00+02:00,g,3.0,pro",        // 13:00+02:00 is 11:00 UTC: time zones are normalised
                "1,2026-01-01T12:00:00Z,b,12.5,basic");         // duplicates kept
    }

    @Test
    void aBudgetTooSmallForTheViewSplitsTheJoinIntoKeyRangesWithTheSameResult() throws Exception {
        java.util.Random random = new java.util.Random(11);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        StringBuilder csv = new StringBuilder("customer_id,event_ts,created_ts,spend,plan\n");
        for (int i = 0; i < 3000; i++) {
            Instant event = t0.plusSeconds(3600L * random.nextInt(96));
            csv.append(random.nextInt(60)).append(',').append(event).append(',').append(event.plusSeconds(3600L * random.nextInt(3)))
                    .append(',').append(random.nextInt(1000) / 4.0).append(',').append(random.nextBoolean() ? "basic" : "pro").append('\n');
        }
        Files.writeString(dir.resolve("more.csv"), csv);
        ingestor.ingest("transactions", Optional.of(dir.resolve("more.csv")), "alice");
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp\n");
        for (int i = 0; i < 2000; i++) {
            rows.append(random.nextInt(70)).append(',').append(t0.plusSeconds(60L * random.nextInt(6000))).append('\n');
        }
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, rows);
        List<String> refs = List.of("customer_stats:spend", "customer_stats:plan");
        PointInTimeRetrieval.Result whole = retrieval.run(entities, refs, dir.resolve("whole.csv"), false);
        PointInTimeRetrieval.Result split = new HistoricalRetrieval(catalog, ingestor, 1).run(entities, refs, dir.resolve("split.csv"), false);
        assertThat(whole.passes()).isEqualTo(1);
        assertThat(split.passes()).isGreaterThan(50); // one pass per key of the entity file
        assertThat(split.matched()).isEqualTo(whole.matched()).isGreaterThan(1000);
        assertThat(Files.readAllLines(dir.resolve("split.csv"))).isEqualTo(Files.readAllLines(dir.resolve("whole.csv")));
    }

    @Test
    void theCreatedTimestampFlagHidesRowsCreatedLater() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, "customer_id,event_timestamp\n2,2026-01-02T11:10:00Z\n");
        Path out = dir.resolve("out.csv");
        retrieval.run(entities, List.of("churn_v1"), out, true);
        assertThat(Files.readAllLines(out)).containsExactly("customer_id,event_timestamp,customer_stats__spend,customer_stats__plan",
                "2,2026-01-02T11:10:00Z,,");
        retrieval.run(entities, List.of("churn_v1"), out, false);
        assertThat(Files.readAllLines(out).get(1)).isEqualTo("2,2026-01-02T11:10:00Z,3.0,pro");
    }

    @Test
    void badInputIsNamed() throws Exception {
        Path noTime = dir.resolve("no_time.csv");
        Files.writeString(noTime, "customer_id,ts\n1,2026-01-01T00:00:00Z\n");
        assertThatThrownBy(() -> retrieval.run(noTime, List.of("customer_stats:spend"), dir.resolve("o.csv"), false))
                .hasMessageContaining("has no [event_timestamp] column");
        Path badTime = dir.resolve("bad_time.csv");
        Files.writeString(badTime, "customer_id,event_timestamp\n1,2026-01-01T00:00:00Z\n1,soon\n");
        assertThatThrownBy(() -> retrieval.run(badTime, List.of("customer_stats:spend"), dir.resolve("o.csv"), false))
                .hasMessageContaining("row 2").hasMessageContaining("[soon]");
        assertThatThrownBy(() -> retrieval.run(badTime, List.of("customer_stats:age"), dir.resolve("o.csv"), false))
                .hasMessageContaining("view [customer_stats] has no feature [age]");
        assertThatThrownBy(() -> retrieval.run(badTime, List.of("nope:x"), dir.resolve("o.csv"), false))
                .hasMessageContaining("there is no feature view [nope]");
        Path noKey = dir.resolve("no_key.csv");
        Files.writeString(noKey, "user,event_timestamp\n1,2026-01-01T00:00:00Z\n");
        assertThatThrownBy(() -> retrieval.run(noKey, List.of("customer_stats:spend"), dir.resolve("o.csv"), false))
                .hasMessageContaining("lacks the join keys [customer_id]");
    }
}

package dev.seer.features.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.duckdb.DuckEngine;
import dev.seer.features.Repositories;
import dev.seer.features.definition.FeatureRegistryTest;
import dev.seer.features.offline.OfflineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestorTest {
    @TempDir
    Path dir;

    InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
    OfflineStore store;
    Ingestor ingestor;

    @BeforeEach
    void apply() throws IOException {
        Repositories.applyWith(catalog, dir, FeatureRegistryTest.REPOSITORY, """
                customer_id,event_ts,created_ts,spend,plan
                1,2026-01-01T10:00:00Z,2026-01-01T10:00:01Z,12.5,basic
                2,2026-01-02 11:00:00,2026-01-02T11:00:01Z,3.0,pro
                3,2026-01-02T12:00:00+02:00,,-4.0,pro
                4,yesterday,2026-01-02T11:00:01Z,5.0,basic
                5,2026-01-03T10:00:00Z,2026-01-03T10:00:01Z,lots,gold
                ,2026-01-03T10:00:00Z,2026-01-03T10:00:01Z,1.0,basic
                7,2026-01-03T10:00:00Z,2026-01-03T10:00:01Z,,basic
                """);
        store = new OfflineStore(dir.resolve("home/offline"));
        ingestor = new Ingestor(catalog, store, new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
    }

    @Test
    void goodRowsGoToTheStoreAndBadOnesToTheQuarantineWithRowColumnAndReason() throws Exception {
        IngestReport report = ingestor.ingest("transactions", Optional.empty(), "alice");
        assertThat(report.rowsRead()).isEqualTo(7);
        assertThat(report.rowsWritten()).isEqualTo(2);
        assertThat(report.rowsQuarantined()).isEqualTo(5);
        assertThat(report.alreadyIngested()).isFalse();
        List<String> quarantine = rows("SELECT row || '|' || column_name || '|' || reason FROM read_parquet("
                + quote(store.root().resolve("quarantine/transactions/" + report.batchId() + ".parquet")) + ") ORDER BY row, column_name, reason");
        assertThat(quarantine).containsExactly(
                "3|spend|value -4.0 is below min 0.0",
                "4|event_ts|value [yesterday] is not a timestamp",
                "5|plan|value [gold] is not one of [basic, pro]",
                "5|spend|value [lots] is not a double",
                "6|customer_id|join key is missing",
                "7|spend|value is missing (not_null)");
        List<String> stored = rows("SELECT customer_id || '|' || strftime(event_ts AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S') || '|' || round(spend_eur, 6)"
                + " || '|' || date FROM read_parquet(" + quote(store.root() + "/views/customer_stats/*/*.parquet")
                + ", hive_partitioning = true) ORDER BY customer_id");
        assertThat(stored).containsExactly("1|2026-01-01T10:00:00|11.5|2026-01-01", "2|2026-01-02T11:00:00|2.76|2026-01-02");
        var batch = ingestor.records("transactions").get(0);
        assertThat(batch.views().get(0).profile().path("spend").path("count").asText()).isEqualTo("2");
        assertThat(batch.files()).hasSize(3);
        assertThat(Files.exists(store.root().resolve(".staging").resolve(report.batchId()))).isFalse();
    }

    @Test
    void progressIsToldStepByStep() {
        List<String> messages = new ArrayList<>();
        ingestor.ingest("transactions", Optional.empty(), "alice", messages::add);
        assertThat(messages).hasSize(5);
        assertThat(messages.get(0)).startsWith("reading ").contains("transactions.csv").contains("bytes");
        assertThat(messages.get(1)).startsWith("read 7 rows");
        assertThat(messages.get(2)).startsWith("view customer_stats: 2 written, 5 quarantined");
        assertThat(messages.get(3)).startsWith("published 3 files"); // the view's and the quarantine's, before the commit point
        assertThat(messages.get(4)).startsWith("recorded batch batch_");
    }

    @Test
    void theSameContentTwiceAddsNothing() throws Exception {
        IngestReport first = ingestor.ingest("transactions", Optional.empty(), "alice");
        IngestReport second = ingestor.ingest("transactions", Optional.empty(), "alice");
        assertThat(second.alreadyIngested()).isTrue();
        assertThat(second.batchId()).isEqualTo(first.batchId());
        assertThat(ingestor.records("transactions")).hasSize(1);
        assertThat(rows("SELECT count(*) FROM read_parquet(" + quote(store.root() + "/views/customer_stats/*/*.parquet") + ")"))
                .containsExactly("2");
    }

    @Test
    void anUnknownSourceAndAMissingFileAreNamed() {
        assertThatThrownBy(() -> ingestor.ingest("nope", Optional.empty(), "a")).hasMessageContaining("Source [nope] is not defined");
        assertThatThrownBy(() -> ingestor.ingest("transactions", Optional.of(dir.resolve("gone.csv")), "a"))
                .hasMessageContaining("gone.csv").hasMessageContaining("does not exist");
        assertThat(ingestor.records("transactions")).isEmpty();
    }

    private static String quote(Object path) {
        return DuckEngine.literal(path.toString());
    }

    private static List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}

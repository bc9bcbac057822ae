package dev.seer.features.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.Repositories;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.OnlineRowsTest;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Micro-batches of a stream are named by their first offset: of two batches from the same
 * offset (a consumer that lost its partition while paused, and the new owner), exactly one is
 * recorded, even when both write at once.
 */
class StagedIngestionTest {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(OnlineRowsTest.NOW);
    InMemoryCatalog catalog = new InMemoryCatalog(clock);

    @Test
    void ofTwoBatchesFromTheSameOffsetExactlyOneIsRecorded() throws Exception {
        Repositories.applyWith(catalog, dir, OnlineRowsTest.REPOSITORY, "unused\n");
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), clock);
        // The zombie read offsets 100..102; the new owner, from the same recorded position, 100..101.
        Path zombie = staged("zombie.jsonl", 3);
        Path owner = staged("owner.jsonl", 2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<IngestReport>> reports = new ArrayList<>();
        for (Path file : List.of(zombie, owner)) {
            Callable<IngestReport> ingest = () -> ingestor.ingestStaged("events", file, "events/0/100",
                    new KafkaSpan("events", 0, 100, 102, 3, 0, "test", Long.MIN_VALUE), "test");
            reports.add(pool.submit(ingest));
        }
        pool.shutdown();
        long recorded = 0;
        long refused = 0;
        for (Future<IngestReport> report : reports) {
            if (report.get().alreadyIngested()) {
                refused++;
            } else {
                recorded++;
            }
        }
        assertThat(recorded).isEqualTo(1);
        assertThat(refused).isEqualTo(1);
        assertThat(ingestor.records("events")).hasSize(1);
        assertThat(catalog.versions(Ingestor.BATCH, Ingestor.batchName("events", "events/0/100")))
                .as("one record of the name, not a second version over the first").hasSize(1);
        long rows = ingestor.records("events").get(0).rowsRead();
        assertThat(rows).isIn(2L, 3L);
        // Only the recorded batch's files are read: the other's rows are not in the view.
        List<Path> files = ingestor.viewFiles("by_store");
        String list = files.stream().map(f -> DuckEngine.literal(f.toString())).collect(java.util.stream.Collectors.joining(", "));
        try (var duck = DuckEngine.open(); var statement = duck.createStatement();
                var rs = statement.executeQuery("SELECT count(*) FROM read_parquet([" + list + "])")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows);
        }
    }

    @Test
    void aPartitionResumesAfterTheBatchThatReachesFurthestAndAViewReadsOnlyItsBatches() throws Exception {
        Repositories.applyWith(catalog, dir, OnlineRowsTest.REPOSITORY, "unused\n");
        Ingestor ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), clock);
        assertThat(ingestor.lastRecorded("events", "events", 0)).isEmpty();
        // Recorded out of offset order on purpose: the position is the furthest offset, not the latest record.
        stage(ingestor, "a.jsonl", 0, 102, 3);
        stage(ingestor, "b.jsonl", 0, 100, 2);
        stage(ingestor, "c.jsonl", 1, 0, 1);
        assertThat(ingestor.lastRecorded("events", "events", 0)).get()
                .satisfies(l -> assertThat(l.lastOffset()).isEqualTo(104));
        assertThat(ingestor.lastRecorded("events", "events", 1)).get()
                .satisfies(l -> assertThat(l.lastOffset()).isZero());
        assertThat(ingestor.lastRecorded("events", "events", 2)).isEmpty();
        assertThat(ingestor.lastRecorded("events", "other-topic", 0)).isEmpty();
        List<Path> expected = new ArrayList<>();
        for (String origin : List.of("events/0/100", "events/0/102", "events/1/0")) {
            expected.addAll(ingestor.stagedViewFiles("events", origin, "by_store"));
        }
        assertThat(expected).isNotEmpty();
        assertThat(ingestor.viewFiles("by_store")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ingestor.viewFiles("no_such_view")).isEmpty();
    }

    private void stage(Ingestor ingestor, String file, int partition, long first, int records) throws Exception {
        ingestor.ingestStaged("events", staged(file, records), "events/" + partition + "/" + first,
                new KafkaSpan("events", partition, first, first + records - 1, records, 0, "test", Long.MIN_VALUE), "test");
    }

    private Path staged(String name, int records) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < records; i++) {
            lines.append("{\"customer_id\":\"c").append(i).append("\",\"store_id\":").append(i)
                    .append(",\"event_ts\":\"2026-11-26T00:00:0").append(i).append("Z\",\"amount\":1.5}\n");
        }
        return Files.writeString(dir.resolve(name), lines);
    }
}

package dev.seer.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.objects.ObjectStore;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.testing.InMemoryCatalog;
import dev.seer.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStoreTest {
    static final String REPOSITORY = """
            entities:
              - name: customer
                join_keys: [customer_id]
            sources:
              - name: transactions
                path: data/transactions.csv
                timestamp_field: event_ts
            feature_views:
              - name: customer_stats
                entities: [customer]
                source: transactions
                features:
                  - {name: spend, type: double}
                  - {name: plan, type: string}
            feature_services:
              - name: churn_v1
                features: [customer_stats:spend, customer_stats:plan]
            """;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    InMemoryCatalog catalog = new InMemoryCatalog(new MutableClock(Instant.parse("2026-11-27T00:00:00Z")));
    Ingestor ingestor;
    DatasetStore datasets;
    Path entities;
    List<String> messages = new ArrayList<>();
    /** What the store audited (a fake sink: the catalog's own records are audited by JdbcCatalog, tested there). */
    List<dev.seer.core.audit.AuditRecord> audited = new ArrayList<>();

    @BeforeEach
    void home() throws Exception {
        Files.createDirectories(dir.resolve("repo/data"));
        Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY);
        Files.writeString(dir.resolve("repo/data/transactions.csv"), transactions(new Random(1), 2_000));
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
        ingestor = new Ingestor(catalog, new OfflineStore(dir.resolve("home/offline")), new MutableClock(T0));
        ingestor.ingest("transactions", Optional.empty(), "alice");
        datasets = new DatasetStore(dir.resolve("home/datasets"), catalog, new HistoricalRetrieval(catalog, ingestor),
                record -> {
                    audited.add(record);
                    return java.util.concurrent.CompletableFuture.completedFuture((long) audited.size());
                }, new MutableClock(Instant.parse("2026-11-27T12:00:00Z")));
        entities = dir.resolve("entities.csv");
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp,churned\n");
        Random random = new Random(2);
        for (int i = 0; i < 1_000; i++) {
            rows.append(random.nextInt(300)).append(',').append(T0.plusSeconds(60L * random.nextInt(60 * 24 * 30))).append(',')
                    .append(random.nextBoolean()).append('\n');
        }
        Files.writeString(entities, rows);
    }

    static String transactions(Random random, int rows) {
        StringBuilder csv = new StringBuilder("customer_id,event_ts,spend,plan\n");
        for (int i = 0; i < rows; i++) {
            csv.append(random.nextInt(300)).append(',').append(T0.plusSeconds(60L * random.nextInt(60 * 24 * 30))).append(',')
                    .append(random.nextInt(10_000) / 100.0).append(',').append(random.nextBoolean() ? "basic" : "pro").append('\n');
        }
        return csv.toString();
    }

    DatasetStore.Written create(String name, Optional<SplitSpec> split) {
        return datasets.create(name, new DatasetStore.CreateRequest(entities, List.of("churn_v1"), Optional.of("churned"), false,
                split), "alice", messages::add);
    }

    @Test
    void createStoresTheJoinAsAVersionWithItsManifestAndLineage() throws Exception {
        DatasetStore.Written written = create("churn", Optional.empty());

        DatasetVersion v1 = written.version();
        assertThat(written.created()).isTrue();
        assertThat(v1.toString()).isEqualTo("churn:1");
        assertThat(v1.rows()).isEqualTo(1_000);
        JsonNode manifest = v1.manifest().toJson();
        assertThat(manifest.path("schema").findValuesAsText("name")).containsExactly("customer_id", "event_timestamp",
                "churned", "customer_stats__spend", "customer_stats__plan");
        assertThat(manifest.path("key").toString()).isEqualTo("[\"customer_id\",\"event_timestamp\"]");
        assertThat(manifest.path("label").asText()).isEqualTo("churned");
        assertThat(manifest.path("profile").path("customer_stats__spend").path("max").asDouble()).isBetween(0.0, 100.0);
        assertThat(manifest.path("creator").asText()).isEqualTo("alice");
        assertThat(manifest.path("created").asText()).isEqualTo("2026-11-27T12:00:00Z");
        JsonNode lineage = manifest.path("lineage");
        assertThat(lineage.path("entities").path("sha256").asText()).isEqualTo(ObjectStore.hash(entities));
        assertThat(lineage.path("views").get(0).path("view").asText()).isEqualTo("customer_stats");
        assertThat(lineage.path("views").get(0).path("batches").asInt()).isEqualTo(1);
        String batchId = ingestor.records().get(0).batchId();
        assertThat(lineage.path("views").get(0).path("files").get(0).path("batch_id").asText()).isEqualTo(batchId);

        Path out = dir.resolve("export.parquet");
        datasets.export(v1.ref(), Optional.empty(), out);
        assertThat(ObjectStore.hash(out)).isEqualTo(v1.contentHash());
        assertThat(count("SELECT count(*) FROM read_parquet('" + out + "')")).isEqualTo(1_000);
        assertThat(count("SELECT count(*) FROM read_parquet('" + out + "') WHERE customer_stats__spend IS NOT NULL"))
                .as("rows with a feature value").isBetween(500L, 1_000L);
        LineageReport full = datasets.lineage(v1.ref());
        assertThat(full.batches().views().get(0).batches().get(0).matchedRows().getAsLong()).isPositive();
        assertThat(catalog.versions(DatasetStore.KIND, "churn")).hasSize(1);
    }

    @Test
    void theSameInputsTwiceAddNoVersionAndEqualContentIsStoredOnce() throws Exception {
        DatasetVersion v1 = create("churn", Optional.empty()).version();
        DatasetStore.Written again = create("churn", Optional.empty());
        assertThat(again.created()).isFalse();
        assertThat(again.version().version()).isEqualTo(1);
        assertThat(again.bytesStored()).isZero();

        Path exported = dir.resolve("copy.parquet");
        datasets.export(v1.ref(), Optional.empty(), exported);
        int objectsBefore = datasets.verify(m -> { }).objects();
        DatasetStore.Written imported = datasets.importFile("copy", new DatasetStore.ImportRequest(exported, List.of(),
                Optional.empty(), Optional.empty()), "bob", m -> { });
        assertThat(imported.version().contentHash()).isEqualTo(v1.contentHash());
        assertThat(imported.bytesStored()).as("the data object was there already").isZero();
        assertThat(datasets.verify(m -> { }).objects()).as("no new object").isEqualTo(objectsBefore);
    }

    @Test
    void diffReportsSchemaChangesAndRowsAddedRemovedAndChangedByKey() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "id,x,y\n1,10,a\n2,20,b\n3,30,c\n4,40,d\n");
        Files.writeString(b, "id,x,z\n1,10,p\n2,21,q\n4,40,r\n5,50,s\n");
        datasets.importFile("t", new DatasetStore.ImportRequest(a, List.of("id"), Optional.empty(), Optional.empty()), "bob", m -> { });
        datasets.importFile("t", new DatasetStore.ImportRequest(b, List.of("id"), Optional.empty(), Optional.empty()), "bob", m -> { });

        DatasetDiff diff = datasets.diff(DatasetRef.parse("t:1"), DatasetRef.parse("t:2"), List.of());

        assertThat(diff.key()).containsExactly("id");
        assertThat(diff.rows()).isEqualTo(new DatasetDiff.Rows(1, 1, 1));
        assertThat(diff.samples()).isEqualTo(new DatasetDiff.Samples(List.of(Map.of("id", "5")), List.of(Map.of("id", "3")),
                List.of(Map.of("id", "2"))));
        assertThat(diff.schema()).extracting(DatasetDiff.ColumnChange::column, DatasetDiff.ColumnChange::change)
                .containsExactly(tuple("y", DatasetDiff.Change.REMOVED), tuple("z", DatasetDiff.Change.ADDED));
        assertThat(diff.schema().get(0).typeB()).isEmpty();
        assertThat(diff.schema().get(1).typeA()).isEmpty();
        assertThat(diff.statistics().get("x").a().orElseThrow().path("max").asText()).isEqualTo("40");
        assertThat(diff.statistics().get("x").b().orElseThrow().path("max").asText()).isEqualTo("50");
        assertThat(diff.statistics().get("y").b()).as("y is not in t:2").isEmpty();
    }

    @Test
    void aDiffWithoutACommonKeyOrWithARepeatedKeyIsRefused() throws Exception {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "id,x\n1,10\n1,11\n");
        datasets.importFile("t", new DatasetStore.ImportRequest(a, List.of(), Optional.empty(), Optional.empty()), "bob", m -> { });
        create("churn", Optional.empty());

        assertThatThrownBy(() -> datasets.diff(DatasetRef.parse("t:1"), DatasetRef.parse("churn:1"), List.of()))
                .isInstanceOf(SeerException.class).hasMessageContaining("have no common key");
        assertThatThrownBy(() -> datasets.diff(DatasetRef.parse("t:1"), DatasetRef.parse("churn:1"), List.of("id")))
                .hasMessageContaining("Dataset churn:1 lacks the column(s) [id]");
        assertThatThrownBy(() -> datasets.diff(DatasetRef.parse("t:1"), DatasetRef.parse("t:1"), List.of("id")))
                .hasMessageContaining("Key [id] is not unique in t:1: [1] is on 2 rows");
    }

    @Test
    void verifyFindsAChangedByteAndTheObjectIsNeverServed() throws Exception {
        DatasetVersion v1 = create("churn", Optional.empty()).version();
        assertThat(datasets.verify(m -> { }).ok()).isTrue();
        Path object = dir.resolve("home/datasets/objects").resolve(v1.contentHash().substring(0, 2))
                .resolve(v1.contentHash().substring(2));
        byte[] bytes = Files.readAllBytes(object);
        bytes[bytes.length / 2] ^= 1;
        Files.write(object, bytes);

        DatasetStore.Verification verification = datasets.verify(m -> { });
        assertThat(verification.ok()).isFalse();
        assertThat(verification.problems()).singleElement().satisfies(p -> {
            assertThat(p.object()).isEqualTo(v1.contentHash());
            assertThat(p.usedBy()).containsExactly("churn:1");
            assertThat(p.message()).contains("is corrupted");
        });
        Path out = dir.resolve("out.parquet");
        assertThatThrownBy(() -> datasets.export(v1.ref(), Optional.empty(), out)).isInstanceOf(SeerException.class)
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(DatasetErrorCode.CORRUPTED));
        assertThat(out).doesNotExist();
        assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains("partial"));
        assertThatThrownBy(() -> datasets.diff(v1.ref(), v1.ref(), List.of())).hasMessageContaining("is corrupted");
        assertThat(datasets.reproduce(v1.ref(), m -> { }).same()).as("the inputs, not the stored object, are rerun").isTrue();
    }

    @Test
    void gcRemovesOnlyWhatNoVersionReferencesAndADryRunRemovesNothing() throws Exception {
        DatasetVersion v1 = create("churn", Optional.of(SplitSpec.parse(SplitSpec.Method.KEY, List.of("customer_id"),
                "0.8,0.1,0.1"))).version();
        ObjectStore objects = new ObjectStore(dir.resolve("home/datasets/objects"), "Dataset objects",
                new ObjectStore.Errors(DatasetErrorCode.INPUT_UNREADABLE, DatasetErrorCode.CORRUPTED,
                        DatasetErrorCode.STORAGE_FAILURE));
        Path stray = dir.resolve("stray.bin");
        Files.writeString(stray, "left by a crashed create");
        String orphan = objects.copyIn(stray, n -> { }).sha256();
        Files.createDirectories(dir.resolve("home/datasets/.staging/crashed"));
        Files.writeString(dir.resolve("home/datasets/.staging/crashed/joined.parquet"), "partial");

        DatasetStore.GarbageReport dry = datasets.gc(true, "ops");
        assertThat(dry.objects()).containsExactly(orphan);
        assertThat(dry.leftovers()).singleElement().asString().endsWith("crashed");
        assertThat(objects.contains(orphan)).isTrue();

        assertThat(audited).as("a dry run is not audited").isEmpty();
        DatasetStore.GarbageReport done = datasets.gc(false, "ops");
        assertThat(audited).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("dataset.objects_removed");
            assertThat(r.actor()).isEqualTo("ops");
            assertThat(r.payload().path("objects").toString()).isEqualTo("[\"" + orphan + "\"]");
        });
        assertThat(done.objects()).containsExactly(orphan);
        assertThat(objects.contains(orphan)).isFalse();
        assertThat(dir.resolve("home/datasets/.staging/crashed")).doesNotExist();
        assertThat(objects.contains(v1.contentHash())).isTrue();
        assertThat(datasets.verify(m -> { }).ok()).isTrue();
        assertThat(datasets.verify(m -> { }).objects()).as("data, three splits, entity file, lineage").isEqualTo(6);
        assertThat(datasets.gc(false, "ops").objects()).isEmpty();
        assertThat(audited).as("nothing removed, nothing audited").hasSize(1);
    }

    @Test
    void reproduceRerunsTheRecordedInputsAndGivesTheSameHashEvenAfterNewData() throws Exception {
        DatasetVersion v1 = create("churn", Optional.of(SplitSpec.parse(SplitSpec.Method.TIME, List.of("event_timestamp"),
                "0.7,0.15,0.15"))).version();
        Path later = dir.resolve("later.csv");
        Files.writeString(later, transactions(new Random(3), 500));
        ingestor.ingest("transactions", Optional.of(later), "alice");

        DatasetStore.Reproduction reproduction = datasets.reproduce(v1.ref(), m -> { });

        assertThat(reproduction.reproducedHash()).isEqualTo(v1.contentHash());
        assertThat(reproduction.reproducedSplits()).hasSize(3).isEqualTo(reproduction.recordedSplits());
        assertThat(reproduction.same()).isTrue();
        DatasetVersion v2 = create("churn", Optional.of(SplitSpec.parse(SplitSpec.Method.TIME, List.of("event_timestamp"),
                "0.7,0.15,0.15"))).version();
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.contentHash()).as("the new batch changes a fresh join").isNotEqualTo(v1.contentHash());

        Files.writeString(entities, Files.readString(entities) + "1,2026-01-02T00:00:00Z,true\n");
        assertThat(datasets.reproduce(v1.ref(), m -> { }).same()).as("the join reran from the stored entity file").isTrue();
        String entityObject = ((DatasetLineage.Retrieval) v1.manifest().lineage()).entities().sha256();
        Path stored = dir.resolve("home/datasets/objects").resolve(entityObject.substring(0, 2)).resolve(entityObject.substring(2));
        Files.writeString(stored, Files.readString(stored).replace("true", "TRUE"));
        assertThatThrownBy(() -> datasets.reproduce(v1.ref(), m -> { })).hasMessageContaining("Object [" + entityObject
                + "] is corrupted");
    }

    @Test
    void aKeySplitPutsEachEntityInOneSplitTheSameWayEveryTime() throws Exception {
        SplitSpec spec = SplitSpec.parse(SplitSpec.Method.KEY, List.of("customer_id"), "0.6,0.2,0.2");
        DatasetVersion v1 = create("churn", Optional.of(spec)).version();
        Map<String, Set<String>> keys = new java.util.LinkedHashMap<>();
        long total = 0;
        for (String split : Tables.SPLITS) {
            Path out = dir.resolve(split + ".parquet");
            datasets.export(v1.ref(), Optional.of(split), out);
            keys.put(split, strings("SELECT DISTINCT CAST(customer_id AS VARCHAR) FROM read_parquet('" + out + "')"));
            long rows = count("SELECT count(*) FROM read_parquet('" + out + "')");
            assertThat(v1.manifest().splits().orElseThrow().parts().get(split).rows()).isEqualTo(rows);
            total += rows;
        }
        assertThat(total).isEqualTo(1_000);
        Set<String> seen = new HashSet<>();
        keys.values().forEach(set -> set.forEach(k -> assertThat(seen.add(k)).as("entity %s in one split only", k).isTrue()));
        assertThat(keys.get("train").size()).isBetween(120, 240); // about 60% of some 290 customers
        assertThat(v1.manifest().toJson().path("splits").path("salt").asText()).isEqualTo("churn");

        Path other = dir.resolve("other.parquet");
        datasets.export(v1.ref(), Optional.empty(), other);
        DatasetVersion imported = datasets.importFile("churn_copy", new DatasetStore.ImportRequest(other, List.of(),
                Optional.empty(), Optional.of(spec)), "bob", m -> { }).version();
        assertThat(imported.manifest().toJson().path("splits").path("parts").path("train").path("rows").asLong())
                .as("a different salt (the name) splits differently")
                .isNotEqualTo(v1.manifest().toJson().path("splits").path("parts").path("train").path("rows").asLong());
        assertThatThrownBy(() -> create("churn", Optional.of(SplitSpec.parse(SplitSpec.Method.KEY, List.of("churned"),
                "0.6,0.2,0.2")))).hasMessageContaining("must use the entity join keys [customer_id], not [churned]");
        assertThatThrownBy(() -> datasets.export(imported.ref(), Optional.of("holdout"), dir.resolve("x.parquet")))
                .hasMessageContaining("has no split [holdout]; its splits: [train, validation, test]");
    }

    @Test
    void aTimeSplitPutsNoFutureRowInTraining() throws Exception {
        DatasetVersion v1 = create("churn", Optional.of(SplitSpec.parse(SplitSpec.Method.TIME, List.of("event_timestamp"),
                "0.8,0.1,0.1"))).version();
        long[][] ranges = new long[3][];
        int i = 0;
        for (String split : Tables.SPLITS) {
            Path out = dir.resolve(split + ".parquet");
            datasets.export(v1.ref(), Optional.of(split), out);
            ranges[i++] = new long[] {
                count("SELECT epoch_us(min(CAST(event_timestamp AS TIMESTAMPTZ))) FROM read_parquet('" + out + "')"),
                count("SELECT epoch_us(max(CAST(event_timestamp AS TIMESTAMPTZ))) FROM read_parquet('" + out + "')")};
        }
        assertThat(ranges[0][1]).as("latest training row before the first validation row").isLessThan(ranges[1][0]);
        assertThat(ranges[1][1]).isLessThan(ranges[2][0]);
        JsonNode splits = v1.manifest().toJson().path("splits");
        assertThat(splits.path("train_before_micros").asLong()).isGreaterThan(ranges[0][1]).isLessThanOrEqualTo(ranges[1][0]);
        assertThat(splits.path("parts").path("train").path("rows").asLong()).isBetween(780L, 820L);
    }

    /** Rows from stream micro-batches trace back to their Kafka topic, partition and offsets. */
    @Test
    void lineageOfStreamRowsNamesTheirKafkaOffsets() throws Exception {
        Files.writeString(dir.resolve("repo/repo.yaml"), REPOSITORY.replace("feature_views:\n", """
                  - name: payments
                    type: push
                    timestamp_field: event_ts
                    schema: {customer_id: string, event_ts: timestamp, amount: double}
                feature_views:
                """).replace("feature_services:\n", """
                  - name: payments
                    entities: [customer]
                    source: payments
                    features:
                      - {name: amount, type: double}
                feature_services:
                """));
        new FeatureRegistry(catalog).apply(dir.resolve("repo"), "alice");
        for (int partition = 0; partition < 2; partition++) {
            Path staged = dir.resolve("staged-" + partition + ".jsonl");
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                lines.append("{\"customer_id\": \"").append(i % 300).append("\", \"event_ts\": \"")
                        .append(T0.plusSeconds(3600L * i)).append("\", \"amount\": ").append(i).append("}\n");
            }
            Files.writeString(staged, lines);
            ingestor.ingestStaged("payments", staged, "pay/" + partition + "/1000",
                    new BatchRecord.KafkaSpan("pay", partition, 1000, 1049, 50, 0, "test", 0), "test");
        }

        DatasetVersion version = datasets.create("pay", new DatasetStore.CreateRequest(entities, List.of("payments:amount"),
                Optional.empty(), false, Optional.empty()), "alice", m -> { }).version();

        JsonNode summary = version.manifest().toJson().path("lineage").path("views").get(0);
        assertThat(summary.path("view").asText()).isEqualTo("payments");
        assertThat(summary.path("kafka").toString()).isEqualTo("[{\"batches\":1,\"first_offset\":1000,\"last_offset\":1049,"
                + "\"partition\":0,\"topic\":\"pay\"},{\"batches\":1,\"first_offset\":1000,\"last_offset\":1049,"
                + "\"partition\":1,\"topic\":\"pay\"}]"); // canonical JSON: keys in order
        List<BatchesRead.Batch> batches = datasets.lineage(version.ref()).batches().views().get(0).batches();
        assertThat(batches).hasSize(2).allSatisfy(b -> {
            assertThat(b.source()).isEqualTo("payments");
            assertThat(b.kafka().orElseThrow().lastOffset()).isEqualTo(1049);
        });
        assertThat(datasets.reproduce(version.ref(), m -> { }).same()).isTrue();
    }

    @Test
    void unknownNamesVersionsAndEntityFilesWithoutTheKeysAreClearErrors() throws Exception {
        assertThatThrownBy(() -> datasets.get(DatasetRef.parse("nope"))).hasMessage(
                "Dataset [nope] does not exist; there are no datasets yet");
        create("churn", Optional.empty());
        assertThatThrownBy(() -> datasets.get(DatasetRef.parse("churn:7"))).hasMessage(
                "Dataset [churn] has no version 7; its latest is 1");
        assertThatThrownBy(() -> datasets.versions("nope")).hasMessage("Dataset [nope] does not exist; datasets: [churn]");
        assertThatThrownBy(() -> DatasetRef.parse("churn:x")).hasMessageContaining("version [x] is not a positive whole number");
        assertThatThrownBy(() -> DatasetRef.parse("bad name")).hasMessageContaining("Dataset name [bad name] must be");

        Path noKeys = dir.resolve("no-keys.csv");
        Files.writeString(noKeys, "user,event_timestamp\n1,2026-01-02T00:00:00Z\n");
        assertThatThrownBy(() -> datasets.create("churn", new DatasetStore.CreateRequest(noKeys, List.of("churn_v1"),
                Optional.empty(), false, Optional.empty()), "alice", m -> { })).hasMessageContaining(
                "The entity file lacks the join keys [customer_id]");
        assertThatThrownBy(() -> datasets.create("churn", new DatasetStore.CreateRequest(entities, List.of("churn_v1"),
                Optional.of("outcome"), false, Optional.empty()), "alice", m -> { })).hasMessageContaining(
                "The dataset (label column) lacks the column(s) [outcome]");
        assertThat(catalog.versions(DatasetStore.KIND, "churn")).as("no failed create left a version").hasSize(1);
        assertThat(dir.resolve("home/datasets/.staging")).isEmptyDirectory();
    }

    /** A version written by a newer Seer is refused, naming it, rather than misread. */
    @Test
    void aManifestOfANewerFormatIsRefused() throws Exception {
        DatasetVersion v1 = create("churn", Optional.empty()).version();
        ObjectNode future = (ObjectNode) v1.manifest().toJson();
        future.put("format", 2);
        catalog.put(DatasetStore.KIND, "churn", future, "a newer seer");

        assertThatThrownBy(() -> datasets.get(DatasetRef.parse("churn:2"))).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(CoreErrorCode.UNSUPPORTED_FORMAT)).hasMessageStartingWith(
                "Dataset churn:2: This Seer reads dataset manifest formats 1 to 1, not [2]");
        assertThat(datasets.get(DatasetRef.parse("churn:1")).manifest()).isEqualTo(v1.manifest());
    }

    long count(String sql) throws Exception {
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    Set<String> strings(String sql) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}

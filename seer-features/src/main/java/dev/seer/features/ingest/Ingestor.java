package dev.seer.features.ingest;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Ids;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.core.provenance.BatchRecord.KafkaSpan;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.Stored;
import dev.seer.features.offline.OfflineStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Batch ingestion of a file source into the offline store.
 *
 * <p>Design: DuckDB reads the file once into a temporary table with every value as text and a
 * row number. For each feature view over the source, one query casts each needed column to its
 * declared type with {@code TRY_CAST} and evaluates the checks; a failed cast or check becomes a
 * quarantine record naming the row, column and reason, and the row is held back from that view.
 * Good rows are written as Parquet, partitioned by event date, into a staging folder, then moved
 * into the store. The batch record in the catalog is the commit point: readers only see files a
 * recorded batch lists, so a crash at any step leaves all of a batch or none of it visible.
 * The SHA-256 of the file's bytes names the content; the same content is never ingested twice.
 */
public final class Ingestor {
    static final String BATCH = "ingest_batch";
    private static final String VIEW_TERM = "view:";

    private final Catalog catalog;
    private final OfflineStore store;
    private final Clock clock;
    private final Ids ids;

    public Ingestor(Catalog catalog, OfflineStore store, Clock clock) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.store = requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ids = new Ids(clock);
    }

    public IngestReport ingest(String sourceName, Optional<Path> file, String actor) {
        return ingest(sourceName, file, actor, message -> { });
    }

    /**
     * Ingests, telling {@code progress} what each step did as it finishes (read, each view
     * checked and written, published), with counts and elapsed time, for long inputs.
     */
    public IngestReport ingest(String sourceName, Optional<Path> file, String actor, java.util.function.Consumer<String> progress) {
        long started = System.nanoTime();
        CatalogEntry sourceEntry = catalog.latest(FeatureRegistry.SOURCE, sourceName).orElseThrow(() ->
                new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Source [" + sourceName + "] is not defined; "
                        + "run `seer apply` first", Map.of("source", sourceName)));
        Definitions.Source source = Stored.source(sourceEntry.body());
        if (source.streaming() && file.isEmpty()) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + sourceName + "] is a " + source.type()
                    + " source: its records are ingested from topic [" + source.topic() + "] as they arrive; to load a"
                    + " JSONL file into it, give --file", Map.of("source", sourceName));
        }
        Path path = file.orElse(Path.of(source.path())).toAbsolutePath().normalize();
        String hash = contentHash(sourceName, path);
        // Also when this content is already recorded: a run killed after recording it left its
        // staging folder and lock, and this run is the next chance to remove them.
        sweep();
        return write(sourceEntry, path, batchName(sourceName, hash), hash, Optional.empty(), actor, progress, started);
    }

    /**
     * Removes what crashed ingestions left in the offline store. A file ingestion does it first;
     * stream ingestion does it once when it starts, not per micro-batch (it walks the store).
     */
    public void sweep() {
        store.sweep(this::recordedBatchIds);
    }

    /**
     * Ingests a staged micro-batch of a stream source: a JSONL file of records, named by where
     * they came from ({@code origin}, e.g. {@code topic/partition/first-offset}) instead of by
     * content, so that a second batch from the same offset (a consumer that lost its partition,
     * racing the new owner) is refused: of two, exactly one is recorded. {@code span} (topic, partition,
     * offsets) is kept in the batch record, which is the commit point: a consumer resumes from what recorded batches cover. Leftovers of
     * crashed runs are not swept here (see {@link #sweep}).
     */
    public IngestReport ingestStaged(String sourceName, Path staged, String origin, KafkaSpan span, String actor) {
        long started = System.nanoTime();
        CatalogEntry sourceEntry = catalog.latest(FeatureRegistry.SOURCE, sourceName).orElseThrow(() ->
                new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Source [" + sourceName + "] is not defined",
                        Map.of("source", sourceName)));
        return write(sourceEntry, staged, batchName(sourceName, origin), contentHash(sourceName, staged),
                Optional.of(requireNonNull(span, "span is null")), actor, message -> { }, started);
    }

    private IngestReport write(CatalogEntry sourceEntry, Path path, String name, String hash, Optional<KafkaSpan> kafka, String actor,
            java.util.function.Consumer<String> progress, long started) {
        Definitions.Source source = Stored.source(sourceEntry.body());
        String sourceName = source.name();
        Optional<CatalogEntry> earlier = catalog.latest(BATCH, name);
        if (earlier.isPresent()) {
            return alreadyIngested(earlier.get(), sourceName, started);
        }
        List<CatalogEntry> views = catalog.latestOfKind(FeatureRegistry.VIEW).stream()
                .filter(v -> Stored.view(v.body()).source().equals(sourceName)).toList();
        String batchId = ids.next("batch");
        Path staging = store.staging(batchId);
        try (Connection duck = DuckEngine.open()) {
            BatchWriter writer = new BatchWriter(duck, source, path, staging, progress);
            progress.accept(String.format(java.util.Locale.ROOT, "reading %s (%,d bytes)", path, Files.size(path)));
            long rowsRead = writer.load();
            progress.accept(String.format(java.util.Locale.ROOT, "read %,d rows (%.1f s)", rowsRead, seconds(started)));
            List<BatchRecord.ViewWrite> written = new ArrayList<>();
            for (CatalogEntry view : views) {
                BatchWriter.ViewResult result = writer.writeView(Stored.view(view.body()), joinKeys(view));
                written.add(new BatchRecord.ViewWrite(view.name(), view.version(), result.written(), result.quarantinedRows(),
                        result.profile()));
                progress.accept(String.format(java.util.Locale.ROOT, "view %s: %,d written, %,d quarantined (%.1f s)",
                        view.name(), result.written(), result.quarantinedRows(), seconds(started)));
            }
            writer.writeQuarantine();
            List<String> files = store.publish(staging, batchId);
            progress.accept(String.format(java.util.Locale.ROOT, "published %d files (%.1f s)", files.size(), seconds(started)));
            BatchRecord record = new BatchRecord(batchId, sourceName, sourceEntry.version(), hash, Optional.of(path.toString()),
                    rowsRead, clock.instant(), kafka, written, files, written.stream().mapToLong(BatchRecord.ViewWrite::rowsWritten)
                    .sum(), written.stream().mapToLong(BatchRecord.ViewWrite::rowsQuarantined).sum());
            if (catalog.create(BATCH, name, BatchRecord.CODEC.encode(record), terms(record), actor).isEmpty()) { // the commit point
                // Another writer recorded this name meanwhile (two processes ingesting one file, or a
                // stream consumer that lost its partition, racing the new owner): its record stands,
                // and this batch's files, referenced by no record, are swept later.
                return alreadyIngested(catalog.latest(BATCH, name).orElseThrow(), sourceName, started);
            }
            progress.accept(String.format(java.util.Locale.ROOT, "recorded batch %s (%.1f s)", batchId, seconds(started)));
            return new IngestReport(batchId, sourceName, hash, rowsRead, record.rowsWritten(), record.rowsQuarantined(),
                    views.stream().map(CatalogEntry::name).toList(), Duration.ofNanos(System.nanoTime() - started), false);
        } catch (SQLException e) {
            throw DuckEngine.failure("Ingesting [" + path + "]", e);
        } catch (java.io.IOException e) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Cannot read [" + path + "]: " + e.getMessage(),
                    Map.of("path", path.toString()), e);
        } finally {
            store.removeStaging(staging);
        }
    }

    private static IngestReport alreadyIngested(CatalogEntry batch, String sourceName, long started) {
        BatchRecord record = BatchRecord.CODEC.decode(batch.body());
        return new IngestReport(record.batchId(), sourceName, record.contentHash(), record.rowsRead(), 0, 0, List.of(),
                Duration.ofNanos(System.nanoTime() - started), true);
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private Set<String> recordedBatchIds() {
        Set<String> ids = new HashSet<>();
        records().forEach(b -> ids.add(b.batchId()));
        return ids;
    }

    /**
     * The files of one view in the batch a staged ingestion recorded under {@code origin}: one
     * catalog lookup, where {@link #viewFiles} reads every batch record.
     */
    public List<Path> stagedViewFiles(String sourceName, String origin, String view) {
        return catalog.latest(BATCH, batchName(sourceName, origin))
                .map(batch -> store.viewFiles(List.of(decode(batch)), view)).orElse(List.of());
    }

    /**
     * Every file of a view that recorded batches hold: what readers of the offline store read.
     * Only the batches filed under the view are read, not every batch of every source.
     */
    public List<Path> viewFiles(String view) {
        return store.viewFiles(catalog.filed(BATCH, VIEW_TERM + view, Integer.MAX_VALUE).stream().map(Ingestor::decode)
                .toList(), view);
    }

    /**
     * The span of the recorded batch of a stream partition that reaches furthest (where its
     * consumer resumes), if any: one indexed lookup, whatever the number of batches recorded.
     */
    public Optional<KafkaSpan> lastRecorded(String sourceName, String topic, int partition) {
        return catalog.filed(BATCH, partitionTerm(sourceName, topic, partition), 1).stream()
                .flatMap(b -> decode(b).kafka().stream()).findFirst();
    }

    /**
     * The index terms a batch is filed under, in the step that records it (so they are part of
     * the commit point): each of its views, and for a micro-batch of a stream its partition,
     * ranked by the last offset it holds. The metadata store's migration that introduced terms
     * filed the batches recorded before it the same way (V3__catalog_terms.sql).
     */
    private static List<Catalog.Term> terms(BatchRecord record) {
        List<Catalog.Term> terms = new ArrayList<>();
        record.views().forEach(v -> terms.add(new Catalog.Term(VIEW_TERM + v.view(), 0)));
        record.kafka().ifPresent(k -> terms.add(new Catalog.Term(partitionTerm(record.source(), k.topic(), k.partition()),
                k.lastOffset())));
        return terms;
    }

    private static String partitionTerm(String sourceName, String topic, int partition) {
        return "partition:" + sourceName + "/" + topic + "/" + partition;
    }

    /** Every recorded batch as the catalog holds it (with its entry's version and author), oldest first. */
    public List<CatalogEntry> batches() {
        return catalog.latestOfKind(BATCH).stream().sorted(Comparator.comparing(b -> decode(b).batchId())).toList();
    }

    /** Every recorded batch, oldest first. */
    public List<BatchRecord> records() {
        return catalog.latestOfKind(BATCH).stream().map(Ingestor::decode).sorted(Comparator.comparing(BatchRecord::batchId))
                .toList();
    }

    /** Recorded batches of a source, oldest first. */
    public List<BatchRecord> records(String sourceName) {
        return records().stream().filter(b -> b.source().equals(sourceName)).toList();
    }

    private static BatchRecord decode(CatalogEntry batch) {
        return BatchRecord.CODEC.decode(batch.body());
    }

    /** The quarantine records of one batch, in row order, at most {@code limit}. */
    public List<QuarantineRecord> quarantine(String batchId, int limit) {
        BatchRecord batch = records().stream().filter(b -> b.batchId().equals(batchId)).findFirst()
                .orElseThrow(() -> new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "No ingested batch [" + batchId + "]",
                        Map.of("batch", batchId)));
        Path file = store.root().resolve("quarantine").resolve(batch.source()).resolve(batchId + ".parquet");
        List<QuarantineRecord> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        try (Connection duck = DuckEngine.open(); Statement statement = duck.createStatement();
                ResultSet rs = statement.executeQuery("SELECT batch_id, row, view, column_name, reason, CAST(record AS VARCHAR)"
                        + " FROM read_parquet(" + DuckEngine.literal(file.toString()) + ") ORDER BY row, view, column_name LIMIT "
                        + Math.max(1, limit))) {
            while (rs.next()) {
                records.add(new QuarantineRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)));
            }
        } catch (SQLException e) {
            throw DuckEngine.failure("Reading quarantine [" + file + "]", e);
        }
        return records;
    }

    private List<String> joinKeys(CatalogEntry view) {
        List<String> keys = new ArrayList<>();
        Stored.view(view.body()).entities().forEach(entity -> catalog.latest(FeatureRegistry.ENTITY, entity)
                .ifPresent(e -> keys.addAll(Stored.joinKeys(e.body()))));
        return keys;
    }

    static String batchName(String source, String hash) {
        return source + "@" + hash;
    }

    private static String contentHash(String source, Path path) {
        if (!Files.isReadable(path)) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + source + "]: file [" + path
                    + "] does not exist or cannot be read", Map.of("source", source, "path", path.toString()));
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // the digest sees every byte
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new SeerException(FeatureErrorCode.SOURCE_UNREADABLE, "Source [" + source + "]: cannot read [" + path
                    + "]: " + e.getMessage(), Map.of("source", source, "path", path.toString()), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

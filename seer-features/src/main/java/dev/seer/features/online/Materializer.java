package dev.seer.features.online;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.duckdb.DuckEngine;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.FeatureRefs;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.Stored;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.offline.PointInTimeJoin;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Materialisation: loads into the online store, per entity, the row the offline join would
 * return at {@code end} (the latest event time at or before it, ties to the latest created
 * time, exact ties to the row stored last). TTL is not applied here: it is applied when reading, against the time of the read.
 *
 * <p>Incremental runs (no {@code start}) read only what can have changed since the last run of
 * the view, its watermark: rows of batches ingested since, and rows of earlier batches with an
 * event time after the previous end. Together with conditional writes (a record only replaces
 * an older one) this gives the same store as materialising everything, including rows that
 * arrived late, without rereading what was already loaded.
 */
public final class Materializer {
    static final String WATERMARK = "materialization";
    private static final int CHUNK = 10_000;

    private final Catalog catalog;
    private final Ingestor ingestor;
    private final OnlineStore store;

    public Materializer(Catalog catalog, Ingestor ingestor, OnlineStore store) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.ingestor = requireNonNull(ingestor, "ingestor is null");
        this.store = requireNonNull(store, "store is null");
    }

    /** Per view: how many entities were written. */
    public record Report(Map<String, Long> written, Instant end) {}

    public Report materialize(List<String> views, Optional<Instant> start, Instant end, String actor) {
        List<CatalogEntry> targets = catalog.latestOfKind(FeatureRegistry.VIEW).stream()
                .filter(v -> views.isEmpty() || views.contains(v.name())).toList();
        for (String name : views) {
            if (targets.stream().noneMatch(v -> v.name().equals(name))) {
                throw new SeerException(FeatureErrorCode.VIEW_NOT_FOUND, "Feature view [" + name + "] does not exist",
                        Map.of("view", name));
            }
        }
        Map<String, Long> written = new java.util.LinkedHashMap<>();
        for (CatalogEntry entry : targets) {
            written.put(entry.name(), materializeView(Stored.view(entry.body()), start, end, false, actor));
        }
        return new Report(written, end);
    }

    /**
     * Loads every view again from all its offline rows, whatever its watermark says: for a store
     * that lost its contents, which an incremental run (reading only what came after the
     * watermark) would leave empty. Each view is loaded up to {@code now} or its watermark's end,
     * whichever is later, so no view's watermark moves backwards; conditional writes make this
     * commute with writes running meanwhile.
     */
    public Report rematerialize(Instant now, String actor) {
        Map<String, Long> written = new java.util.LinkedHashMap<>();
        for (CatalogEntry entry : catalog.latestOfKind(FeatureRegistry.VIEW)) {
            Instant end = catalog.latest(WATERMARK, entry.name()).map(w -> MaterializedUpTo.CODEC.decode(w.body()).end())
                    .filter(e -> e.isAfter(now)).orElse(now);
            written.put(entry.name(), materializeView(Stored.view(entry.body()), Optional.empty(), end, true, actor));
        }
        return new Report(written, now);
    }

    /**
     * Per materialised view, the end of its last materialisation run: its online values cover the
     * events up to then (stream ingestion writes newer ones without moving it). Read for the
     * server's freshness gauges.
     */
    public Map<String, Instant> materializedUpTo() {
        Map<String, Instant> ends = new java.util.TreeMap<>();
        for (CatalogEntry w : catalog.latestOfKind(WATERMARK)) {
            ends.put(w.name(), MaterializedUpTo.CODEC.decode(w.body()).end());
        }
        return ends;
    }

    /**
     * Whether any view was materialised from stored batches: then the online store should hold
     * rows. A view materialised while it had no batch (a stream source not yet fed) does not count.
     */
    boolean anyBatchMaterialized() {
        return catalog.latestOfKind(WATERMARK).stream()
                .anyMatch(w -> !MaterializedUpTo.CODEC.decode(w.body()).batches().isEmpty());
    }

    private long materializeView(FeatureView view, Optional<Instant> start, Instant end, boolean full, String actor) {
        Optional<MaterializedUpTo> watermark = full ? Optional.empty() : catalog.latest(WATERMARK, view.name())
                .map(w -> MaterializedUpTo.CODEC.decode(w.body()));
        Set<String> seenBatches = new HashSet<>();
        watermark.ifPresent(w -> seenBatches.addAll(w.batches()));
        Optional<Instant> previousEnd = watermark.map(MaterializedUpTo::end);
        List<Path> files = ingestor.viewFiles(view.name());
        List<String> keys = FeatureRefs.joinKeys(catalog, view);
        long count = 0;
        if (!files.isEmpty()) {
            String filter = filter(start, end, previousEnd, seenBatches);
            count = load(view, keys, files, filter);
        }
        List<String> batches = files.stream().map(f -> OfflineStore.batchOf(f.getFileName().toString())).distinct().sorted()
                .toList();
        catalog.put(WATERMARK, view.name(), MaterializedUpTo.CODEC.encode(new MaterializedUpTo(end, batches)), actor);
        return count;
    }

    /**
     * Writes, per view of the source, each entity's latest row of one batch recorded by a staged
     * ingestion under {@code origin}, with event time up to {@code end}, conditionally: how
     * stream ingestion keeps the online store fresh as each micro-batch is recorded. Conditional
     * writes make this commute with every other run; the views' watermarks are not moved, so an
     * incremental run reads the batch again, which changes nothing. Only the batch's own record
     * is read, so the cost does not grow with the number of batches recorded before.
     */
    public Map<String, Long> materializeStagedBatch(String sourceName, String origin, Instant end) {
        return materializeStagedBatch(sourceName, origin, end, Set.of());
    }

    /** As {@link #materializeStagedBatch(String, String, Instant)}, leaving out views whose rows were already written. */
    public Map<String, Long> materializeStagedBatch(String sourceName, String origin, Instant end, Set<String> written) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (CatalogEntry entry : catalog.latestOfKind(FeatureRegistry.VIEW)) {
            FeatureView view = Stored.view(entry.body());
            if (!view.source().equals(sourceName) || written.contains(view.name())) {
                continue;
            }
            List<Path> files = ingestor.stagedViewFiles(sourceName, origin, view.name());
            if (!files.isEmpty()) {
                counts.put(view.name(), load(view, FeatureRefs.joinKeys(catalog, view), files, "event_ts <= " + timestamp(end)));
            }
        }
        return counts;
    }

    private static String filter(Optional<Instant> start, Instant end, Optional<Instant> previousEnd, Set<String> seen) {
        String upper = "event_ts <= " + timestamp(end);
        if (start.isPresent()) {
            return upper + " AND event_ts >= " + timestamp(start.get());
        }
        if (previousEnd.isEmpty() || seen.isEmpty()) {
            return upper;
        }
        String seenList = seen.stream().map(DuckEngine::literal).collect(Collectors.joining(", "));
        return upper + " AND (_batch NOT IN (" + seenList + ") OR event_ts > " + timestamp(previousEnd.get()) + ")";
    }

    private long load(FeatureView view, List<String> keys, List<Path> files, String filter) {
        String keyList = keys.stream().map(DuckEngine::identifier).collect(Collectors.joining(", "));
        String values = "to_json(struct_pack(" + view.features().stream()
                .map(f -> DuckEngine.identifier(f.name()) + " := " + DuckEngine.identifier(f.name()))
                .collect(Collectors.joining(", ")) + "))";
        boolean hasCreated = Stored.sourceHasCreated(catalog, view.source());
        String created = hasCreated ? "created_ts" : "NULL::TIMESTAMPTZ";
        // Exact ties go to the row stored last: its file's position in storage order, then its row
        // number, packed in one BIGINT as the historical join numbers rows.
        String fileList = "[" + HistoricalRetrieval.storageOrder(files).stream().map(f -> DuckEngine.literal(f.toString()))
                .collect(Collectors.joining(", ")) + "]";
        String sql = "SELECT " + keys.stream().map(k -> "CAST(" + DuckEngine.identifier(k) + " AS VARCHAR)").collect(Collectors.joining(", "))
                + ", epoch_us(event_ts), epoch_us(" + created + "), CAST(" + values + " AS VARCHAR) FROM (SELECT *,"
                + " regexp_extract(filename, 'part-([^-/]+)-[0-9]+\\.parquet$', 1) AS _batch,"
                + " (list_position(" + fileList + ", filename)::BIGINT << 32) + file_row_number AS _stored FROM read_parquet("
                + fileList + ", filename = true, file_row_number = true, hive_partitioning = false)) WHERE " + filter
                + " QUALIFY row_number() OVER (PARTITION BY " + keyList + " ORDER BY event_ts DESC, " + created
                + " DESC NULLS LAST, _stored DESC) = 1";
        long count = 0;
        try (Connection duck = DuckEngine.open(); Statement statement = duck.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet rs = statement.executeQuery(sql)) {
                List<OnlineRecord> chunk = new ArrayList<>(CHUNK);
                while (rs.next()) {
                    List<String> keyValues = new ArrayList<>(keys.size());
                    for (int i = 1; i <= keys.size(); i++) {
                        keyValues.add(rs.getString(i));
                    }
                    long createdMicros = rs.getLong(keys.size() + 2);
                    if (rs.wasNull()) { // asked at once: wasNull speaks of the last column read
                        createdMicros = PointInTimeJoin.NO_TIME;
                    }
                    chunk.add(new OnlineRecord(FeatureRefs.entityKey(keyValues), rs.getLong(keys.size() + 1),
                            createdMicros, rs.getString(keys.size() + 3)));
                    if (chunk.size() == CHUNK) {
                        store.write(view.name(), chunk);
                        count += chunk.size();
                        chunk = new ArrayList<>(CHUNK);
                    }
                }
                store.write(view.name(), chunk);
                count += chunk.size();
            }
        } catch (SQLException e) {
            throw DuckEngine.failure("Materialising [" + view.name() + "]", e);
        }
        return count;
    }

    private static String timestamp(Instant instant) {
        return "TIMESTAMPTZ " + DuckEngine.literal(instant.truncatedTo(ChronoUnit.MICROS).toString());
    }
}

package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.objects.ObjectStore;
import dev.seer.core.provenance.BatchRecord;
import dev.seer.datasets.DatasetManifest.Column;
import dev.seer.datasets.DatasetManifest.DataFile;
import dev.seer.datasets.DatasetManifest.Part;
import dev.seer.datasets.DatasetManifest.Splits;
import dev.seer.duckdb.DuckEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Makes a version's files in a staging folder, and makes them again from a version's recorded
 * inputs: the point-in-time join (or the imported file), the canonical Parquet, the schema and
 * profile, the splits and the lineage. {@link DatasetStore} stores and records what this makes.
 */
final class VersionBuilder {
    private final ObjectStore objects;
    /** Files under it are the store's own (moved into the object store); others are copied in. */
    private final Path staging;
    private final PointInTimeRetrieval retrieval;

    VersionBuilder(ObjectStore objects, Path staging, PointInTimeRetrieval retrieval) {
        this.objects = objects;
        this.staging = staging;
        this.retrieval = retrieval;
    }

    /**
     * A version's files before they are stored: data, splits, the full record of batches read,
     * and the manifest but for what storing them tells.
     *
     * @param stored the data when it is already in the object store (an imported Parquet file)
     */
    record Built(Path data, Optional<ObjectStore.Stored> stored, Map<String, Path> splits, Optional<Path> batches,
            Draft manifest) {}

    /** A manifest before its files are stored: all but their hashes and sizes, and what recording adds. */
    record Draft(String name, String engine, long rows, List<Column> schema, List<String> key, Optional<String> label,
            JsonNode profile, Optional<SplitDraft> splits, DatasetLineage lineage) {
        /** The manifest of the stored files; {@code parts} by split name. */
        DatasetManifest stored(ObjectStore.Stored data, Map<String, ObjectStore.Stored> parts, Optional<String> batchesObject) {
            Optional<Splits> stored = splits.map(s -> new Splits(s.spec(), s.rule(), s.rows().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> new Part(e.getValue(), parts.get(e.getKey()).sha256(),
                            parts.get(e.getKey()).bytes())))));
            DatasetLineage read = lineage instanceof DatasetLineage.Retrieval r && batchesObject.isPresent()
                    ? r.withBatchesObject(batchesObject.get()) : lineage;
            return new DatasetManifest(name, engine, new DataFile(data.sha256(), data.bytes(), rows, "parquet"), schema, key,
                    label, profile, stored, read, Optional.empty(), Optional.empty(), Optional.empty());
        }
    }

    /** Splits before they are stored: the request, the rule, and the rows of each split. */
    record SplitDraft(SplitSpec spec, Splits.Rule rule, Map<String, Long> rows) {}

    Built fromRetrieval(String name, DatasetStore.CreateRequest request, Path work, Consumer<String> progress) {
        // The join reads a stored copy of the entity file: the recorded hash is of what was joined,
        // and a reproduction needs nothing outside the store.
        ObjectStore.Stored entityObject = store(request.entities(), progress);
        Path entities = linked(entityObject.sha256(), request.entities(), work);
        progress.accept("point-in-time join of " + request.features() + " to [" + request.entities() + "]");
        Path raw = work.resolve("joined.parquet");
        PointInTimeRetrieval.Result report = retrieval.retrieve(new PointInTimeRetrieval.Request(entities, request.features(),
                raw, request.filterByCreated()));
        List<String> joinKeys = Lineage.joinKeys(report.inputs());
        request.split().filter(s -> s.method() == SplitSpec.Method.KEY && !joinKeys.containsAll(s.columns())).ifPresent(s -> {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "A key split of a joined dataset must use the entity"
                    + " join keys " + joinKeys + ", not " + s.columns() + ": other columns would put an entity in two splits",
                    Map.of("field", "split"));
        });
        List<String> refs = new ArrayList<>();
        report.inputs().forEach(v -> v.features().forEach(f -> refs.add(v.view() + ":" + f)));
        List<BatchRecord> recorded = retrieval.batches();
        DatasetLineage lineage = new DatasetLineage.Retrieval(new DatasetLineage.Entities(
                request.entities().toAbsolutePath().toString(), entityObject.sha256(), entityObject.bytes(), report.rows()),
                request.features(), report.service(), refs, request.filterByCreated(), request.label(),
                Lineage.summary(report.inputs(), recorded), Optional.empty());
        Path batchesFile = work.resolve("batches.json");
        write(batchesFile, BatchesRead.of(report.inputs(), recorded).toJson());
        List<String> key = new ArrayList<>(joinKeys);
        key.add(PointInTimeRetrieval.EVENT_TIMESTAMP);
        Built built = finish(name, null, "SELECT * FROM " + Tables.scan(raw), work, request.label(), request.split(), key,
                lineage, progress);
        return new Built(built.data(), Optional.empty(), built.splits(), Optional.of(batchesFile), built.manifest());
    }

    Built rerunRetrieval(DatasetVersion version, DatasetLineage.Retrieval lineage, Path work, Consumer<String> progress) {
        String entitiesObject = lineage.entities().sha256();
        objects.check(entitiesObject); // never rerun from a corrupted copy
        Path entities = linked(entitiesObject, Path.of(lineage.entities().path()), work);
        BatchesRead.Pinned pinned = batchesRead(version).pinned();
        Map<String, Integer> views = pinned.views();
        Set<String> batches = pinned.batches();
        Set<String> gone = new java.util.TreeSet<>(batches);
        retrieval.batches().forEach(b -> gone.remove(b.batchId()));
        if (!gone.isEmpty()) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, version + " read ingested batches that are no longer"
                    + " recorded: " + gone, Map.of("batches", gone.toString()));
        }
        List<String> features = lineage.featureRefs(); // the service as it was, view by view
        progress.accept("point-in-time join again, pinned to " + views + " and " + batches.size() + " batches");
        Path raw = work.resolve("joined.parquet");
        retrieval.retrieve(new PointInTimeRetrieval.Request(entities, features, raw,
                lineage.filterByCreatedTimestamp(), views, Optional.of(batches)));
        return finish(version.name(), null, "SELECT * FROM " + Tables.scan(raw), work, version.manifest().label(),
                recordedSplit(version), List.of(), lineage, progress);
    }

    Built fromFile(String name, DatasetStore.ImportRequest request, Path work, Consumer<String> progress) {
        Path file = request.file().toAbsolutePath();
        // Stored first, byte for byte: the manifest describes the stored bytes even if the file changes meanwhile.
        ObjectStore.Stored stored = store(file, progress);
        DatasetLineage lineage = new DatasetLineage.Import(new DatasetLineage.StoredFile(file.toString(), stored.sha256(),
                stored.bytes()), request.label());
        return fromStoredFile(name, stored, file, work, request.label(), request.split(), request.key(), lineage, progress);
    }

    /** A Parquet file is the data as it is; CSV or JSON becomes canonical Parquet. */
    private Built fromStoredFile(String name, ObjectStore.Stored stored, Path original, Path work, Optional<String> label,
            Optional<SplitSpec> split, List<String> key, DatasetLineage lineage, Consumer<String> progress) {
        if (!original.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
            Path input = linked(stored.sha256(), original, work);
            return finish(name, null, "SELECT * FROM " + Tables.reader(input), work, label, split, key, lineage, progress);
        }
        Path object = objects.path(stored.sha256());
        Built built = finish(name, object, "", work, label, split, key, lineage, progress);
        return new Built(object, Optional.of(stored), built.splits(), Optional.empty(), built.manifest());
    }

    Built rerunImport(DatasetVersion version, DatasetLineage.Import lineage, Path work, Consumer<String> progress) {
        String hash = lineage.file().sha256();
        objects.check(hash);
        return fromStoredFile(version.name(), new ObjectStore.Stored(hash, lineage.file().bytes(), true),
                Path.of(lineage.file().path()), work, version.manifest().label(), recordedSplit(version), List.of(), lineage,
                progress);
    }

    /**
     * A stored object under {@code work} with the extension of {@code original} (readers choose
     * the format by it): a hard link, the object being immutable, or a copy where links fail.
     */
    private Path linked(String sha256, Path original, Path work) {
        String fileName = original.getFileName().toString();
        int dot = fileName.lastIndexOf('.');
        Path link = work.resolve("input" + (dot < 0 ? "" : fileName.substring(dot).toLowerCase(java.util.Locale.ROOT)));
        try {
            try {
                Files.createLink(link, objects.path(sha256));
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(objects.path(sha256), link);
            }
            return link;
        } catch (IOException e) {
            throw new SeerException(DatasetErrorCode.STORAGE_FAILURE, "Cannot place object [" + sha256 + "] at [" + link + "]: "
                    + e.getMessage(), Map.of("object", sha256), e);
        }
    }

    /**
     * The common part: the canonical data file (or {@code asIs}, a Parquet file kept byte for
     * byte), its schema and profile, the label check and the splits.
     */
    private Built finish(String name, Path asIs, String select, Path work, Optional<String> label, Optional<SplitSpec> split,
            List<String> key, DatasetLineage lineage, Consumer<String> progress) {
        Path data = asIs != null ? asIs : work.resolve("data.parquet");
        try (Connection duck = Tables.open(work)) {
            if (asIs == null) {
                Tables.writeCanonical(duck, select, data, progress, "writing the data");
            }
            String relation = Tables.scan(data);
            Map<String, String> columns = Tables.columns(duck, relation);
            label.ifPresent(l -> Tables.requireColumns(columns, List.of(l), "The dataset (label column)"));
            Tables.requireColumns(columns, key, "The dataset (key)");
            progress.accept("profiling the columns");
            String engine = Tables.engine(duck);
            long rows = Tables.rows(duck, relation);
            JsonNode profile = Tables.profile(duck, relation);
            Map<String, Path> splits = new LinkedHashMap<>();
            Optional<SplitDraft> recorded = split.isPresent()
                    ? Optional.of(writeSplits(duck, data, split.get(), name, work, splits, progress)) : Optional.empty();
            Draft manifest = new Draft(name, engine, rows, Tables.schema(columns), key, label, profile, recorded, lineage);
            return new Built(data, Optional.empty(), splits, Optional.empty(), manifest);
        } catch (SQLException e) {
            throw DuckEngine.failure("Building dataset [" + name + "]", e);
        }
    }

    /** Writes each split of {@code data} to {@code work}, into {@code files}; returns what the manifest records of them. */
    private static SplitDraft writeSplits(Connection duck, Path data, SplitSpec split, String name, Path work,
            Map<String, Path> files, Consumer<String> progress) throws SQLException {
        Tables.SplitRule rule = Tables.splitRule(duck, data, split, name); // the dataset's name salts a key split
        Map<String, Long> rows = new LinkedHashMap<>();
        for (Map.Entry<String, String> part : rule.conditions().entrySet()) {
            Path out = work.resolve(part.getKey() + ".parquet");
            Tables.writeSplit(duck, data, part.getValue(), out, progress, "writing the " + part.getKey() + " split");
            files.put(part.getKey(), out);
            rows.put(part.getKey(), Tables.rows(duck, Tables.scan(out)));
        }
        return new SplitDraft(split, rule.recorded(), rows);
    }

    ObjectStore.Stored store(Path file, Consumer<String> progress) {
        boolean ours = file.startsWith(staging);
        if (ours) {
            return objects.moveIn(file);
        }
        long size = size(file);
        progress.accept("storing [" + file.getFileName() + "]");
        long[] next = {0};
        return objects.copyIn(file, done -> {
            if (done >= next[0]) {
                progress.accept("storing [" + file.getFileName() + "]: " + (done >> 20) + " of " + (size >> 20) + " MB");
                next[0] = done + Math.max(size / 20, 1);
            }
        });
    }

    private static Optional<SplitSpec> recordedSplit(DatasetVersion version) {
        return version.manifest().splits().map(Splits::spec);
    }

    static String hashInput(Path file) {
        try {
            return ObjectStore.hash(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, "File [" + file + "] does not exist",
                    Map.of("path", file.toString()), e);
        } catch (IOException e) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, "Cannot read [" + file + "]: " + e.getMessage(),
                    Map.of("path", file.toString()), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The full record of the batches a version read (its lineage object), checked against its hash first. */
    BatchesRead batchesRead(DatasetVersion version) {
        if (!(version.manifest().lineage() instanceof DatasetLineage.Retrieval retrieval)
                || retrieval.batchesObject().isEmpty()) {
            return BatchesRead.NONE;
        }
        String hash = retrieval.batchesObject().get();
        objects.check(hash);
        try {
            return BatchesRead.fromJson(Json.parse(Files.readAllBytes(objects.path(hash))));
        } catch (IOException e) {
            throw new SeerException(DatasetErrorCode.STORAGE_FAILURE, "Cannot read the lineage of " + version + ": "
                    + e.getMessage(), Map.of("dataset", version.toString()), e);
        }
    }

    private static void write(Path file, JsonNode json) {
        try {
            Files.writeString(file, Json.write(json));
        } catch (IOException e) {
            throw new SeerException(DatasetErrorCode.STORAGE_FAILURE, "Cannot write [" + file + "]: " + e.getMessage(),
                    Map.of("path", file.toString()), e);
        }
    }
}

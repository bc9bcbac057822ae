package dev.seer.datasets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.PointInTimeRetrieval;
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

    /** A version's files before they are stored: data, splits, and the manifest's other parts. */
    /** {@code stored}: the data when it is already in the object store (an imported Parquet file). */
    record Built(Path data, Optional<ObjectStore.Stored> stored, Map<String, Path> splits, Optional<Path> batches,
            ObjectNode manifest) {}

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
        ObjectNode lineage = Json.object().put("kind", "retrieval");
        lineage.putObject("entities").put("path", request.entities().toAbsolutePath().toString())
                .put("sha256", entityObject.sha256()).put("bytes", entityObject.bytes()).put("rows", report.rows());
        request.features().forEach(lineage.putArray("features")::add);
        report.service().ifPresent(service -> lineage.putObject("feature_service").put("name", service.name())
                .put("version", service.version()));
        ArrayNode refs = lineage.putArray("feature_refs");
        report.inputs().forEach(v -> v.features().forEach(f -> refs.add(v.view() + ":" + f)));
        lineage.putObject("options").put("filter_by_created_timestamp", request.filterByCreated())
                .put("label", request.label().orElse(null));
        ArrayNode batches = Lineage.batches(report.inputs(), retrieval.batches());
        lineage.set("views", Lineage.summary(batches));
        Path batchesFile = work.resolve("batches.json");
        write(batchesFile, batches);
        List<String> key = new ArrayList<>(joinKeys);
        key.add(PointInTimeRetrieval.EVENT_TIMESTAMP);
        Built built = finish(name, null, "SELECT * FROM " + Tables.scan(raw), work, request.label(), request.split(), key,
                lineage, progress);
        return new Built(built.data(), Optional.empty(), built.splits(), Optional.of(batchesFile), built.manifest());
    }

    Built rerunRetrieval(DatasetVersion version, Path work, Consumer<String> progress) {
        JsonNode lineage = version.manifest().path("lineage");
        String entitiesObject = lineage.path("entities").path("sha256").asText();
        objects.check(entitiesObject); // never rerun from a corrupted copy
        Path entities = linked(entitiesObject, Path.of(lineage.path("entities").path("path").asText()), work);
        Map<String, Integer> views = new LinkedHashMap<>();
        Set<String> batches = new java.util.TreeSet<>();
        for (JsonNode view : batchesRead(version)) {
            views.put(view.path("view").asText(), view.path("version").asInt());
            view.path("batches").forEach(b -> batches.add(b.path("batch_id").asText()));
        }
        Set<String> gone = new java.util.TreeSet<>(batches);
        retrieval.batches().forEach(b -> gone.remove(b.batchId()));
        if (!gone.isEmpty()) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, version + " read ingested batches that are no longer"
                    + " recorded: " + gone, Map.of("batches", gone.toString()));
        }
        List<String> features = DatasetStore.texts(lineage.path("feature_refs")); // the service as it was, view by view
        progress.accept("point-in-time join again, pinned to " + views + " and " + batches.size() + " batches");
        Path raw = work.resolve("joined.parquet");
        retrieval.retrieve(new PointInTimeRetrieval.Request(entities, features, raw,
                lineage.path("options").path("filter_by_created_timestamp").asBoolean(), views, Optional.of(batches)));
        return finish(version.name(), null, "SELECT * FROM " + Tables.scan(raw), work, recordedLabel(version),
                recordedSplit(version), List.of(), lineage.deepCopy(), progress);
    }

    Built fromFile(String name, DatasetStore.ImportRequest request, Path work, Consumer<String> progress) {
        Path file = request.file().toAbsolutePath();
        // Stored first, byte for byte: the manifest describes the stored bytes even if the file changes meanwhile.
        ObjectStore.Stored stored = store(file, progress);
        ObjectNode lineage = Json.object().put("kind", "import");
        lineage.putObject("file").put("path", file.toString()).put("sha256", stored.sha256()).put("bytes", stored.bytes());
        lineage.putObject("options").put("label", request.label().orElse(null));
        return fromStoredFile(name, stored, file, work, request.label(), request.split(), request.key(), lineage, progress);
    }

    /** A Parquet file is the data as it is; CSV or JSON becomes canonical Parquet. */
    private Built fromStoredFile(String name, ObjectStore.Stored stored, Path original, Path work, Optional<String> label,
            Optional<SplitSpec> split, List<String> key, ObjectNode lineage, Consumer<String> progress) {
        if (!original.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
            Path input = linked(stored.sha256(), original, work);
            return finish(name, null, "SELECT * FROM " + Tables.reader(input), work, label, split, key, lineage, progress);
        }
        Path object = objects.path(stored.sha256());
        Built built = finish(name, object, "", work, label, split, key, lineage, progress);
        return new Built(object, Optional.of(stored), built.splits(), Optional.empty(), built.manifest());
    }

    Built rerunImport(DatasetVersion version, Path work, Consumer<String> progress) {
        JsonNode file = version.manifest().path("lineage").path("file");
        String hash = file.path("sha256").asText();
        objects.check(hash);
        return fromStoredFile(version.name(), new ObjectStore.Stored(hash, file.path("bytes").asLong(), true),
                Path.of(file.path("path").asText()), work, recordedLabel(version), recordedSplit(version), List.of(),
                version.manifest().path("lineage").deepCopy(), progress);
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
            List<String> key, ObjectNode lineage, Consumer<String> progress) {
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
            ObjectNode manifest = Json.object().put("format", DatasetStore.FORMAT).put("name", name).put("engine", Tables.engine(duck));
            manifest.putObject("data").put("rows", Tables.rows(duck, relation)).put("format", "parquet");
            manifest.set("schema", Tables.schemaJson(columns));
            key.forEach(manifest.putArray("key")::add);
            label.ifPresent(l -> manifest.put("label", l));
            manifest.set("profile", Tables.profile(duck, relation));
            Map<String, Path> splits = new LinkedHashMap<>();
            if (split.isPresent()) {
                manifest.set("splits", writeSplits(duck, data, split.get(), name, work, splits, progress));
            }
            manifest.set("lineage", lineage);
            return new Built(data, Optional.empty(), splits, Optional.empty(), manifest);
        } catch (SQLException e) {
            throw DuckEngine.failure("Building dataset [" + name + "]", e);
        }
    }

    /** Writes each split of {@code data} to {@code work}, into {@code files}; returns what the manifest records of them. */
    private static ObjectNode writeSplits(Connection duck, Path data, SplitSpec split, String name, Path work,
            Map<String, Path> files, Consumer<String> progress) throws SQLException {
        Tables.SplitRule rule = Tables.splitRule(duck, data, split, name); // the dataset's name salts a key split
        ObjectNode recorded = rule.recorded();
        ObjectNode parts = recorded.putObject("parts");
        for (Map.Entry<String, String> part : rule.conditions().entrySet()) {
            Path out = work.resolve(part.getKey() + ".parquet");
            Tables.writeSplit(duck, data, part.getValue(), out, progress, "writing the " + part.getKey() + " split");
            files.put(part.getKey(), out);
            parts.putObject(part.getKey()).put("rows", Tables.rows(duck, Tables.scan(out)));
        }
        return recorded;
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

    private static Optional<String> recordedLabel(DatasetVersion version) {
        return Optional.ofNullable(version.manifest().path("label").textValue());
    }

    private static Optional<SplitSpec> recordedSplit(DatasetVersion version) {
        JsonNode splits = version.manifest().path("splits");
        return splits.isObject() ? Optional.of(SplitSpec.fromJson(splits)) : Optional.empty();
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
    ArrayNode batchesRead(DatasetVersion version) {
        String hash = version.manifest().path("lineage").path("batches_object").asText();
        if (hash.isEmpty()) {
            return Json.mapper().createArrayNode();
        }
        objects.check(hash);
        try {
            return (ArrayNode) Json.parse(Files.readAllBytes(objects.path(hash)));
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

package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.Sha256;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.DuckEngine;
import dev.seer.features.HistoricalRetrieval;
import dev.seer.features.Ingestor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Versioned training datasets. A version is immutable: its data (canonical Parquet, see
 * {@link Tables}) and its splits are objects in a content-addressed {@link ObjectStore}, and its
 * manifest is a catalog entry of kind {@value #KIND}, which is the commit point: a version
 * exists once its manifest is recorded, and the catalog audits every record. A crash before
 * that leaves objects no version references and a staging folder, which {@link #gc} removes.
 *
 * <p>Where rows come from: a version made by {@link #create} records the entity file's hash,
 * the features asked for, each view's definition version and the ingested batches read (file
 * batches with their content hash, stream batches with their Kafka offsets), and the options;
 * {@link #reproduce} reruns the join pinned to exactly those and compares the hash.
 */
public final class DatasetStore {
    public static final String KIND = "dataset";
    /** The manifest's layout; a manifest of another layout is refused, not misread. */
    static final int FORMAT = 1;

    private final ObjectStore objects;
    private final Path staging;
    private final Catalog catalog;
    private final HistoricalRetrieval retrieval;
    private final Ingestor ingestor;
    private final AuditSink audit;
    private final Clock clock;
    /** Writers of versions share it; gc takes it alone, so it never removes what a writer is about to record. */
    private final ReentrantReadWriteLock writers = new ReentrantReadWriteLock();

    public DatasetStore(Path root, Catalog catalog, HistoricalRetrieval retrieval, Ingestor ingestor, AuditSink audit,
            Clock clock) {
        this.objects = new ObjectStore(root.resolve("objects"));
        this.staging = root.resolve(".staging");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.retrieval = requireNonNull(retrieval, "retrieval is null");
        this.ingestor = requireNonNull(ingestor, "ingestor is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * A point-in-time join to store: the entity file (join keys, {@code event_timestamp}, and
     * any other columns such as the label), the features ({@code view:feature} or one feature
     * service), the label column to record, and the split to make.
     */
    public record CreateRequest(Path entities, List<String> features, Optional<String> label, boolean filterByCreated,
            Optional<SplitSpec> split) {
        public CreateRequest {
            requireNonNull(entities, "entities is null");
            features = List.copyOf(features);
            requireNonNull(label, "label is null");
            requireNonNull(split, "split is null");
        }
    }

    /** An external file to store: Parquet as it is, CSV or JSON lines converted; {@code key} identifies a row (for diff). */
    public record ImportRequest(Path file, List<String> key, Optional<String> label, Optional<SplitSpec> split) {
        public ImportRequest {
            requireNonNull(file, "file is null");
            key = List.copyOf(key);
            requireNonNull(label, "label is null");
            requireNonNull(split, "split is null");
        }
    }

    /** A version written, or the latest one if it already had exactly this content and these inputs. */
    public record Written(DatasetVersion version, boolean created, long bytesStored) {}

    /** What {@link #verify} found: objects hashed, their bytes, and every object missing or corrupted. */
    public record Verification(int objects, long bytes, List<Problem> problems) {
        /** {@code usedBy}: the versions (NAME:V) that reference the object. */
        public record Problem(String object, String message, List<String> usedBy) {}

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** What {@link #gc} removed (or, in a dry run, would remove). */
    public record GarbageReport(boolean dryRun, List<String> objects, long bytes, List<String> leftovers) {}

    /** A rerun of a version's inputs: the recorded and the new content hash, and those of each split. */
    public record Reproduction(String dataset, String recordedHash, String reproducedHash, Map<String, String> recordedSplits,
            Map<String, String> reproducedSplits) {
        public boolean same() {
            return recordedHash.equals(reproducedHash) && recordedSplits.equals(reproducedSplits);
        }
    }

    public Written create(String name, CreateRequest request, String actor, Consumer<String> progress) {
        DatasetRef.checkName(name);
        if (request.features().isEmpty()) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Give the features: view:feature references or one"
                    + " feature service", Map.of("field", "features"));
        }
        return inWorkspace(work -> record(name, buildFromRetrieval(name, request, work, progress), actor, progress));
    }

    public Written importFile(String name, ImportRequest request, String actor, Consumer<String> progress) {
        DatasetRef.checkName(name);
        if (!Files.isRegularFile(request.file())) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, "File [" + request.file() + "] does not exist",
                    Map.of("path", request.file().toString()));
        }
        return inWorkspace(work -> record(name, buildFromFile(name, request, work, progress), actor, progress));
    }

    /** The latest version of every dataset, by name. */
    public List<DatasetVersion> list() {
        return catalog.latestOfKind(KIND).stream().map(DatasetVersion::of).sorted(Comparator.comparing(DatasetVersion::name))
                .toList();
    }

    /** Every version of one dataset, oldest first. */
    public List<DatasetVersion> versions(String name) {
        List<DatasetVersion> versions = catalog.versions(KIND, name).stream().map(DatasetVersion::of).toList();
        if (versions.isEmpty()) {
            throw notFound(name, "Dataset [" + name + "] does not exist" + known());
        }
        return versions;
    }

    public DatasetVersion get(DatasetRef ref) {
        Optional<CatalogEntry> entry = ref.version().isPresent() ? catalog.version(KIND, ref.name(), ref.version().get())
                : catalog.latest(KIND, ref.name());
        if (entry.isEmpty()) {
            if (ref.version().isPresent() && catalog.latest(KIND, ref.name()).isPresent()) {
                throw notFound(ref.toString(), "Dataset [" + ref.name() + "] has no version " + ref.version().get()
                        + "; its latest is " + catalog.latest(KIND, ref.name()).get().version());
            }
            throw notFound(ref.toString(), "Dataset [" + ref.name() + "] does not exist" + known());
        }
        DatasetVersion version = DatasetVersion.of(entry.get());
        int format = version.manifest().path("format").asInt();
        if (format != FORMAT) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset " + version + " has manifest format " + format
                    + "; this Seer reads format " + FORMAT, Map.of("dataset", version.toString()));
        }
        return version;
    }

    /**
     * Copies a version's data, or one of its splits, to {@code out} (Parquet), checking the hash
     * on the way: a corrupted object is reported and nothing is written.
     */
    public Path export(DatasetRef ref, Optional<String> split, Path out) {
        DatasetVersion version = get(ref);
        String hash = split.map(s -> splitObject(version, s)).orElse(version.contentHash());
        objects.copyOut(hash, out.toAbsolutePath());
        return out;
    }

    /** Compares two versions by key; {@code key} empty: the key both versions recorded. */
    public JsonNode diff(DatasetRef a, DatasetRef b, List<String> key) {
        DatasetVersion left = get(a);
        DatasetVersion right = get(b);
        List<String> by = key.isEmpty() ? commonKey(left, right) : key;
        objects.check(left.contentHash()); // never read a corrupted object
        objects.check(right.contentHash());
        return inWorkspace(work -> {
            try (Connection duck = Tables.open(work)) {
                return Differ.diff(duck, left, objects.path(left.contentHash()), right, objects.path(right.contentHash()), by);
            } catch (SQLException e) {
                throw DuckEngine.failure("Diff of " + left + " and " + right, e);
            }
        });
    }

    /** Hashes every stored object again, and checks that every version's objects are there. */
    public Verification verify(Consumer<String> progress) {
        writers.readLock().lock(); // gc would make objects it removes look missing
        try {
            return verifyAll(progress);
        } finally {
            writers.readLock().unlock();
        }
    }

    private Verification verifyAll(Consumer<String> progress) {
        Map<String, List<String>> referencedBy = references();
        List<String> all = objects.all();
        List<Verification.Problem> problems = new ArrayList<>();
        long bytes = 0;
        int done = 0;
        for (String hash : all) {
            try {
                bytes += objects.size(hash);
                objects.check(hash);
            } catch (SeerException e) {
                problems.add(new Verification.Problem(hash, e.getMessage(), referencedBy.getOrDefault(hash, List.of())));
            }
            if (++done % 100 == 0) {
                progress.accept("verified " + done + " of " + all.size() + " objects");
            }
        }
        Set<String> present = new HashSet<>(all);
        referencedBy.forEach((hash, users) -> {
            if (!present.contains(hash)) {
                problems.add(new Verification.Problem(hash, "Object [" + hash + "] is missing", users));
            }
        });
        return new Verification(all.size(), bytes, problems);
    }

    /**
     * Removes objects no version references and what crashed writes left; {@code dryRun}: only
     * lists them. A removal is audited ({@code dataset.objects_removed}, with the objects and bytes).
     */
    public GarbageReport gc(boolean dryRun, String actor) {
        writers.writeLock().lock();
        try {
            Set<String> referenced = references().keySet();
            List<String> unreferenced = objects.all().stream().filter(h -> !referenced.contains(h)).toList();
            long bytes = unreferenced.stream().mapToLong(objects::size).sum();
            List<Path> leftovers = new ArrayList<>(objects.leftovers());
            leftovers.addAll(list(staging));
            if (!dryRun && !(unreferenced.isEmpty() && leftovers.isEmpty())) {
                ObjectNode payload = Json.object().put("bytes", bytes).put("leftovers", leftovers.size());
                unreferenced.forEach(payload.putArray("objects")::add);
                audit.record(new AuditRecord(actor, "dataset.objects_removed", KIND, "objects", payload)).join();
                unreferenced.forEach(objects::delete);
                leftovers.forEach(DatasetStore::deleteTree);
            }
            return new GarbageReport(dryRun, unreferenced, bytes, leftovers.stream().map(Path::toString).toList());
        } finally {
            writers.writeLock().unlock();
        }
    }

    /** Runs a version's recorded inputs again and compares the result's hash with the recorded one. */
    public Reproduction reproduce(DatasetRef ref, Consumer<String> progress) {
        DatasetVersion version = get(ref);
        JsonNode lineage = version.manifest().path("lineage");
        return inWorkspace(work -> {
            Built built = switch (lineage.path("kind").asText()) {
                case "retrieval" -> rebuildRetrieval(version, work, progress);
                case "import" -> rebuildImport(version, work, progress);
                default -> throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset " + version + " has lineage of"
                        + " kind [" + lineage.path("kind").asText() + "], which cannot be rerun", Map.of("dataset", version.toString()));
            };
            Map<String, String> splits = new LinkedHashMap<>();
            built.splits().forEach((split, file) -> splits.put(split, hashInput(file)));
            Map<String, String> recordedSplits = new LinkedHashMap<>();
            version.manifest().path("splits").path("parts").fields()
                    .forEachRemaining(e -> recordedSplits.put(e.getKey(), e.getValue().path("sha256").asText()));
            return new Reproduction(version.toString(), version.contentHash(), hashInput(built.data()), recordedSplits, splits);
        });
    }

    /**
     * Where a version's rows came from: its lineage as recorded, with the full record of every
     * ingested batch read (source, content hash or Kafka topic, partition and offsets).
     */
    public JsonNode lineage(DatasetRef ref) {
        DatasetVersion version = get(ref);
        ObjectNode out = Json.object().put("dataset", version.toString()).put("content_hash", version.contentHash())
                .put("rows", version.rows()).put("created", version.created().toString()).put("creator", version.createdBy());
        out.set("lineage", version.manifest().path("lineage"));
        out.set("batches", batchesRead(version));
        return out;
    }

    // ---- building a version ----

    /** A version's files before they are stored: data, splits, and the manifest's other parts. */
    /** {@code stored}: the data when it is already in the object store (an imported Parquet file). */
    private record Built(Path data, Optional<ObjectStore.Stored> stored, Map<String, Path> splits, Optional<Path> batches,
            ObjectNode manifest) {}

    private Built buildFromRetrieval(String name, CreateRequest request, Path work, Consumer<String> progress) {
        // The join reads a stored copy of the entity file: the recorded hash is of what was joined,
        // and a reproduction needs nothing outside the store.
        ObjectStore.Stored entityObject = store(request.entities(), progress);
        Path entities = linked(entityObject.sha256(), request.entities(), work);
        progress.accept("point-in-time join of " + request.features() + " to [" + request.entities() + "]");
        Path raw = work.resolve("joined.parquet");
        HistoricalRetrieval.Report report = retrieval.run(new HistoricalRetrieval.Request(entities, request.features(), raw,
                request.filterByCreated(), Map.of(), Optional.empty()));
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
        service(request.features()).ifPresent(service -> lineage.set("feature_service", service));
        ArrayNode refs = lineage.putArray("feature_refs");
        report.inputs().forEach(v -> v.features().forEach(f -> refs.add(v.view() + ":" + f)));
        lineage.putObject("options").put("filter_by_created_timestamp", request.filterByCreated())
                .put("label", request.label().orElse(null));
        ArrayNode batches = Lineage.batches(report.inputs(), ingestor.batches());
        lineage.set("views", Lineage.summary(batches));
        Path batchesFile = work.resolve("batches.json");
        write(batchesFile, batches);
        List<String> key = new ArrayList<>(joinKeys);
        key.add(HistoricalRetrieval.EVENT_TIMESTAMP);
        Built built = finish(name, null, "SELECT * FROM " + Tables.scan(raw), work, request.label(), request.split(), key,
                lineage, progress);
        return new Built(built.data(), Optional.empty(), built.splits(), Optional.of(batchesFile), built.manifest());
    }

    /** The feature service asked for, with the version used: one name without a colon is a service. */
    private Optional<ObjectNode> service(List<String> features) {
        if (features.size() != 1 || features.get(0).contains(":")) {
            return Optional.empty();
        }
        return catalog.latest(dev.seer.features.FeatureRegistry.SERVICE, features.get(0))
                .map(e -> Json.object().put("name", e.name()).put("version", e.version()));
    }

    private Built rebuildRetrieval(DatasetVersion version, Path work, Consumer<String> progress) {
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
        ingestor.batches().forEach(b -> gone.remove(b.body().path("batch_id").asText()));
        if (!gone.isEmpty()) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, version + " read ingested batches that are no longer"
                    + " recorded: " + gone, Map.of("batches", gone.toString()));
        }
        List<String> features = texts(lineage.path("feature_refs")); // the service as it was, view by view
        progress.accept("point-in-time join again, pinned to " + views + " and " + batches.size() + " batches");
        Path raw = work.resolve("joined.parquet");
        retrieval.run(new HistoricalRetrieval.Request(entities, features, raw,
                lineage.path("options").path("filter_by_created_timestamp").asBoolean(), views, Optional.of(batches)));
        return finish(version.name(), null, "SELECT * FROM " + Tables.scan(raw), work, recordedLabel(version),
                recordedSplit(version), List.of(), lineage.deepCopy(), progress);
    }

    private Built buildFromFile(String name, ImportRequest request, Path work, Consumer<String> progress) {
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

    private Built rebuildImport(DatasetVersion version, Path work, Consumer<String> progress) {
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
            ObjectNode manifest = Json.object().put("format", FORMAT).put("name", name).put("engine", Tables.engine(duck));
            manifest.putObject("data").put("rows", Tables.rows(duck, relation)).put("format", "parquet");
            manifest.set("schema", Tables.schemaJson(columns));
            key.forEach(manifest.putArray("key")::add);
            label.ifPresent(l -> manifest.put("label", l));
            manifest.set("profile", Tables.profile(duck, relation));
            Map<String, Path> splits = new LinkedHashMap<>();
            if (split.isPresent()) {
                Tables.SplitRule rule = Tables.splitRule(duck, data, split.get(), name);
                ObjectNode recorded = rule.recorded();
                ObjectNode parts = recorded.putObject("parts");
                for (Map.Entry<String, String> part : rule.conditions().entrySet()) {
                    Path out = work.resolve(part.getKey() + ".parquet");
                    Tables.writeSplit(duck, data, part.getValue(), out, progress, "writing the " + part.getKey() + " split");
                    splits.put(part.getKey(), out);
                    parts.putObject(part.getKey()).put("rows", Tables.rows(duck, Tables.scan(out)));
                }
                manifest.set("splits", recorded);
            }
            manifest.set("lineage", lineage);
            return new Built(data, Optional.empty(), splits, Optional.empty(), manifest);
        } catch (SQLException e) {
            throw DuckEngine.failure("Building dataset [" + name + "]", e);
        }
    }

    /**
     * Stores the files and records the manifest (the commit point). If the latest version has the
     * same content, splits and inputs, it is returned and nothing new is recorded.
     */
    private Written record(String name, Built built, String actor, Consumer<String> progress) {
        ObjectNode manifest = built.manifest();
        long stored = 0;
        progress.accept("storing the objects");
        ObjectStore.Stored data = built.stored().orElseGet(() -> store(built.data(), progress));
        stored += data.existed() ? 0 : data.bytes();
        ((ObjectNode) manifest.path("data")).put("sha256", data.sha256()).put("bytes", data.bytes());
        for (Map.Entry<String, Path> split : built.splits().entrySet()) {
            ObjectStore.Stored part = store(split.getValue(), progress);
            stored += part.existed() ? 0 : part.bytes();
            ((ObjectNode) manifest.path("splits").path("parts").path(split.getKey())).put("sha256", part.sha256())
                    .put("bytes", part.bytes());
        }
        if (built.batches().isPresent()) {
            ObjectStore.Stored batches = store(built.batches().get(), progress);
            ((ObjectNode) manifest.path("lineage")).put("batches_object", batches.sha256());
        }
        ObjectNode identity = manifest.deepCopy();
        identity.remove("profile"); // derived from the data; its floating-point sums need not repeat to the last bit
        String fingerprint = Sha256.hex(Json.write(identity));
        manifest.put("fingerprint", fingerprint);
        Optional<CatalogEntry> latest = catalog.latest(KIND, name);
        if (latest.isPresent() && latest.get().body().path("fingerprint").asText().equals(fingerprint)) {
            return new Written(DatasetVersion.of(latest.get()), false, stored);
        }
        progress.accept("recording the version");
        manifest.put("created", clock.instant().toString()).put("creator", actor);
        CatalogEntry entry = catalog.put(KIND, name, manifest, actor).entry();
        return new Written(DatasetVersion.of(entry), true, stored);
    }

    private ObjectStore.Stored store(Path file, Consumer<String> progress) {
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

    // ---- helpers ----

    private static Optional<String> recordedLabel(DatasetVersion version) {
        return Optional.ofNullable(version.manifest().path("label").textValue());
    }

    private static Optional<SplitSpec> recordedSplit(DatasetVersion version) {
        JsonNode splits = version.manifest().path("splits");
        return splits.isObject() ? Optional.of(SplitSpec.fromJson(splits)) : Optional.empty();
    }

    private String splitObject(DatasetVersion version, String split) {
        JsonNode part = version.manifest().path("splits").path("parts").path(split);
        if (!part.isObject()) {
            List<String> have = Tables.SPLITS.stream().filter(version.manifest().path("splits").path("parts")::has).toList();
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset " + version + " has no split [" + split + "]"
                    + (have.isEmpty() ? "; it was stored without splits" : "; its splits: " + have), Map.of("split", split));
        }
        return part.path("sha256").asText();
    }

    private static List<String> commonKey(DatasetVersion a, DatasetVersion b) {
        List<String> keyA = texts(a.manifest().path("key"));
        List<String> keyB = texts(b.manifest().path("key"));
        if (keyA.isEmpty() || !keyA.equals(keyB)) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Datasets " + a + " (key " + keyA + ") and " + b + " (key "
                    + keyB + ") have no common key; give one with --key COLUMN[,COLUMN]", Map.of("a", a.toString(),
                    "b", b.toString()));
        }
        return keyA;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    /** Every object a version references (data and splits), with the versions referencing it. */
    private Map<String, List<String>> references() {
        Map<String, List<String>> referenced = new LinkedHashMap<>();
        for (CatalogEntry latest : catalog.latestOfKind(KIND)) {
            for (CatalogEntry entry : catalog.versions(KIND, latest.name())) {
                String user = entry.name() + ":" + entry.version();
                JsonNode body = entry.body();
                List<JsonNode> hashes = new ArrayList<>(List.of(body.path("data").path("sha256"),
                        body.path("lineage").path("entities").path("sha256"), body.path("lineage").path("file").path("sha256"),
                        body.path("lineage").path("batches_object")));
                body.path("splits").path("parts").forEach(p -> hashes.add(p.path("sha256")));
                for (JsonNode hash : hashes) {
                    List<String> users = hash.isTextual() ? referenced.computeIfAbsent(hash.asText(), h -> new ArrayList<>())
                            : new ArrayList<>();
                    if (!users.contains(user)) {
                        users.add(user);
                    }
                }
            }
        }
        return referenced;
    }

    private String known() {
        List<String> names = list().stream().map(DatasetVersion::name).toList();
        return names.isEmpty() ? "; there are no datasets yet" : "; datasets: " + names;
    }

    private static SeerException notFound(String ref, String message) {
        return new SeerException(DatasetErrorCode.DATASET_NOT_FOUND, message, Map.of("dataset", ref));
    }

    private static String hashInput(Path file) {
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
    private ArrayNode batchesRead(DatasetVersion version) {
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

    /**
     * Runs {@code work} in a fresh staging folder, removed afterwards, holding the writers' lock
     * so that gc, which removes staging folders and unreferenced objects, waits.
     */
    private <T> T inWorkspace(java.util.function.Function<Path, T> work) {
        writers.readLock().lock();
        try {
            Path folder = workspace();
            try {
                return work.apply(folder);
            } finally {
                deleteTree(folder);
            }
        } finally {
            writers.readLock().unlock();
        }
    }

    private Path workspace() {
        Path work = staging.resolve(UUID.randomUUID().toString());
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new SeerException(DatasetErrorCode.STORAGE_FAILURE, "Cannot create [" + work + "]: " + e.getMessage(),
                    Map.of("path", work.toString()), e);
        }
        return work;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // what is left is removed by gc
        }
    }
}

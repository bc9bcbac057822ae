package dev.seer.datasets;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.core.home.FileTrees;
import dev.seer.core.objects.ObjectStore;
import dev.seer.duckdb.DuckEngine;
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

    private final ObjectStore objects;
    private final VersionBuilder builder;
    private final Path staging;
    private final Catalog catalog;
    private final PointInTimeRetrieval retrieval;
    private final AuditSink audit;
    private final Clock clock;
    /** Writers of versions share it; gc takes it alone, so it never removes what a writer is about to record. */
    private final ReentrantReadWriteLock writers = new ReentrantReadWriteLock();

    public DatasetStore(Path root, Catalog catalog, PointInTimeRetrieval retrieval, AuditSink audit,
            Clock clock) {
        this.objects = new ObjectStore(root.resolve("objects"), "Dataset objects", new ObjectStore.Errors(
                DatasetErrorCode.INPUT_UNREADABLE, DatasetErrorCode.CORRUPTED, DatasetErrorCode.STORAGE_FAILURE));
        this.staging = root.resolve(".staging");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.retrieval = requireNonNull(retrieval, "retrieval is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.builder = new VersionBuilder(objects, staging, retrieval);
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
        return inWorkspace(work -> record(name, builder.fromRetrieval(name, request, work, progress), actor, progress));
    }

    public Written importFile(String name, ImportRequest request, String actor, Consumer<String> progress) {
        DatasetRef.checkName(name);
        if (!Files.isRegularFile(request.file())) {
            throw new SeerException(DatasetErrorCode.INPUT_UNREADABLE, "File [" + request.file() + "] does not exist",
                    Map.of("path", request.file().toString()));
        }
        return inWorkspace(work -> record(name, builder.fromFile(name, request, work, progress), actor, progress));
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
        return DatasetVersion.of(entry.get()); // refuses a manifest of a format it cannot read
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

    /**
     * The stored file of a version's data, or of one of its splits, for reading in place (never
     * write to it): its hash is checked first, so a corrupted object is reported, not read.
     */
    public Path file(DatasetVersion version, Optional<String> split) {
        String hash = split.map(s -> splitObject(version, s)).orElse(version.contentHash());
        objects.check(hash);
        return objects.path(hash);
    }

    /** Compares two versions by key; {@code key} empty: the key both versions recorded. */
    public DatasetDiff diff(DatasetRef a, DatasetRef b, List<String> key) {
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
        DatasetLineage lineage = version.manifest().lineage();
        return inWorkspace(work -> {
            VersionBuilder.Built built = lineage instanceof DatasetLineage.Retrieval retrieval
                    ? builder.rerunRetrieval(version, retrieval, work, progress)
                    : builder.rerunImport(version, (DatasetLineage.Import) lineage, work, progress);
            Map<String, String> splits = new LinkedHashMap<>();
            built.splits().forEach((split, file) -> splits.put(split, VersionBuilder.hashInput(file)));
            Map<String, String> recordedSplits = new LinkedHashMap<>();
            version.manifest().splits().ifPresent(s -> s.parts().forEach((split, part) -> recordedSplits.put(split,
                    part.sha256())));
            return new Reproduction(version.toString(), version.contentHash(), VersionBuilder.hashInput(built.data()), recordedSplits, splits);
        });
    }

    /**
     * Where a version's rows came from: its lineage as recorded, with the full record of every
     * ingested batch read (source, content hash or Kafka topic, partition and offsets).
     */
    public LineageReport lineage(DatasetRef ref) {
        DatasetVersion version = get(ref);
        return new LineageReport(version.ref(), version.contentHash(), version.rows(), version.created(),
                version.createdBy(), version.manifest().lineage(), builder.batchesRead(version));
    }

    /**
     * Stores the files and records the manifest (the commit point). If the latest version has the
     * same content, splits and inputs, it is returned and nothing new is recorded.
     */
    private Written record(String name, VersionBuilder.Built built, String actor, Consumer<String> progress) {
        long stored = 0;
        progress.accept("storing the objects");
        ObjectStore.Stored data = built.stored().orElseGet(() -> builder.store(built.data(), progress));
        stored += data.existed() ? 0 : data.bytes();
        Map<String, ObjectStore.Stored> parts = new LinkedHashMap<>();
        for (Map.Entry<String, Path> split : built.splits().entrySet()) {
            ObjectStore.Stored part = builder.store(split.getValue(), progress);
            stored += part.existed() ? 0 : part.bytes();
            parts.put(split.getKey(), part);
        }
        Optional<String> batches = built.batches().map(b -> builder.store(b, progress).sha256());
        DatasetManifest manifest = built.manifest().stored(data, parts, batches);
        String fingerprint = manifest.identity();
        Optional<DatasetVersion> latest = catalog.latest(KIND, name).map(DatasetVersion::of);
        if (latest.isPresent() && latest.get().manifest().fingerprint().equals(Optional.of(fingerprint))) {
            return new Written(latest.get(), false, stored);
        }
        progress.accept("recording the version");
        ObjectNode recorded = DatasetManifest.CODEC.encode(manifest.recorded(fingerprint, clock.instant(), actor));
        CatalogEntry entry = catalog.put(KIND, name, recorded, actor).entry();
        progress.accept("recorded the version " + DatasetVersion.of(entry).ref());
        return new Written(DatasetVersion.of(entry), true, stored);
    }

    // ---- helpers ----

    private String splitObject(DatasetVersion version, String split) {
        Map<String, DatasetManifest.Part> parts = version.manifest().splits().map(DatasetManifest.Splits::parts)
                .orElse(Map.of());
        if (!parts.containsKey(split)) {
            List<String> have = Tables.SPLITS.stream().filter(parts::containsKey).toList();
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Dataset " + version + " has no split [" + split + "]"
                    + (have.isEmpty() ? "; it was stored without splits" : "; its splits: " + have), Map.of("split", split));
        }
        return parts.get(split).sha256();
    }

    private static List<String> commonKey(DatasetVersion a, DatasetVersion b) {
        List<String> keyA = a.manifest().key();
        List<String> keyB = b.manifest().key();
        if (keyA.isEmpty() || !keyA.equals(keyB)) {
            throw new SeerException(DatasetErrorCode.INVALID_REQUEST, "Datasets " + a + " (key " + keyA + ") and " + b + " (key "
                    + keyB + ") have no common key; give one with --key COLUMN[,COLUMN]", Map.of("a", a.toString(),
                    "b", b.toString()));
        }
        return keyA;
    }

    /** Every object a version references (data and splits), with the versions referencing it. */
    private Map<String, List<String>> references() {
        Map<String, List<String>> referenced = new LinkedHashMap<>();
        for (CatalogEntry latest : catalog.latestOfKind(KIND)) {
            for (CatalogEntry entry : catalog.versions(KIND, latest.name())) {
                DatasetVersion version = DatasetVersion.of(entry);
                String user = version.toString();
                for (String hash : version.manifest().objects()) {
                    List<String> users = referenced.computeIfAbsent(hash, h -> new ArrayList<>());
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
        FileTrees.deleteQuietly(dir); // what is left is removed by gc
    }
}

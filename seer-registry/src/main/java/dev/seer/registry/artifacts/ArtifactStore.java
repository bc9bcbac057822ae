package dev.seer.registry.artifacts;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.objects.ObjectStore;
import dev.seer.core.store.SqlDatabase;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistrySchema;
import dev.seer.registry.RegistrySql;
import dev.seer.registry.tracking.Lifecycle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Runs' artifacts and model files, kept by content: each file is an object of a content-addressed
 * store in the home (named by its SHA-256), and each run's {@link ArtifactPath} is a row pointing
 * at one. Nothing a request carries becomes a file name: paths are keys, objects are hashes, and
 * every read checks the hash and refuses a changed file.
 */
public final class ArtifactStore {
    /** A file or a directory directly under a listed directory, as MLflow's list-artifacts has them. */
    public record Entry(ArtifactPath path, boolean directory, long bytes) {}

    private final SqlDatabase database;
    private final ObjectStore objects;
    private final Path scratch;
    private final AuditSink audit;
    private final Clock clock;

    /** @param root the home's folder for artifacts: objects and a scratch folder for uploads in progress */
    public ArtifactStore(SqlDatabase database, Path root, AuditSink audit, Clock clock) {
        this.database = requireNonNull(database, "database is null");
        this.objects = new ObjectStore(root.resolve("objects"), "Artifacts", new ObjectStore.Errors(
                RegistryErrorCode.INVALID_REQUEST, RegistryErrorCode.CORRUPTED, RegistryErrorCode.STORAGE_FAILURE));
        this.scratch = root.resolve(".incoming-uploads");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        RegistrySchema.migrate(database);
    }

    /** Stores a file by content (a model file registered from outside a run); returns its SHA-256. */
    public String store(Path file) {
        return objects.copyIn(file, n -> { }).sha256();
    }

    /** Stores bytes made in this process (a model file Seer wrote itself) by content; returns their SHA-256. */
    public String store(byte[] content) {
        Path made = receive(new ByteArrayInputStream(requireNonNull(content, "content is null")));
        return objects.moveIn(made).sha256(); // moveIn removes the scratch file whatever happens
    }

    /** Stores what {@code content} holds as {@code path} of the run (replacing what was there), and returns its hash. */
    public String put(String runId, ArtifactPath path, InputStream content, String actor) {
        read("Reading run " + runId, c -> {
            requireRun(c, runId, true); // before the upload is received, not only after
            return null;
        });
        Path upload = receive(content);
        try {
            ObjectStore.Stored stored = objects.copyIn(upload, n -> { });
            write("Recording artifact [" + path + "] of run " + runId, c -> {
                requireRun(c, runId, true);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO run_artifacts (run_id, path, sha256, bytes, created)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256,"
                        + " bytes = excluded.bytes, created = excluded.created")) {
                    s.setString(1, runId);
                    s.setString(2, path.value());
                    s.setString(3, stored.sha256());
                    s.setLong(4, stored.bytes());
                    s.setLong(5, clock.millis());
                    return s.executeUpdate();
                }
            });
            audit.record(new AuditRecord(actor, "run.artifact_logged", "run", runId, Json.object().put("path", path.value())
                    .put("sha256", stored.sha256()).put("bytes", stored.bytes()))).join();
            return stored.sha256();
        } finally {
            deleteQuietly(upload);
        }
    }

    /** The hash of {@code path} of the run. */
    public String hash(String runId, ArtifactPath path) {
        return find(runId, path).orElseThrow(() -> new SeerException(RegistryErrorCode.NOT_FOUND, "Run " + runId
                + " has no artifact [" + path + "]", Map.of("path", path.value())));
    }

    /** Writes the object to {@code out}, checking its hash on the way; a changed object is refused and nothing kept. */
    public void copyOut(String sha256, Path out) {
        objects.copyOut(sha256, out);
    }

    /** The bytes of an object, checked against its hash. */
    public byte[] read(String sha256) {
        Path copy = scratchFile();
        try {
            objects.copyOut(sha256, copy);
            return Files.readAllBytes(copy);
        } catch (IOException e) {
            throw new SeerException(RegistryErrorCode.STORAGE_FAILURE, "Cannot read artifact [" + sha256 + "]: "
                    + e.getMessage(), Map.of(), e);
        } finally {
            deleteQuietly(copy);
        }
    }

    /** What lies directly under {@code directory} (the run's top level when empty): files and directories, by name. */
    public List<Entry> list(String runId, Optional<ArtifactPath> directory) {
        Map<String, Entry> children = new TreeMap<>();
        String prefix = directory.map(d -> d.value() + "/").orElse("");
        read("Listing artifacts of run " + runId, c -> {
            requireRun(c, runId, false);
            try (PreparedStatement s = c.prepareStatement("SELECT path, bytes FROM run_artifacts WHERE run_id = ? ORDER BY path")) {
                s.setString(1, runId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String path = rs.getString(1);
                        if (path.startsWith(prefix)) {
                            String rest = path.substring(prefix.length());
                            int slash = rest.indexOf('/');
                            String child = prefix + (slash < 0 ? rest : rest.substring(0, slash));
                            children.putIfAbsent(child, new Entry(ArtifactPath.of(child), slash >= 0,
                                    slash < 0 ? rs.getLong(2) : 0));
                        }
                    }
                }
            }
            return null;
        });
        return new ArrayList<>(children.values());
    }

    private Optional<String> find(String runId, ArtifactPath path) {
        return read("Reading artifact [" + path + "] of run " + runId, c -> {
            requireRun(c, runId, false);
            try (PreparedStatement s = c.prepareStatement("SELECT sha256 FROM run_artifacts WHERE run_id = ? AND path = ?")) {
                s.setString(1, runId);
                s.setString(2, path.value());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /**
     * Refuses a run that does not exist and, for a change ({@code forChange}), a deleted one, as
     * the tracking store refuses its logging.
     */
    private static void requireRun(Connection c, String runId, boolean forChange) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT lifecycle_stage FROM runs WHERE run_id = ?")) {
            s.setString(1, runId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SeerException(RegistryErrorCode.NOT_FOUND, "Run [" + runId + "] does not exist",
                            Map.of("run", runId));
                }
                if (forChange && Lifecycle.parse(rs.getString(1)) == Lifecycle.DELETED) {
                    throw new SeerException(RegistryErrorCode.INVALID_STATE, "Run [" + runId + "] is deleted; restore it"
                            + " before changing it", Map.of("run", runId));
                }
            }
        }
    }

    /**
     * An upload lands in a scratch file of Seer's naming first; only its hash names it afterwards.
     * Whatever stops it (a broken connection, a body over the upload limit) deletes the part.
     */
    private Path receive(InputStream content) {
        Path upload = scratchFile();
        try {
            Files.copy(content, upload, StandardCopyOption.REPLACE_EXISTING);
            return upload;
        } catch (IOException e) {
            deleteQuietly(upload);
            throw new SeerException(RegistryErrorCode.STORAGE_FAILURE, "Cannot receive an artifact: " + e.getMessage(),
                    Map.of(), e);
        } catch (RuntimeException e) {
            deleteQuietly(upload);
            throw e;
        }
    }

    private Path scratchFile() {
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new SeerException(RegistryErrorCode.STORAGE_FAILURE, "Cannot create [" + scratch + "]: " + e.getMessage(),
                    Map.of(), e);
        }
        return scratch.resolve(UUID.randomUUID() + ".part");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover scratch file is harmless; the next start may remove the folder's content
        }
    }

    private <T> T write(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.write(database, what, work);
    }

    private <T> T read(String what, SqlDatabase.Work<T> work) {
        return RegistrySql.read(database, what, work);
    }
}

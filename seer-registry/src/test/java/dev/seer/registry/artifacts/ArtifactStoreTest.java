package dev.seer.registry.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.Sha256;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run artifacts by content: paths are keys, files are hashes, every read checks the hash. */
class ArtifactStoreTest {
    @TempDir
    Path home;

    MetadataDatabase database;
    AuditLog audit;
    ArtifactStore artifacts;
    Run run;
    TrackingStore tracking;

    @BeforeEach
    void open() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T09:00:00Z"));
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 4), home);
        audit = new AuditLog(database, clock, AuditConfig.SECTION.defaults());
        tracking = new TrackingStore(database, audit, clock);
        artifacts = new ArtifactStore(database, home.resolve("artifacts"), audit, clock);
        run = tracking.createRun(new TrackingStore.NewRun(TrackingStore.DEFAULT_EXPERIMENT, Optional.empty(), "alice",
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty()), "alice");
    }

    @AfterEach
    void close() {
        audit.close();
        database.close();
    }

    @Test
    void anArtifactIsStoredByContentListedAndReadBack() {
        String hash = put("model/model.json", "{\"trees\": []}");
        put("model/MLmodel", "flavors: {}");
        put("metrics.csv", "auc\n0.8\n");
        assertThat(hash).isEqualTo(Sha256.hex("{\"trees\": []}"));
        assertThat(artifacts.hash(run.id(), ArtifactPath.of("model/model.json"))).isEqualTo(hash);
        assertThat(new String(artifacts.read(hash), StandardCharsets.UTF_8)).isEqualTo("{\"trees\": []}");
        assertThat(artifacts.list(run.id(), Optional.empty())).extracting(e -> e.path().value(), ArtifactStore.Entry::directory)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("metrics.csv", false),
                        org.assertj.core.groups.Tuple.tuple("model", true));
        assertThat(artifacts.list(run.id(), Optional.of(ArtifactPath.of("model")))).extracting(e -> e.path().value())
                .containsExactly("model/MLmodel", "model/model.json");
        assertThat(put("model/model.json", "{\"trees\": [1]}")).as("a path written again points at the new content")
                .isEqualTo(artifacts.hash(run.id(), ArtifactPath.of("model/model.json")));
    }

    @Test
    void bytesMadeInProcessAreStoredByContentAndLeaveNoScratchFile() throws Exception {
        String hash = artifacts.store("{\"weights\": [0.5]}".getBytes(StandardCharsets.UTF_8));
        assertThat(hash).isEqualTo(Sha256.hex("{\"weights\": [0.5]}"));
        assertThat(artifacts.store("{\"weights\": [0.5]}".getBytes(StandardCharsets.UTF_8))).isEqualTo(hash);
        assertThat(new String(artifacts.read(hash), StandardCharsets.UTF_8)).isEqualTo("{\"weights\": [0.5]}");
        try (Stream<Path> scratch = Files.list(home.resolve("artifacts").resolve(".incoming-uploads"))) {
            assertThat(scratch).isEmpty();
        }
    }

    @Test
    void pathsThatCouldLeaveTheRunAreRefusedInEveryUsualEncoding() {
        List<String> attacks = List.of("..", "../x", "model/../../etc/passwd", "/etc/passwd", "a\\..\\b", "..\\x",
                "%2e%2e/x", "%252e%252e/x", "..%2Fx", "a/%2e%2e", "a\u0000b", "a/./b", "./a", "a//b", "a/", "",
                "file:/etc/passwd", "http://127.0.0.1/x", "C:\\Windows", "x".repeat(1025));
        for (String attack : attacks) {
            assertThatThrownBy(() -> ArtifactPath.of(attack)).as(attack).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST));
        }
        assertThat(ArtifactPath.of("model/sub dir/file-1.v2.json").segments()).containsExactly("model", "sub dir",
                "file-1.v2.json");
    }

    @Test
    void aTamperedOrSwappedObjectIsRefused() throws Exception {
        String hash = put("model/model.json", "{\"trees\": []}");
        Path object = home.resolve("artifacts/objects").resolve(hash.substring(0, 2)).resolve(hash.substring(2));
        object.toFile().setWritable(true);
        Files.writeString(object, "{\"trees\": [666]}");
        assertThatThrownBy(() -> artifacts.read(hash)).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.CORRUPTED)).hasMessageContaining("is corrupted");

        Files.delete(object); // a link planted inside the store, to a file outside it
        Path outside = Files.writeString(home.resolve("secret.txt"), "not an artifact");
        Files.createSymbolicLink(object, outside);
        assertThatThrownBy(() -> artifacts.read(hash)).hasMessageContaining("is corrupted");
        Path out = home.resolve("out.json");
        assertThatThrownBy(() -> artifacts.copyOut(hash, out)).hasMessageContaining("is corrupted");
        assertThat(out).doesNotExist();
    }

    @Test
    void anUnknownRunOrPathIsNotFound() {
        assertThatThrownBy(() -> artifacts.hash("0".repeat(32), ArtifactPath.of("model"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> artifacts.hash(run.id(), ArtifactPath.of("nothing.txt")))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> put("x", "y", "0".repeat(32))).hasMessageContaining("does not exist");
    }

    @Test
    void aDeletedRunTakesNoArtifactUntilRestored() {
        tracking.setLifecycle(run.id(), Lifecycle.DELETED, "alice");
        assertThatThrownBy(() -> put("model.json", "{}")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_STATE)).hasMessageContaining("is deleted");
        assertThat(artifacts.list(run.id(), Optional.empty())).isEmpty();
        tracking.setLifecycle(run.id(), Lifecycle.ACTIVE, "alice");
        assertThat(put("model.json", "{}")).isEqualTo(Sha256.hex("{}"));
    }

    @Test
    void anUploadStoppedHalfWayLeavesNoPartBehind() throws Exception {
        InputStream failing = new SequenceInputStream(new ByteArrayInputStream(new byte[100_000]), new InputStream() {
            @Override
            public int read() {
                throw new SeerException(RegistryErrorCode.INVALID_REQUEST, "over the upload limit", Map.of()); // as the server's limit stops a body
            }
        });
        assertThatThrownBy(() -> artifacts.put(run.id(), ArtifactPath.of("big.bin"), failing, "alice"))
                .hasMessageContaining("over the upload limit");
        try (Stream<Path> left = Files.walk(home.resolve("artifacts"))) {
            assertThat(left.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(artifacts.list(run.id(), Optional.empty())).isEmpty();
    }

    private String put(String path, String content) {
        return put(path, content, run.id());
    }

    private String put(String path, String content, String runId) {
        return artifacts.put(runId, ArtifactPath.of(path), new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
                "alice");
    }
}

package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Role;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tracking and registry route that takes a name, an id or a path, Seer's and MLflow's,
 * given the usual encodings of a path attack aimed at a file outside the home: each is refused
 * (400 to 404, never a 200 or a 500), no answer carries the file's content, and nothing is
 * registered. Names and ids are only ever bound SQL parameters and artifact paths only keys, so
 * these fail by construction; the test keeps it so.
 */
class RegistryRouteAttackTest {
    private static final String SECRET = "TOP-SECRET-CONTENT-7f3a";

    @TempDir
    static Path dir;

    static RunningServer running;
    static Run run;
    static Path secret;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        run = running.services.tracking().createRun(new TrackingStore.NewRun(TrackingStore.DEFAULT_EXPERIMENT,
                Optional.empty(), "alice", Optional.empty(), Map.of(), Optional.empty(), Optional.empty()), "alice");
        running.services.artifacts().put(run.id(), ArtifactPath.of("model/model.seer-linear.json"),
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), "alice");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static List<String> attacks() {
        return PathAttacks.encoded(secret);
    }

    @Test
    void pathParametersOfEveryRegistryRouteRefuseAttacks() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String attack : attacks()) {
            for (String path : List.of("/api/v1/models/" + attack, "/api/v1/models/" + attack + "/versions/1",
                    "/api/v1/models/" + attack + "/versions/1/lineage", "/api/v1/models/" + attack + "/history",
                    "/api/v1/models/" + attack + "/at?time=2026-12-01T00:00:00Z", "/api/v1/runs/" + attack,
                    "/api/v1/runs/" + run.id() + "/metrics/" + attack, "/api/v1/experiments/" + attack,
                    "/api/2.0/mlflow/registered-models/get?name=" + attack,
                    "/api/2.0/mlflow/model-versions/get-download-uri?name=" + attack + "&version=1",
                    "/api/2.0/mlflow/runs/get?run_id=" + attack,
                    "/api/2.0/mlflow/metrics/get-history?run_id=" + run.id() + "&metric_key=" + attack)) {
                check(wrong, "GET " + path, running.send("GET", path, Role.ADMIN, null));
            }
            check(wrong, "register from folder " + attack, running.send("POST", "/api/v1/models/churn/versions", Role.ADMIN,
                    "{\"run\": \"" + run.id() + "\", \"folder\": \"" + decoded(attack) + "\", \"format\": \"seer-linear\","
                            + " \"signature\": \"x:float64->probability\"}"));
            check(wrong, "register from run " + attack, running.send("POST", "/api/v1/models/churn/versions", Role.ADMIN,
                    "{\"run\": \"" + decoded(attack) + "\"}"));
            check(wrong, "import file " + attack, running.send("POST", "/api/v1/models/churn/import", Role.ADMIN,
                    "{\"file\": \"" + decoded(attack) + "\", \"format\": \"seer-linear\", \"signature\":"
                            + " \"x:float64->probability\"}"));
            check(wrong, "alias on model " + attack, running.send("POST", "/api/v1/models/" + attack + "/aliases/champion",
                    Role.ADMIN, "{\"version\": 1, \"reason\": \"x\"}"));
            for (String change : List.of("delete", "restore")) {
                check(wrong, change + " run " + attack, running.send("POST", "/api/v1/runs/" + attack + "/" + change,
                        Role.ADMIN, "{}"));
                check(wrong, "MLflow " + change + " run " + attack, running.send("POST", "/api/2.0/mlflow/runs/" + change,
                        Role.ADMIN, "{\"run_id\": \"" + decoded(attack) + "\"}"));
            }
            check(wrong, "MLflow delete-tag " + attack, running.send("POST", "/api/2.0/mlflow/runs/delete-tag", Role.ADMIN,
                    "{\"run_id\": \"" + run.id() + "\", \"key\": \"" + decoded(attack) + "\"}"));
            check(wrong, "MLflow set-experiment-tag key " + attack, running.send("POST",
                    "/api/2.0/mlflow/experiments/set-experiment-tag", Role.ADMIN, "{\"experiment_id\": \"0\", \"key\": \""
                            + decoded(attack) + "\", \"value\": \"v\"}"));
            check(wrong, "MLflow set-experiment-tag experiment " + attack, running.send("POST",
                    "/api/2.0/mlflow/experiments/set-experiment-tag", Role.ADMIN, "{\"experiment_id\": \""
                            + decoded(attack) + "\", \"key\": \"k\", \"value\": \"v\"}"));
        }
        assertThat(wrong).as("routes that did not refuse an attack").isEmpty();
        assertThat(running.services.models().models()).as("nothing was registered").isEmpty();
        assertThat(running.services.tracking().run(run.id()).lifecycle()).as("the run was not deleted")
                .isEqualTo(dev.seer.registry.tracking.Lifecycle.ACTIVE);
        assertThat(running.services.tracking().experiment("0").tags()).as("no experiment tag was set").isEmpty();
        assertThat(Files.readString(secret)).isEqualTo(SECRET);
    }

    /** The write routes added for run deletion and tags refuse a body that is not JSON, or too large, and change nothing. */
    @Test
    void malformedOrOversizedBodiesOnTheRunAndTagRoutesChangeNothing() throws Exception {
        String oversized = "{\"run_id\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        for (String path : List.of("/api/v1/runs/" + run.id() + "/delete", "/api/2.0/mlflow/runs/delete",
                "/api/2.0/mlflow/runs/restore", "/api/2.0/mlflow/runs/delete-tag",
                "/api/2.0/mlflow/experiments/set-experiment-tag")) {
            HttpResponse<String> malformed = running.send("POST", path, Role.ADMIN, "{\"run_id\": ");
            assertThat(malformed.statusCode()).as("malformed body on %s: %s", path, malformed.body()).isEqualTo(400);
            if (!path.startsWith("/api/v1/runs/")) {
                assertThat(running.send("POST", path, Role.ADMIN, "[1, 2]").statusCode()).as("an array on %s", path)
                        .isEqualTo(400);
            }
            HttpResponse<String> large = running.send("POST", path, Role.ADMIN, oversized);
            assertThat(large.statusCode()).as("oversized body on %s", path).isEqualTo(413);
        }
        assertThat(running.services.tracking().run(run.id()).lifecycle())
                .isEqualTo(dev.seer.registry.tracking.Lifecycle.ACTIVE);
        assertThat(running.services.tracking().experiment("0").tags()).isEmpty();
    }

    @Test
    void importNamingAFileOutsideTheRootsIsRefusedWithoutReadingIt() throws Exception {
        HttpResponse<String> response = running.send("POST", "/api/v1/models/churn/import", Role.ADMIN, "{\"file\": \""
                + secret + "\", \"format\": \"seer-linear\", \"signature\": \"x:float64->probability\"}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(RunningServer.errorCode(response)).isEqualTo("PATH_NOT_ALLOWED");
        assertThat(response.body()).doesNotContain(SECRET);
    }

    /**
     * A model file that is not what it claims (garbage, a truncated file, a newer format, another
     * format's bytes, a signature it does not match) is refused before anything is stored or
     * registered, whoever uploads it.
     */
    @Test
    void aMalformedOrMismatchedModelFileIsRefusedAndNothingIsRegistered() throws Exception {
        String linear = "{\"format\": 1, \"kind\": \"seer-linear\", \"features\": [\"x\"], \"weights\": [0.5],"
                + " \"intercept\": 0.0, \"link\": \"logit\"}";
        Map<String, String> files = Map.of(
                "garbage", "\u0000\u0001not a model at all",
                "truncated", linear.substring(0, linear.length() / 2),
                "newer format", linear.replace("\"format\": 1", "\"format\": 99"),
                "another format's bytes", "{\"learner\": {}, \"version\": [3, 4, 0]}",
                "signature mismatch", linear.replace("[\"x\"]", "[\"y\"]"));
        int storedBefore = objects();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            MultipartBody body = new MultipartBody("{\"format\": \"seer-linear\", \"signature\":"
                    + " \"x:float64->probability\"}").file("file", "model.json", file.getValue());
            HttpResponse<String> response = running.upload("POST", "/api/v1/models/churn/import", Role.SCIENTIST, body);
            if (response.statusCode() != 400) {
                wrong.add(file.getKey() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("model files that were not refused with 400").isEmpty();
        assertThat(running.services.models().models()).isEmpty();
        assertThat(objects()).as("no refused file was stored").isEqualTo(storedBefore);
    }

    private static int objects() throws Exception {
        Path root = dir.resolve("home/artifacts/objects");
        if (!Files.exists(root)) {
            return 0;
        }
        try (var walk = Files.walk(root)) {
            return (int) walk.filter(Files::isRegularFile).count();
        }
    }

    private static void check(List<String> wrong, String what, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status > 404 || response.body().contains(SECRET)) {
            wrong.add(what + " -> " + status + " " + response.body());
        }
    }

    private static String decoded(String attack) {
        return PathAttacks.inJson(attack);
    }
}

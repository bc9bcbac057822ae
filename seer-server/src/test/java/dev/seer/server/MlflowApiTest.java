package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.TrackingStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MLflow's API over plain HTTP: the artifact proxy as MLflow's Python client calls it (PUT the
 * bytes, GET them back, list), every artifact route against path attacks, and errors on
 * {@code /api/2.0/} in MLflow's shape with MLflow's statuses, while {@code /api/v1/} keeps Seer's.
 */
class MlflowApiTest {
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    @TempDir
    static Path dir;

    static RunningServer running;
    static Run run;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        running = new RunningServer(dir);
        run = running.services.tracking().createRun(new TrackingStore.NewRun("0", Optional.of("artifacts"), "test",
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty()), "test");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    private static String location() {
        return run.experimentId() + "/" + run.id() + "/artifacts";
    }

    private static HttpResponse<byte[]> raw(String method, String path, byte[] body, Role role) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(running.server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + running.tokens.get(role));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void artifactsArePutReadBackAndListedAsMlflowsClientDoes() throws Exception {
        byte[] model = "{\"learner\": {\"trees\": 3}}".getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[70_000];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 31);
        }
        assertThat(raw("PUT", ARTIFACTS + "/" + location() + "/model/model.json", model, Role.SCIENTIST).statusCode())
                .isEqualTo(200);
        assertThat(raw("PUT", ARTIFACTS + "/" + location() + "/model/weights.bin", binary, Role.SCIENTIST).statusCode())
                .isEqualTo(200);
        assertThat(raw("PUT", ARTIFACTS + "/" + location() + "/notes.txt", "n".getBytes(StandardCharsets.UTF_8),
                Role.ADMIN).statusCode()).isEqualTo(200);

        assertThat(raw("GET", ARTIFACTS + "/" + location() + "/model/model.json", null, Role.AUDITOR).body()).isEqualTo(model);
        assertThat(raw("GET", ARTIFACTS + "/" + location() + "/model/weights.bin", null, Role.OPERATOR).body())
                .isEqualTo(binary);

        JsonNode root = Json.parse(running.send("GET", ARTIFACTS + "?path=" + location(), Role.AUDITOR, null).body());
        assertThat(root.path("files").toString()).isEqualTo("[{\"path\":\"model\",\"is_dir\":true},"
                + "{\"path\":\"notes.txt\",\"is_dir\":false,\"file_size\":1}]");
        JsonNode folder = Json.parse(running.send("GET", ARTIFACTS + "?path=" + location() + "/model", Role.AUDITOR, null)
                .body());
        assertThat(folder.path("files")).extracting(f -> f.path("path").asText() + ":" + f.path("file_size").asLong())
                .containsExactly("model.json:" + model.length, "weights.bin:" + binary.length);

        assertThat(raw("PUT", ARTIFACTS + "/" + location() + "/x.txt", model, Role.OPERATOR).statusCode()).isEqualTo(403);
    }

    @Test
    void aRunOrExperimentThatDoesNotMatchIsNotFound() throws Exception {
        String otherExperiment = running.services.tracking().createExperiment("elsewhere", Optional.empty(), Map.of(), "t").id();
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        for (String location : List.of(otherExperiment + "/" + run.id() + "/artifacts/a.txt",
                run.experimentId() + "/" + "f".repeat(32) + "/artifacts/a.txt",
                run.experimentId() + "/" + run.id() + "/other/a.txt",
                run.experimentId() + "/" + run.id() + "/artifacts")) {
            HttpResponse<byte[]> put = raw("PUT", ARTIFACTS + "/" + location, bytes, Role.SCIENTIST);
            assertThat(put.statusCode()).as(location).isEqualTo(404);
            assertThat(Json.parse(put.body()).path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
            assertThat(raw("GET", ARTIFACTS + "/" + location, null, Role.SCIENTIST).statusCode()).as(location).isEqualTo(404);
        }
        assertThat(running.send("GET", ARTIFACTS + "?path=" + otherExperiment + "/" + run.id() + "/artifacts", Role.AUDITOR,
                null).statusCode()).isEqualTo(404);
    }

    @Test
    void pathAttacksAreRefusedOnEveryArtifactRouteAndNothingIsWrittenOutsideTheStore() throws Exception {
        List<String> attacks = List.of("../../../../evil.txt", "model/../../evil.txt", "%2e%2e/%2e%2e/evil.txt",
                "%252e%252e/%252e%252e/evil.txt", "..%2f..%2fevil.txt", "..%5c..%5cevil.txt", "model%5c..%5cevil.txt",
                "/etc/evil.txt", "%2fetc%2fevil.txt", "evil%00.txt", "file:/tmp/evil.txt", "file:%2f%2f%2ftmp%2fevil.txt",
                "http:%2f%2fexample.com%2fevil.txt", "C:%5cevil.txt", "./evil.txt", "a//evil.txt");
        byte[] bytes = "evil".getBytes(StandardCharsets.UTF_8);
        int before = running.services.artifacts().list(run.id(), Optional.empty()).size();
        for (String attack : attacks) {
            String path = ARTIFACTS + "/" + location() + "/" + attack;
            int put = raw("PUT", path, bytes, Role.ADMIN).statusCode();
            int get = raw("GET", path, null, Role.ADMIN).statusCode();
            int list = running.send("GET", ARTIFACTS + "?path=" + location() + "/" + attack, Role.ADMIN, null).statusCode();
            assertThat(List.of(put, get, list)).as(attack).allSatisfy(status -> assertThat(status).isBetween(400, 404));
        }
        assertThat(running.services.artifacts().list(run.id(), Optional.empty())).hasSize(before);
        try (Stream<Path> files = Files.walk(Path.of("/tmp"), 2)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("evil"))).isEmpty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(f -> f.getFileName().toString().contains("evil"))).isEmpty();
        }
    }

    @Test
    void errorsOnMlflowsApiHaveMlflowsShapeAndStatus() throws Exception {
        expect(running.send("GET", "/api/2.0/mlflow/runs/get?run_id=" + "0".repeat(32), Role.AUDITOR, null), 404,
                "RESOURCE_DOES_NOT_EXIST");
        expect(running.send("GET", "/api/2.0/mlflow/experiments/get?experiment_id=987", Role.AUDITOR, null), 404,
                "RESOURCE_DOES_NOT_EXIST");
        expect(running.send("POST", "/api/2.0/mlflow/runs/log-metric", Role.SCIENTIST, "{\"run_id\": \"" + run.id()
                + "\", \"key\": \"auc\", \"value\": \"high\", \"timestamp\": 1}"), 400, "INVALID_PARAMETER_VALUE");
        expect(running.send("POST", "/api/2.0/mlflow/experiments/create", Role.SCIENTIST, "{}"), 400,
                "INVALID_PARAMETER_VALUE");
        assertThat(running.send("POST", "/api/2.0/mlflow/experiments/create", Role.SCIENTIST, "{\"name\": \"twice\"}")
                .statusCode()).isEqualTo(200);
        int experiments = running.services.tracking().experiments(true).size();
        for (int retry = 0; retry < 3; retry++) { // the Java client retries: the refusal changes nothing
            expect(running.send("POST", "/api/2.0/mlflow/experiments/create", Role.SCIENTIST, "{\"name\": \"twice\"}"), 400,
                    "RESOURCE_ALREADY_EXISTS");
        }
        assertThat(running.services.tracking().experiments(true)).hasSize(experiments);
        expect(running.send("POST", "/api/2.0/mlflow/experiments/create", Role.AUDITOR, "{\"name\": \"x\"}"), 403,
                "PERMISSION_DENIED");
        expect(running.send("POST", "/api/2.0/mlflow/experiments/create", (String) null, "{\"name\": \"x\"}"), 401,
                "UNAUTHENTICATED");
        expect(running.send("GET", "/api/2.0/mlflow/nothing-here", Role.ADMIN, null), 404, "ENDPOINT_NOT_FOUND");

        Run deleted = running.services.tracking().createRun(new TrackingStore.NewRun("0", Optional.empty(), "t",
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty()), "t");
        running.services.tracking().setLifecycle(deleted.id(), Lifecycle.DELETED, "t");
        expect(running.send("POST", "/api/2.0/mlflow/runs/set-tag", Role.SCIENTIST, "{\"run_uuid\": \"" + deleted.id()
                + "\", \"key\": \"k\", \"value\": \"v\"}"), 409, "INVALID_STATE");

        HttpResponse<String> seer = running.send("GET", "/api/v1/runs/" + "0".repeat(32), Role.AUDITOR, null);
        assertThat(seer.statusCode()).isEqualTo(404);
        assertThat(Json.parse(seer.body()).path("error").path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void numbersAreTakenAsJsonNumbersOrStringsAndTheLastPageHasNoToken() throws Exception {
        String id = run.id();
        for (String body : List.of("{\"run_id\": \"" + id + "\", \"key\": \"n\", \"value\": 0.5, \"timestamp\": 10, \"step\": 1}",
                "{\"run_uuid\": \"" + id + "\", \"key\": \"n\", \"value\": \"0.6\", \"timestamp\": \"11\", \"step\": \"2\"}")) {
            assertThat(running.send("POST", "/api/2.0/mlflow/runs/log-metric", Role.SCIENTIST, body).statusCode())
                    .isEqualTo(200);
        }
        JsonNode history = Json.parse(running.send("GET", "/api/2.0/mlflow/metrics/get-history?run_uuid=" + id
                + "&metric_key=n", Role.AUDITOR, null).body());
        assertThat(history.path("metrics")).extracting(m -> m.path("step").asLong()).containsExactly(1L, 2L);
        assertThat(history.has("next_page_token")).isFalse();
        JsonNode got = Json.parse(running.send("GET", "/api/2.0/mlflow/runs/get?run_uuid=" + id, Role.AUDITOR, null).body());
        assertThat(got.path("run").path("info").path("run_uuid").asText()).isEqualTo(id);
        JsonNode first = Json.parse(running.send("GET", "/api/2.0/mlflow/metrics/get-history?run_id=" + id
                + "&metric_key=n&max_results=1", Role.AUDITOR, null).body());
        assertThat(first.path("next_page_token").asText()).isNotEmpty();
    }

    @Test
    void aChangedArtifactIsRefusedOnReadAndTheAnswerLeaksNothing() throws Exception {
        Run other = running.services.tracking().createRun(new TrackingStore.NewRun("0", Optional.of("tampered"), "test",
                Optional.empty(), Map.of(), Optional.empty(), Optional.empty()), "test");
        byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
        String path = ARTIFACTS + "/0/" + other.id() + "/artifacts/tampered.bin";
        assertThat(raw("PUT", path, bytes, Role.SCIENTIST).statusCode()).isEqualTo(200);
        String sha256 = running.services.artifacts().hash(other.id(), dev.seer.registry.artifacts.ArtifactPath.of(
                "tampered.bin"));
        Path object;
        try (Stream<Path> files = Files.walk(dir)) { // the object store's layout: <first two hex>/<the rest>
            object = files.filter(f -> f.getFileName().toString().equals(sha256.substring(2))
                    && f.getParent().getFileName().toString().equals(sha256.substring(0, 2))).findFirst().orElseThrow();
        }
        object.toFile().setWritable(true);
        Files.writeString(object, "poisoned");
        HttpResponse<byte[]> read = raw("GET", path, null, Role.AUDITOR);
        assertThat(read.statusCode()).isEqualTo(500);
        JsonNode error = Json.parse(read.body());
        assertThat(error.path("error_code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.path("message").asText()).doesNotContain(dir.toString()).doesNotContain("poisoned");
    }

    @Test
    void anAliasIsDeletedThroughMlflowsApiUnlessProtected() throws Exception {
        var models = running.services.models();
        models.createModel("aliased", "", Map.of(), "t");
        models.createVersion("aliased", new dev.seer.registry.versions.ModelRegistry.NewVersion("runs:/" + run.id()
                + "/model", Optional.of(run.id()), "", dev.seer.registry.versions.VersionDetails.NONE, Map.of()), "t");
        models.setAlias("aliased", "challenger", 1, "", Optional.empty(), "t");
        models.setAlias("aliased", "champion", 1, "", Optional.empty(), "t");
        models.protect("aliased", "champion", "comparison", "t");
        assertThat(running.send("DELETE", "/api/2.0/mlflow/registered-models/alias?name=aliased&alias=challenger",
                Role.OPERATOR, null).statusCode()).isEqualTo(200);
        expect(running.send("DELETE", "/api/2.0/mlflow/registered-models/alias?name=aliased&alias=champion", Role.ADMIN,
                null), 409, "INVALID_STATE");
        expect(running.send("GET", "/api/2.0/mlflow/registered-models/alias?name=aliased&alias=challenger", Role.AUDITOR,
                null), 404, "RESOURCE_DOES_NOT_EXIST");
        assertThat(models.model("aliased").aliases()).containsOnlyKeys("champion");
    }

    private static void expect(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = Json.parse(response.body());
        assertThat(body.path("error_code").asText()).isEqualTo(code);
        assertThat(body.path("message").asText()).isNotBlank();
    }
}

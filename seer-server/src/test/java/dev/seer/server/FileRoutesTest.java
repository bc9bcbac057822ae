package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.Sha256;
import dev.seer.datasets.DatasetRef;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route that reads or writes a file, called by every role with every usual form of a path
 * that leaves the server's file roots: none reads or writes outside them, and what is inside
 * them, uploads and downloads work. One server serves all cases (they change nothing it keeps
 * but the outputs they are allowed to write inside the roots).
 */
class FileRoutesTest {
    static final String SECRET = "SECRET-7731";
    static final String REPOSITORY = """
            entities:
              - {name: customer, join_keys: [customer_id]}
            sources:
              - {name: transactions, type: file, path: data/transactions.csv, timestamp_field: event_ts,
                 created_timestamp_field: created_ts}
            feature_views:
              - name: customer_stats
                entities: [customer]
                source: transactions
                features:
                  - {name: spend, type: double}
                  - {name: plan, type: string}
            feature_services:
              - {name: churn_v1, features: [customer_stats:spend, customer_stats:plan]}
            """;
    static final String TRANSACTIONS = """
            customer_id,event_ts,created_ts,spend,plan
            1,2026-11-20T10:00:00Z,2026-11-20T10:00:05Z,12.5,basic
            2,2026-11-20T11:00:00Z,2026-11-20T11:00:05Z,99.0,pro
            1,2026-11-21T10:00:00Z,2026-11-21T10:00:05Z,20.0,pro
            """;
    static final String ENTITIES = """
            customer_id,event_timestamp,label
            1,2026-11-22T00:00:00Z,1
            2,2026-11-22T00:00:00Z,0
            """;

    @TempDir
    static Path dir;

    static RunningServer running;
    static Path root;
    static Path outside;
    static Path workingDirectory = Path.of("").toAbsolutePath();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    /** A route that takes a file, the field, the roles the README documents, and its body with the field set to a path. */
    record FileField(String route, String field, Set<Role> roles, boolean output, Function<String, String> body) {
        @Override
        public String toString() {
            return route + " [" + field + "]";
        }
    }

    static final Set<Role> WRITERS = EnumSet.of(Role.ADMIN, Role.SCIENTIST);
    static final List<FileField> FIELDS = List.of(
            new FileField("/api/v1/features/plan", "path", WRITERS, false, p -> Json.write(Json.object().put("path", p))),
            new FileField("/api/v1/features/apply", "path", WRITERS, false, p -> Json.write(Json.object().put("path", p))),
            new FileField("/api/v1/features/historical", "entities", WRITERS, false, p -> historical(p, "h-out.parquet")),
            new FileField("/api/v1/features/historical", "out", WRITERS, true, p -> historical("entities.csv", p)),
            new FileField("/api/v1/ingest/transactions", "file", EnumSet.of(Role.ADMIN, Role.SCIENTIST, Role.OPERATOR), false,
                    p -> Json.write(Json.object().put("file", p))),
            new FileField("/api/v1/datasets/create", "entities", WRITERS, false, p -> Json.write(features(Json.object()
                    .put("name", "attack").put("entities", p)))),
            new FileField("/api/v1/datasets/import", "file", WRITERS, false, p -> Json.write(Json.object().put("name", "attack")
                    .put("file", p))),
            new FileField("/api/v1/datasets/export", "out", WRITERS, true, p -> Json.write(Json.object().put("dataset", "churn:1")
                    .put("out", p))));

    /** The forms of a path that leaves the roots, for a target {@code outside/NAME}; {@code %s} is NAME. */
    static final List<String> ESCAPES = List.of(
            "OUTSIDE/%s",
            "../../../outside/%s",
            "ROOT/../../../outside/%s",
            "..%%2f..%%2f..%%2foutside%%2f%s",
            "%%2e%%2e/%%2e%%2e/%%2e%%2e/outside/%s",
            "%%252e%%252e%%252f%%252e%%252e%%252f%%252e%%252e%%252foutside%%252f%s",
            "..\\..\\..\\outside\\%s",
            "escape/%s");

    @BeforeAll
    static void start() throws IOException {
        running = new RunningServer(dir.resolve("server"));
        root = running.services.home().root().resolve("files");
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.csv"), "customer_id,event_timestamp,event_ts,created_ts,spend,plan\n"
                + SECRET + ",2026-11-22T00:00:00Z,2026-11-20T10:00:00Z,2026-11-20T10:00:05Z,1.0,basic\n");
        Files.writeString(outside.resolve("repo.yaml"), REPOSITORY.replace("data/transactions.csv", "secret.csv"));
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Path repository = Files.createDirectories(root.resolve("churn/data"));
        Files.writeString(repository.resolve("../repo.yaml"), REPOSITORY);
        Files.writeString(repository.resolve("transactions.csv"), TRANSACTIONS);
        Files.writeString(root.resolve("entities.csv"), ENTITIES);
        running.services.features().apply(root.resolve("churn"), "test");
        running.services.ingestor().ingest("transactions", Optional.empty(), "test");
        DatasetOperations.CREATE.handle(running.services, DatasetOperations.CREATE.decodeRequest(
                features(Json.object().put("name", "churn").put("entities", root.resolve("entities.csv").toString())
                        .put("label", "label"))), new Call("test", m -> { }));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void noPathFormLeavesTheRootsOnAnyRouteForAnyRole() throws Exception {
        List<String> initial = listing(outside);
        List<String> failures = new ArrayList<>();
        for (FileField field : FIELDS) {
            for (String escape : ESCAPES) {
                String target = field.route().endsWith("plan") || field.route().endsWith("apply") ? "" : field.output()
                        ? "written.parquet" : "secret.csv";
                String path = escape.formatted(target).replace("OUTSIDE", outside.toString()).replace("ROOT", root.toString());
                for (Role role : Role.values()) {
                    HttpResponse<String> response = post(field.route(), role, field.body().apply(path));
                    String expected = field.roles().contains(role) ? "PATH_NOT_ALLOWED" : "ROLE_NOT_ALLOWED";
                    if (response.statusCode() != 403 || !RunningServer.errorCode(response).equals(expected)
                            || response.body().contains(SECRET)) {
                        failures.add(field + " " + role + " [" + path + "]: " + response.statusCode() + " " + response.body());
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(listing(outside)).isEqualTo(initial);
    }

    @Test
    void aPlainRelativePathIsTakenInsideTheHomesFilesNeverTheServersWorkingDirectory() throws Exception {
        Path planted = workingDirectory.resolve("planted-" + ProcessHandle.current().pid() + ".csv");
        Files.writeString(planted, Files.readString(outside.resolve("secret.csv")));
        try {
            HttpResponse<String> read = post("/api/v1/datasets/import", Role.SCIENTIST, Json.write(Json.object()
                    .put("name", "planted").put("file", planted.getFileName().toString())));
            assertThat(read.statusCode()).as(read.body()).isBetween(400, 499);
            assertThat(read.body()).doesNotContain(SECRET);
        } finally {
            Files.delete(planted);
        }
        String written = "written-" + ProcessHandle.current().pid() + ".parquet";
        HttpResponse<String> export = post("/api/v1/datasets/export", Role.SCIENTIST, Json.write(Json.object()
                .put("dataset", "churn:1").put("out", written)));
        assertThat(export.statusCode()).as(export.body()).isEqualTo(200);
        assertThat(workingDirectory.resolve(written)).doesNotExist();
        assertThat(root.resolve(written)).exists();
        Files.delete(root.resolve(written));
    }

    @Test
    void uploadedFileNamesNeverChooseAServerPath() throws Exception {
        List<String> initial = listing(outside);
        for (String name : List.of("../../../outside/pwn.csv", outside.resolve("pwn.csv").toString(),
                "..\\..\\..\\outside\\pwn.csv", "%2e%2e%2f%2e%2e%2f%2e%2e%2foutside%2fpwn.csv", ".pwn.csv")) {
            HttpResponse<String> ingest = upload("/api/v1/ingest/transactions", Role.OPERATOR,
                    new MultipartBody("{}").file("file", name, TRANSACTIONS));
            assertThat(ingest.statusCode()).as(name + ": " + ingest.body()).isEqualTo(200);
            for (String route : List.of("/api/v1/features/plan", "/api/v1/features/apply")) {
                HttpResponse<String> plan = upload(route, Role.SCIENTIST, new MultipartBody("{\"name\": \"pwn\"}")
                        .file("repository", name, REPOSITORY));
                assertThat(plan.statusCode()).as(name + ": " + plan.body()).isEqualTo(400);
                assertThat(RunningServer.errorCode(plan)).isEqualTo("UPLOAD_INVALID");
            }
        }
        for (String name : List.of("../pwn", "/abs", "a/../../b", "%2e%2e", "a\\b")) {
            HttpResponse<String> plan = upload("/api/v1/features/plan", Role.SCIENTIST,
                    new MultipartBody("{\"name\": \"" + name.replace("\\", "\\\\") + "\"}").file("repository", "repo.yaml", REPOSITORY));
            assertThat(plan.statusCode()).as(name + ": " + plan.body()).isEqualTo(400);
        }
        assertThat(listing(outside)).isEqualTo(initial);
        assertThat(listing(running.services.home().runDirectory().resolve("uploads"))).containsOnly(".parts");
    }

    @Test
    void anUploadedRepositoryWhoseSourceReadsOutsideTheRootsIsRefused() throws Exception {
        HttpResponse<String> plan = upload("/api/v1/features/plan", Role.SCIENTIST, new MultipartBody("{\"name\": \"evil\"}")
                .file("repository", "repo.yaml", REPOSITORY.replace("data/transactions.csv", outside.resolve("secret.csv")
                        .toString())));
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(403);
        assertThat(Json.parse(plan.body()).path("error").path("details").path("field").asText())
                .isEqualTo("sources[transactions].path");
    }

    @Test
    void ingestingASourceWhoseRecordedFileIsOutsideTheRootsIsRefused() throws Exception {
        running.services.features().apply(outside.resolve("repo.yaml"), "local admin");
        try {
            HttpResponse<String> ingest = post("/api/v1/ingest/transactions", Role.ADMIN, "{}");
            assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(403);
            assertThat(ingest.body()).contains("sources[transactions].path").doesNotContain(SECRET);
        } finally {
            running.services.features().apply(root.resolve("churn"), "test");
        }
    }

    @Test
    void anUploadedRepositoryIsKeptUnderFilesAndItsSourceIngestsLater() throws Exception {
        MultipartBody body = new MultipartBody("{\"name\": \"remote-churn\"}").file("repository", "repo.yaml", REPOSITORY)
                .file("repository", "data/transactions.csv", TRANSACTIONS);
        HttpResponse<String> plan = upload("/api/v1/features/plan", Role.SCIENTIST, body);
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        List<String> changes = new ArrayList<>();
        Json.parse(plan.body()).forEach(c -> changes.add(c.path("kind").asText() + " " + c.path("action").asText()));
        // only the source changes: its file is now files/repositories/remote-churn/data/transactions.csv
        assertThat(changes).containsExactly("entity UNCHANGED", "source UPDATE", "feature_view UNCHANGED",
                "feature_service UNCHANGED");
        assertThat(Files.readString(root.resolve("repositories/remote-churn/data/transactions.csv"))).isEqualTo(TRANSACTIONS);
        assertThat(Files.readString(root.resolve("repositories/remote-churn/repo.yaml"))).isEqualTo(REPOSITORY);
    }

    @Test
    void historicalTakesAnUploadAndAnswersWithTheFile() throws Exception {
        ObjectNode request = features(Json.object().put("format", "csv"));
        HttpResponse<byte[]> response = CLIENT.send(multipart("/api/v1/features/historical", Role.SCIENTIST,
                new MultipartBody(Json.write(request)).file("entities", "my entities.csv", ENTITIES)),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("""
                customer_id,event_timestamp,label,customer_stats__spend,customer_stats__plan
                1,2026-11-22T00:00:00Z,1,20.0,pro
                2,2026-11-22T00:00:00Z,0,99.0,pro
                """);
        JsonNode result = Json.parse(response.headers().firstValue(RequestFiles.RESULT_HEADER).orElseThrow());
        assertThat(result.path("rows").asLong()).isEqualTo(2);
        assertThat(result.path("matched").asLong()).isEqualTo(2);
        assertThat(result.has("out")).isFalse();
    }

    @Test
    void exportAnswersWithTheStoredBytesAndImportTakesAnUpload() throws Exception {
        HttpResponse<byte[]> export = CLIENT.send(request("/api/v1/datasets/export", Role.SCIENTIST)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dataset\": \"churn:1\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(export.statusCode()).isEqualTo(200);
        String recorded = running.services.datasets().get(DatasetRef.parse("churn:1")).manifest()
                .data().sha256();
        assertThat(HexFormat.of().formatHex(Sha256.of(export.body()))).isEqualTo(recorded);
        HttpResponse<String> imported = upload("/api/v1/datasets/import", Role.SCIENTIST,
                new MultipartBody("{\"name\": \"uploaded\", \"key\": [\"customer_id\"]}").file("file", "rows.csv", ENTITIES));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        assertThat(Json.parse(imported.body()).path("manifest").path("data").path("rows").asLong()).isEqualTo(2);
    }

    @Test
    void aFileThisRouteDoesNotTakeIsRefusedNamingThePart() throws Exception {
        HttpResponse<String> response = upload("/api/v1/datasets/import", Role.SCIENTIST,
                new MultipartBody("{\"name\": \"x\"}").file("entities", "e.csv", ENTITIES));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("Part [entities]").contains("[file]");
        HttpResponse<String> json = upload("/api/v1/tokens", Role.ADMIN, new MultipartBody("{}").file("file", "e.csv", ENTITIES));
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(RunningServer.errorCode(json)).isEqualTo("UPLOAD_INVALID");
    }

    @Test
    void aDatasetRouteWithoutFilesStillTakesItsRequestAsAMultipartPart() throws Exception {
        HttpResponse<String> shown = upload("/api/v1/datasets/show", Role.AUDITOR, new MultipartBody("{\"dataset\": \"churn\"}"));
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        assertThat(Json.parse(shown.body()).path("dataset").asText()).isEqualTo("churn:1");
        HttpResponse<String> file = upload("/api/v1/datasets/show", Role.AUDITOR, new MultipartBody("{\"dataset\": \"churn\"}")
                .file("file", "e.csv", ENTITIES));
        assertThat(RunningServer.errorCode(file)).isEqualTo("UPLOAD_INVALID");
    }

    private static String historical(String entities, String out) {
        return Json.write(features(Json.object().put("entities", entities).put("out", out)));
    }

    private static ObjectNode features(ObjectNode body) {
        body.putArray("features").add("churn_v1");
        return body;
    }

    private static HttpResponse<String> post(String route, Role role, String json) throws IOException, InterruptedException {
        return running.send("POST", route, role, json);
    }

    private static HttpResponse<String> upload(String route, Role role, MultipartBody body)
            throws IOException, InterruptedException {
        return CLIENT.send(multipart(route, role, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest multipart(String route, Role role, MultipartBody body) {
        return request(route, role).header("Content-Type", body.contentType()).POST(body.publisher()).build();
    }

    private static HttpRequest.Builder request(String route, Role role) {
        return HttpRequest.newBuilder(URI.create(running.server.url() + route))
                .header("Authorization", "Bearer " + running.tokens.get(role));
    }

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

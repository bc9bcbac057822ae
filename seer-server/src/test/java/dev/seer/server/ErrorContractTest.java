package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.stream.KafkaConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP error contract beyond 400/401/403/404, against a real server: every error is
 * {@code {"error": {"code", "message", "details"}}} with the status of its category (README,
 * "HTTP API"); conflicts are 409, an unreachable broker makes {@code /readyz} 503 with the reason,
 * an unexpected failure is a 500 that tells nothing of the server's files or code, and the
 * documented request limits are refused with 400 naming the limit.
 */
class ErrorContractTest {
    /** A port nothing listens on: connections are refused at once. */
    static final String CLOSED_PORT = "127.0.0.1:1";

    @TempDir
    Path dir;

    RunningServer running;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    /**
     * A path Jetty refuses before routing (an encoded NUL) is answered in Seer's error shape with
     * MLflow's fields beside it (Jetty no longer knows the path), and says that the connection closes: a keep-alive client then opens a
     * new one, and its next POST is answered (it used to fail with no answer, on a connection the
     * server had closed without saying so).
     */
    @Test
    void aPathRefusedBeforeRoutingHasTheErrorShapeAndClosesTheConnectionOpenly() throws Exception {
        running = new RunningServer(dir);
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> refused = running.send("POST", "/api/v1/runs/x%00y/delete", Role.ADMIN, "{}");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/json"));
            assertThat(Json.parse(refused.body()).path("error").path("code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(refused.body()).contains("refused before routing");
            HttpResponse<String> next = running.send("POST", "/api/v1/runs/abc/delete", Role.ADMIN, "{}");
            assertThat(next.statusCode()).as("the POST after it, on the same client").isEqualTo(404);
        }
        HttpResponse<String> mlflow = running.send("GET", "/api/2.0/mlflow/runs/get%00", Role.ADMIN, null);
        assertThat(mlflow.statusCode()).isEqualTo(400);
        assertThat(Json.parse(mlflow.body()).path("error_code").asText()).as(mlflow.body()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void revokingARevokedTokenIsAConflict() throws Exception {
        running = new RunningServer(dir);
        assertThat(running.send("DELETE", "/api/v1/tokens/test-operator", Role.ADMIN, null).statusCode()).isEqualTo(200);
        HttpResponse<String> again = running.send("DELETE", "/api/v1/tokens/test-operator", Role.ADMIN, null);
        JsonNode error = error(again, 409, "TOKEN_ALREADY_REVOKED");
        assertThat(error.path("message").asText()).contains("already revoked");
    }

    @Test
    void aTreeHeadOfALogThatDoesNotVerifyIsAConflictNamingTheEntry() throws Exception {
        running = new RunningServer(dir);
        assertThat(running.send("GET", "/api/v1/audit/checkpoint", Role.AUDITOR, null).statusCode()).isEqualTo(200);
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 2");
        HttpResponse<String> head = running.send("GET", "/api/v1/audit/checkpoint", Role.AUDITOR, null);
        JsonNode error = error(head, 409, "AUDIT_LOG_TAMPERED");
        assertThat(error.path("message").asText()).contains("Entry 2 was changed");
        assertThat(error.path("details").path("seq").asLong()).isEqualTo(2);
        assertThat(error.path("details").path("kind").asText()).isEqualTo("CHANGED");
    }

    @Test
    void readinessIs503WithTheReasonWhileStreamingCannotReachItsBroker() throws Exception {
        running = new RunningServer(dir, new KafkaConfig(CLOSED_PORT, 1));
        running.services.features().apply(repository("""
                sources:
                  - name: clicks
                    type: push
                    timestamp_field: event_ts
                    schema: {customer_id: string, event_ts: timestamp}
                """), "test");
        HttpResponse<String> ready = awaitNotReady();
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode streaming = Json.parse(ready.body()).path("streaming");
        assertThat(Json.parse(ready.body()).path("ready").asBoolean()).isFalse();
        assertThat(streaming.path("state").asText()).isEqualTo("failing");
        assertThat(streaming.path("error").asText()).isNotBlank();
        assertThat(streaming.path("failed_attempts").asInt()).isPositive();
        assertThat(streaming.path("next_attempt").asText()).isNotBlank();
        // The rest serves meanwhile, and a push over the limit is the caller's error, not the broker's.
        assertThat(running.send("GET", "/api/v1/tokens", Role.ADMIN, null).statusCode()).isEqualTo(200);
        HttpResponse<String> tooMany = running.send("POST", "/api/v1/push/clicks", Role.OPERATOR, records(10_001));
        assertThat(error(tooMany, 400, "RECORD_INVALID").path("message").asText()).contains("1 to 10000 records, got 10001");
    }

    @Test
    void anUnexpectedFailureIsA500ThatLeaksNothing() throws Exception {
        running = new RunningServer(dir);
        IngestReport report = ingestWithOneBadRow();
        Path quarantine = running.services.home().root().resolve("offline").resolve("quarantine").resolve("transactions")
                .resolve(report.batchId() + ".parquet");
        assertThat(running.send("GET", "/api/v1/quarantine/" + report.batchId(), Role.AUDITOR, null).statusCode()).isEqualTo(200);
        Files.writeString(quarantine, "not parquet at all");
        HttpResponse<String> failed = running.send("GET", "/api/v1/quarantine/" + report.batchId(), Role.AUDITOR, null);
        JsonNode error = error(failed, 500, "ENGINE_FAILURE");
        assertThat(error.path("message").asText()).isEqualTo("Internal error [ENGINE_FAILURE]; see the server log");
        assertThat(error.path("details").isEmpty()).isTrue();
        assertThat(failed.body()).doesNotContain(dir.toString(), "/", ".parquet", ".java", "Exception", "duckdb",
                "dev.seer", "\tat ");
    }

    @Test
    void theDocumentedLimitsAreRefusedWith400NamingTheLimit() throws Exception {
        running = new RunningServer(dir);
        ingestWithOneBadRow();
        HttpResponse<String> page = running.send("GET", "/api/v1/audit?limit=1001", Role.AUDITOR, null);
        assertThat(error(page, 400, "INVALID_ARGUMENT").path("message").asText()).contains("[limit] must be from 1 to 1000");
        assertThat(running.send("GET", "/api/v1/audit?limit=1000", Role.AUDITOR, null).statusCode()).isEqualTo(200);
        // 2^32 + 1000 must not wrap around to an accepted 1000
        HttpResponse<String> wrapped = running.send("GET", "/api/v1/audit?limit=4294968296", Role.AUDITOR, null);
        assertThat(error(wrapped, 400, "INVALID_ARGUMENT").path("message").asText()).contains("[limit]").contains("out of range");
        HttpResponse<String> lookup = running.send("POST", "/api/v1/features/online", Role.SCIENTIST, entities(1001));
        assertThat(error(lookup, 400, "INVALID_ARGUMENT").path("message").asText()).contains("1 to 1000 entities, got 1001");
        assertThat(running.send("POST", "/api/v1/features/online", Role.SCIENTIST, entities(1000)).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownRouteOrMethodIsAnErrorOfTheSameShape() throws Exception {
        running = new RunningServer(dir);
        error(running.send("GET", "/api/v1/nothing-here", Role.ADMIN, null), 404, "ROUTE_NOT_FOUND");
        HttpResponse<String> wrongMethod = running.send("PUT", "/api/v1/tokens", Role.ADMIN, "{}");
        assertThat(wrongMethod.statusCode()).isIn(404, 405);
        JsonNode error = Json.parse(wrongMethod.body()).path("error");
        assertThat(error.path("code").asText()).isIn("ROUTE_NOT_FOUND", "METHOD_NOT_ALLOWED");
        assertThat(error.path("message").asText()).contains("PUT /api/v1/tokens");
        assertThat(error.path("details").isObject()).isTrue();
    }

    /** Checks the status and the one error shape, and returns the error. */
    private static JsonNode error(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonNode root = Json.parse(response.body());
        assertThat(root.properties()).extracting(Map.Entry::getKey).containsExactly("error");
        JsonNode error = root.path("error");
        assertThat(error.properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").isTextual()).isTrue();
        assertThat(error.path("details").isObject()).isTrue();
        return error;
    }

    /** A view over a file source with one row below its minimum, ingested: one quarantine record. */
    private IngestReport ingestWithOneBadRow() throws Exception {
        Path repo = repository("""
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: transactions, type: file, path: transactions.csv, timestamp_field: event_ts}
                feature_views:
                  - name: customer_stats
                    entities: [customer]
                    source: transactions
                    features:
                      - {name: spend, type: double, checks: {min: 0}}
                """);
        Files.writeString(repo.resolve("transactions.csv"), """
                customer_id,event_ts,spend
                1,2026-11-20T10:00:00Z,12.5
                2,2026-11-20T11:00:00Z,-3
                """);
        running.services.features().apply(repo, "test");
        IngestReport report = running.services.ingestor().ingest("transactions", Optional.empty(), "test");
        assertThat(report.rowsQuarantined()).isEqualTo(1);
        return report;
    }

    private Path repository(String yaml) throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("repo.yaml"), yaml);
        return repo;
    }

    private static String records(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"customer_id\": \"" + i + "\", \"event_ts\": \"2026-11-20T10:00:00Z\"}")
                .collect(Collectors.joining(",", "{\"records\": [", "]}"));
    }

    private static String entities(int n) {
        return IntStream.range(0, n).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(",",
                "{\"features\": [\"customer_stats:spend\"], \"entities\": {\"customer_id\": [", "]}}"));
    }

    /** Polls until streaming has failed at least once (its first attempt waits for the client's timeout). */
    private HttpResponse<String> awaitNotReady() throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        HttpResponse<String> ready = running.send("GET", "/readyz", (String) null, null);
        while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            ready = running.send("GET", "/readyz", (String) null, null);
        }
        return ready;
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + running.services.home().root().resolve("metadata.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}

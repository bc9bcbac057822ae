package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.AuditQuery;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerApiTest {
    @TempDir
    Path dir;

    RunningServer running;

    @BeforeEach
    void start() {
        running = new RunningServer(dir);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void healthNeedsNoToken() throws Exception {
        HttpResponse<String> response = running.send("GET", "/healthz", (String) null, null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Json.parse(response.body()).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void theAuditLogListsTheServerStartAndFilters() throws Exception {
        JsonNode page = Json.parse(running.send("GET", "/api/v1/audit?action=server.started", Role.AUDITOR, null).body());
        assertThat(page.path("entries")).hasSize(1);
        assertThat(page.path("entries").get(0).path("payload").path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        JsonNode limited = Json.parse(running.send("GET", "/api/v1/audit?limit=2", Role.ADMIN, null).body());
        assertThat(limited.path("entries")).hasSize(2);
        assertThat(limited.path("next_after").asLong()).isEqualTo(2);
    }

    @Test
    void readinessIsPublicAndReportsStreamingOffWithoutStreamingSources() throws Exception {
        HttpResponse<String> ready = running.send("GET", "/readyz", (String) null, null);
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode body = Json.parse(ready.body());
        assertThat(body.path("ready").asBoolean()).isTrue();
        assertThat(body.path("streaming").path("state").asText()).isEqualTo("off");
    }

    @Test
    void tokenUseAndRefusalsAreAudited() throws Exception {
        running.send("GET", "/api/v1/tokens", Role.ADMIN, null);
        running.send("GET", "/api/v1/tokens", Role.SCIENTIST, null);
        var audit = running.services.audit();
        // access entries are tallied and flushed in the background, each tally on its own: poll for both kinds
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline
                && (audit.query(AuditQuery.all().withAction("auth.denied")).entries().isEmpty()
                || audit.query(AuditQuery.all().withAction("token.used").withActor("token:test-admin")).entries().isEmpty())) {
            Thread.sleep(20);
        }
        assertThat(audit.query(AuditQuery.all().withAction("token.used").withActor("token:test-admin")).entries())
                .anySatisfy(e -> assertThat(e.subjectId()).isEqualTo("GET /api/v1/tokens"));
        assertThat(audit.query(AuditQuery.all().withAction("auth.denied").withActor("token:test-scientist")).entries())
                .hasSize(1);
    }

    @Test
    void aRevokedTokenIsRefused() throws Exception {
        String secret = running.tokens.get(Role.OPERATOR);
        assertThat(running.send("GET", "/metrics", secret, null).statusCode()).isEqualTo(200);
        HttpResponse<String> revoke = running.send("DELETE", "/api/v1/tokens/test-operator", Role.ADMIN, null);
        assertThat(revoke.statusCode()).isEqualTo(200);
        HttpResponse<String> after = running.send("GET", "/metrics", secret, null);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(RunningServer.errorCode(after)).isEqualTo("TOKEN_REVOKED");
    }

    @Test
    void aBodyThatDoesNotParseGets400AndChangesNothing() throws Exception {
        int before = running.services.tokens().list().size();
        HttpResponse<String> response = running.send("POST", "/api/v1/tokens", Role.ADMIN, "{\"role\": \"admin\", \"name\": ");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Json.parse(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asText()).contains("Malformed JSON at line 1");
        assertThat(error.has("details")).isTrue();
        assertThat(running.services.tokens().list()).hasSize(before);
        HttpResponse<String> badRole = running.send("POST", "/api/v1/tokens", Role.ADMIN, "{\"role\": \"king\", \"name\": \"x\"}");
        assertThat(badRole.statusCode()).isEqualTo(400);
        assertThat(Json.parse(badRole.body()).path("error").path("message").asText()).contains("[king]");
        assertThat(running.services.tokens().list()).hasSize(before);
    }

    @Test
    void trailingJunkAndRunawayNestingAre400sThatCreateNothing() throws Exception {
        int before = running.services.tokens().list().size();
        HttpResponse<String> junk = running.send("POST", "/api/v1/tokens", Role.ADMIN,
                "{\"role\": \"admin\", \"name\": \"x\"} junk");
        assertThat(junk.statusCode()).isEqualTo(400);
        String deep = "[".repeat(5000) + "]".repeat(5000);
        HttpResponse<String> nested = running.send("POST", "/api/v1/audit/verify", Role.ADMIN, deep);
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(RunningServer.errorCode(nested)).isEqualTo("INVALID_ARGUMENT");
        assertThat(running.services.tokens().list()).hasSize(before);
    }

    @Test
    void anUnknownRouteGetsAJson404() throws Exception {
        HttpResponse<String> response = running.send("GET", "/api/v1/nothing-here", Role.ADMIN, null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(RunningServer.errorCode(response)).isEqualTo("ROUTE_NOT_FOUND");
    }

    @Test
    void verifyCheckpointAndProofWorkOverHttp() throws Exception {
        JsonNode verified = Json.parse(running.send("POST", "/api/v1/audit/verify", Role.AUDITOR, "").body());
        assertThat(verified.path("ok").asBoolean()).isTrue();
        HttpResponse<String> checkpoint = running.send("POST", "/api/v1/audit/checkpoint", Role.AUDITOR, "");
        assertThat(checkpoint.statusCode()).isEqualTo(201);
        JsonNode head = Json.parse(checkpoint.body());
        JsonNode against = Json.parse(running.send("POST", "/api/v1/audit/verify", Role.AUDITOR,
                Json.write(Json.object().set("against", head))).body());
        assertThat(against.path("ok").asBoolean()).as(against.toString()).isTrue();
        JsonNode proof = Json.parse(running.send("GET", "/api/v1/audit/1/proof", Role.AUDITOR, null).body());
        assertThat(ApiJson.proof(proof).verify()).isTrue();
        HttpResponse<String> badSeq = running.send("GET", "/api/v1/audit/abc/proof", Role.AUDITOR, null);
        assertThat(badSeq.statusCode()).isEqualTo(400);
    }

    @Test
    void metricsSpeakPrometheusText() throws Exception {
        running.send("GET", "/healthz", (String) null, null);
        HttpResponse<String> metrics = running.send("GET", "/metrics", Role.ADMIN, null);
        assertThat(metrics.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        assertThat(metrics.body()).contains("# TYPE seer_http_request_duration_seconds histogram", "jvm_memory_used_bytes",
                "route=\"/healthz\"");
    }

    @Test
    void theLocalCliTokenExistsWhileRunningAndIsRevokedAtStop() throws Exception {
        Path file = running.services.home().runDirectory().resolve(SeerServer.LOCAL_TOKEN_FILE);
        String secret = java.nio.file.Files.readString(file).trim();
        assertThat(running.send("GET", "/api/v1/tokens", secret, null).statusCode()).isEqualTo(200);
        running.server.close();
        assertThat(file).doesNotExist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> running.services.tokens().authenticate(secret))
                .hasMessageContaining("revoked");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("server.stopped")).entries())
                .singleElement().satisfies(e -> assertThat(e.subjectId()).isEqualTo(running.server.url())
                        .matches("http://127\\.0\\.0\\.1:[1-9][0-9]*"));
    }
}

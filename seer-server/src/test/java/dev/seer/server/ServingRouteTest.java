package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.AuditQuery;
import dev.seer.models.LinearModel;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deployments and the predict route over HTTP, on imported linear models whose outputs say which
 * version scored: v1 is a + b, v2 is 10(a + b), v3 is 100a.
 */
class ServingRouteTest {
    @TempDir
    static Path dir;

    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        importLinear("lin", new double[] {1, 1}); // version 1
        importLinear("lin", new double[] {10, 10}); // version 2
        importLinear("lin", new double[] {100, 0}); // version 3
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static void importLinear(String name, double[] weights) throws Exception {
        LinearModel model = new LinearModel(List.of("a", "b"), weights, 0, LinearModel.Link.IDENTITY);
        byte[] bytes = Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/" + name + "/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                        .file("file", "linear.json", bytes));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    static HttpResponse<String> deploy(String name, String body) throws Exception {
        return running.send("POST", "/api/v1/deployments/" + name, Role.OPERATOR, body);
    }

    @Test
    void aDeploymentIsCheckedStoredShownAndRemoved() throws Exception {
        HttpResponse<String> created = deploy("shown", "{\"model\": \"lin\", \"version\": 1, \"challenger\": \"lin:2\","
                + " \"split\": \"80/20\", \"expected_revision\": 0}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(Json.parse(created.body()).path("challenger_percent").asInt()).isEqualTo(20);
        HttpResponse<String> again = deploy("shown", "{\"model\": \"lin\", \"version\": 1, \"expected_revision\": 0}");
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode shown = Json.parse(running.send("GET", "/api/v1/deployments/shown", Role.AUDITOR, null).body());
        assertThat(shown.path("deployment").path("champion").asText()).isEqualTo("lin:1");
        assertThat(shown.path("history")).hasSize(1);
        assertThat(running.send("GET", "/api/v1/deployments", Role.SCIENTIST, null).body()).contains("\"shown\"");
        assertThat(running.send("DELETE", "/api/v1/deployments/shown", Role.OPERATOR, null).statusCode()).isEqualTo(200);
        assertThat(running.send("GET", "/api/v1/deployments/shown", Role.AUDITOR, null).statusCode()).isEqualTo(404);
        assertThat(running.services.audit().query(AuditQuery.all().withAction("deployment.changed")).entries()).isNotEmpty();
        assertThat(running.services.audit().query(AuditQuery.all().withAction("deployment.removed")).entries()).isNotEmpty();
    }

    @Test
    void badDeploymentsAreRefusedNamingTheField() throws Exception {
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 9}"), 404, "");
        assertRefused(deploy("bad", "{\"model\": \"nothing\", \"version\": 1}"), 404, "");
        assertRefused(deploy("bad", "{\"model\": \"lin\"}"), 400, "has no alias [champion]");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 1, \"challenger\": \"lin:2\"}"), 400, "needs a [split]");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 1, \"challenger\": \"lin:2\", \"split\": \"90/20\"}"),
                400, "adding up to 100");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 1, \"shadow\": \"lin:1\"}"), 400, "its own");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 1, \"missing\": \"guess\"}"), 400, "[missing]");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 1, \"alias\": \"champion\"}"), 400, "not both");
        assertRefused(deploy("bad", "{\"model\": \"lin\", \"version\": 4294967297}"), 400, "[version]");
        for (String name : List.of("..%2F..%2Fetc", "%2e%2e", "Bad", "a%00b")) {
            HttpResponse<String> response = deploy(name, "{\"model\": \"lin\", \"version\": 1}");
            assertThat(response.statusCode()).as(name).isIn(400, 404);
        }
    }

    @Test
    void predictionsComeFromTheArmOfTheirEntityAndTheShadowIsNeverReturned() throws Exception {
        assertThat(deploy("ab", "{\"model\": \"lin\", \"version\": 1, \"challenger\": \"lin:2\", \"split\": \"50/50\","
                + " \"missing\": \"model_default\"}").statusCode()).isEqualTo(200);
        Map<String, String> arms = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                HttpResponse<String> response = running.send("POST", "/api/v1/predict/ab", Role.OPERATOR,
                        "{\"entity\": {\"customer_id\": \"c" + i + "\"}, \"features\": {\"a\": 1, \"b\": 2}}");
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode p = Json.parse(response.body()).path("predictions").get(0);
                double expected = p.path("arm").asText().equals("champion") ? 3 : 30;
                assertThat(p.path("output").get(0).asDouble()).isEqualTo(expected);
                String before = arms.putIfAbsent("c" + i, p.path("arm").asText());
                assertThat(before == null || before.equals(p.path("arm").asText())).isTrue();
            }
        }
        assertThat(arms.values()).contains("champion", "challenger");

        assertThat(deploy("shadowed", "{\"model\": \"lin\", \"version\": 1, \"shadow\": \"lin:3\"}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> batch = running.send("POST", "/api/v1/predict/shadowed", Role.SCIENTIST,
                "{\"rows\": [{\"features\": {\"a\": 1, \"b\": 1}}, {\"features\": {\"a\": 2, \"b\": 0.5}}]}");
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        JsonNode predictions = Json.parse(batch.body()).path("predictions");
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).path("output").get(0).asDouble()).isEqualTo(2);
        assertThat(predictions.get(1).path("output").get(0).asDouble()).isEqualTo(2.5);
        assertThat(batch.body()).doesNotContain("\"arm\":\"shadow\"").doesNotContain("lin:3");
    }

    @Test
    void badRowsAreRefusedNamingTheRowAndField() throws Exception {
        assertThat(deploy("strict", "{\"model\": \"lin\", \"version\": 1}").statusCode()).isEqualTo(200);
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR, "{\"features\": {\"a\": 1}}"), 400,
                "row 0 lacks [b]");
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR,
                "{\"rows\": [{\"features\": {\"a\": 1, \"b\": 2}}, {\"features\": {\"a\": \"high\", \"b\": 2}}]}"), 400,
                "[rows[1].features.a] must be a finite number or null");
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR,
                "{\"features\": {\"a\": 1, \"b\": 2, \"age\": 3}}"), 400, "[age], which no model");
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR, "{\"rows\": []}"), 400, "1 to 1000");
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR, "{}"), 400, "neither [entity]");
        assertRefused(running.send("POST", "/api/v1/predict/nowhere", Role.OPERATOR, "{\"features\": {\"a\": 1, \"b\": 2}}"),
                404, "No deployment named [nowhere]");
        StringBuilder many = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < 1001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"features\": {\"a\": 1, \"b\": 2}}");
        }
        assertRefused(running.send("POST", "/api/v1/predict/strict", Role.OPERATOR, many + "]}"), 400, "1 to 1000");
        assertThat(running.send("POST", "/api/v1/predict/strict", Role.AUDITOR, "{\"features\": {\"a\": 1, \"b\": 2}}")
                .statusCode()).isEqualTo(403);
    }

    static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(message);
    }
}

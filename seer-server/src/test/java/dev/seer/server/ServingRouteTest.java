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
        importLinear(running, name, weights);
    }

    static void importLinear(RunningServer running, String name, double[] weights) throws Exception {
        // the training means (fill values) make it explainable without a background
        LinearModel model = new LinearModel(List.of("a", "b"), weights, 0, LinearModel.Link.IDENTITY, new double[] {0, 0});
        byte[] bytes = Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/" + name + "/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                        .file("file", "linear.json", bytes));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    static void importClassifier(String name, double weight, double intercept) throws Exception {
        LinearModel model = new LinearModel(List.of("a", "b"), new double[] {weight, 0}, intercept, LinearModel.Link.LOGIT);
        byte[] bytes = Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/" + name + "/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->probability\"}")
                        .file("file", "linear.json", bytes));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    /**
     * Scores {@code n} customers (a = ±1 in turn) through the deployment in batches, and sends each
     * one's outcome (1 when a > 0) as feedback by prediction id: a simulated run of live traffic.
     */
    static void traffic(String deployment, String prefix, int n) throws Exception {
        for (int start = 0; start < n; start += 100) {
            StringBuilder rows = new StringBuilder("{\"rows\": [");
            for (int i = start; i < start + 100; i++) {
                rows.append(i == start ? "" : ",").append("{\"entity\": {\"customer_id\": \"").append(prefix).append(i)
                        .append("\"}, \"features\": {\"a\": ").append(i % 2 == 0 ? 1 : -1).append(", \"b\": 0}}");
            }
            HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/" + deployment, Role.OPERATOR, rows + "]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            StringBuilder outcomes = new StringBuilder("{\"rows\": [");
            JsonNode predictions = Json.parse(predicted.body()).path("predictions");
            for (int i = 0; i < predictions.size(); i++) {
                outcomes.append(i == 0 ? "" : ",").append("{\"prediction_id\": \"").append(predictions.get(i).path("id")
                        .asText()).append("\", \"outcome\": ").append((start + i) % 2 == 0 ? 1 : 0).append("}");
            }
            HttpResponse<String> fed = running.send("POST", "/api/v1/feedback", Role.OPERATOR, outcomes + "]}");
            assertThat(fed.statusCode()).as(fed.body()).isEqualTo(200);
            assertThat(Json.parse(fed.body()).path("recorded").asInt()).isEqualTo(100);
        }
    }

    /**
     * A challenger that is right on every outcome against a champion right on half: the mSPRT
     * calls it, the decision promotes it through the registry, and the deployment serves it alone.
     * The live metrics show both arms' accuracy on the way.
     */
    @Test
    void aBetterChallengerIsPromotedInASimulatedRun() throws Exception {
        importClassifier("clf", 0, -0.1); // version 1: P = 0.475 for everyone, so always "0"
        importClassifier("clf", 4, 0); // version 2: P > 0.5 exactly when a > 0
        assertThat(deploy("exp", "{\"model\": \"clf\", \"version\": 1, \"challenger\": \"clf:2\", \"split\": \"50/50\"}")
                .statusCode()).isEqualTo(200);
        traffic("exp", "e", 600);
        JsonNode metrics = Json.parse(running.send("GET", "/api/v1/deployments/exp/metrics", Role.AUDITOR, null).body());
        for (JsonNode arm : metrics.path("windows").get(0).path("arms")) {
            double accuracy = arm.path("metrics").path("accuracy").path("value").asDouble();
            assertThat(accuracy).isCloseTo(arm.path("arm").asText().equals("champion") ? 0.5 : 1.0,
                    org.assertj.core.api.Assertions.within(0.1));
        }
        HttpResponse<String> judged = running.send("GET", "/api/v1/deployments/exp/experiment", Role.AUDITOR, null);
        assertThat(judged.statusCode()).as(judged.body()).isEqualTo(200);
        JsonNode verdict = Json.parse(judged.body());
        assertThat(verdict.path("verdict").asText()).as(judged.body()).isEqualTo("promote");
        assertThat(verdict.path("outcomes").asInt()).isEqualTo(600);
        assertThat(verdict.path("test").path("p_value").asDouble()).isLessThan(0.05);
        assertThat(verdict.path("deployment").path("challenger").asText()).isEqualTo("clf:2"); // judged, not applied

        HttpResponse<String> decided = running.send("POST", "/api/v1/deployments/exp/experiment/decide", Role.OPERATOR, "{}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        JsonNode after = Json.parse(decided.body()).path("deployment");
        assertThat(after.path("champion").asText()).isEqualTo("clf:2");
        assertThat(after.has("challenger")).isFalse();
        assertThat(running.services.models().model("clf").aliases()).containsEntry("champion", 2);
        HttpResponse<String> served = running.send("POST", "/api/v1/predict/exp", Role.OPERATOR,
                "{\"entity\": {\"customer_id\": \"e1\"}, \"features\": {\"a\": 1, \"b\": 0}}");
        assertThat(Json.parse(served.body()).path("predictions").get(0).path("model").asText()).isEqualTo("clf:2");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("deployment.experiment_decided")).entries())
                .isNotEmpty();
        assertThat(running.send("POST", "/api/v1/deployments/exp/experiment/decide", Role.OPERATOR, "{}").statusCode())
                .isEqualTo(400); // no challenger left to judge
    }

    /** A challenger over its latency guardrail is rolled back, whatever its outcomes. */
    @Test
    void aChallengerOverItsGuardrailIsRolledBack() throws Exception {
        importClassifier("guarded", 0, -0.1);
        importClassifier("guarded", 4, 0);
        assertThat(deploy("guard", "{\"model\": \"guarded\", \"version\": 1, \"challenger\": \"guarded:2\","
                + " \"split\": \"50/50\"}").statusCode()).isEqualTo(200);
        traffic("guard", "g", 100);
        String strict = "/api/v1/deployments/guard/experiment?max_latency_ms=0.000001&min_requests=10";
        JsonNode verdict = Json.parse(running.send("GET", strict, Role.OPERATOR, null).body());
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("rollback");
        assertThat(verdict.path("reason").asText()).contains("latency");
        HttpResponse<String> decided = running.send("POST", "/api/v1/deployments/guard/experiment/decide", Role.ADMIN,
                "{\"max_latency_ms\": \"0.000001\", \"min_requests\": \"10\"}");
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
        JsonNode after = Json.parse(decided.body()).path("deployment");
        assertThat(after.path("champion").asText()).isEqualTo("guarded:1");
        assertThat(after.has("challenger")).isFalse();
        assertThat(running.services.models().model("guarded").aliases()).doesNotContainKey("champion");
        assertThat(running.send("GET", "/api/v1/deployments/guard/experiment?alpha=high", Role.OPERATOR, null).statusCode())
                .isEqualTo(400);
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
        String id = predictions.get(1).path("id").asText();
        HttpResponse<String> logged = running.send("GET", "/api/v1/predictions/" + id + "?explain=true", Role.AUDITOR, null);
        assertThat(logged.statusCode()).as(logged.body()).isEqualTo(200);
        JsonNode shown = Json.parse(logged.body());
        assertThat(shown.path("features").get(0).path("status").asText()).isEqualTo("given");
        JsonNode explanation = shown.path("explanation").get(0);
        double sum = explanation.path("base").asDouble() + explanation.path("contributions").path("a").asDouble()
                + explanation.path("contributions").path("b").asDouble();
        assertThat(sum).isCloseTo(2.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(explanation.path("value").asDouble()).isCloseTo(2.5, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(running.send("GET", "/api/v1/predictions/prd_01M90MK1VX4E6GCA3S8WS2TFXF", Role.AUDITOR, null).statusCode())
                .isEqualTo(404);
        for (String bad : List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "prd_%00")) {
            assertThat(running.send("GET", "/api/v1/predictions/" + bad, Role.AUDITOR, null).statusCode()).as(bad)
                    .isIn(400, 404);
        }
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

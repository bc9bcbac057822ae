package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.AuditQuery;
import dev.seer.models.LinearModel;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.log.PredictionQuery;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving routes given what an attacker sends: bodies too large or not JSON on the routes that
 * change state (predict, feedback, deploy) change nothing (no deployment stored, nothing logged,
 * no outcome recorded), and the usual encodings of a path attack in the name a route takes give
 * a 4xx, never a 500 or the content of a file. Names are checked against patterns and compared
 * with stored values only, so these fail by construction; the test keeps it so.
 */
class ServingRouteAttackTest {
    private static final String SECRET = "TOP-SECRET-SERVING-91c2";

    @TempDir
    static Path dir;

    static RunningServer running;
    static Path secret;
    static String predictionId;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        LinearModel model = new LinearModel(List.of("a", "b"), new double[] {1, 1}, 0, LinearModel.Link.IDENTITY);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/lin/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                        .file("file", "linear.json", Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8)));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        assertThat(running.send("POST", "/api/v1/deployments/live", Role.OPERATOR, "{\"model\": \"lin\", \"version\": 1}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/live", Role.OPERATOR,
                "{\"features\": {\"a\": 1, \"b\": 2}}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        predictionId = Json.parse(predicted.body()).path("predictions").get(0).path("id").asText();
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    /** What the state-changing routes could have changed: deployments, the log, recorded outcomes. */
    record State(List<String> deployments, int logged, int changes) {
        static State now() {
            List<String> deployments = running.services.serving().deployments().list().stream().map(Deployment::name).toList();
            int logged = running.services.serving().log().log().query(PredictionQuery.all()).size();
            int changes = 0;
            for (String action : List.of("deployment.changed", "deployment.removed", "feedback.recorded",
                    "feedback.batch_recorded")) {
                changes += running.services.audit().query(AuditQuery.all().withAction(action)).entries().size();
            }
            return new State(deployments, logged, changes);
        }
    }

    @Test
    void oversizedAndMalformedBodiesChangeNothing() throws Exception {
        State before = State.now();
        String pad = "x".repeat(11 * 1024 * 1024);
        String predict = "{\"features\": {\"a\": 1, \"b\": 2}, \"pad\": \"" + pad + "\"}";
        String feedback = "{\"prediction_id\": \"" + predictionId + "\", \"outcome\": 3, \"pad\": \"" + pad + "\"}";
        String deploy = "{\"model\": \"lin\", \"version\": 1, \"pad\": \"" + pad + "\"}";
        List<String> wrong = new ArrayList<>();
        expect(wrong, 413, "POST", "/api/v1/predict/live", predict);
        expect(wrong, 413, "POST", "/api/v1/feedback", feedback);
        expect(wrong, 413, "POST", "/api/v1/deployments/fresh", deploy);
        for (String body : List.of("{\"features\": {\"a\": 1, ", "not json", "[1, 2]", "\"text\"", "{\"rows\": [[]]}",
                "{\"rows\": {}}", "{\"features\": {\"a\": 1e999, \"b\": 2}}", "{\"features\": [1, 2]}",
                "{\"entity\": {\"customer_id\": {\"$ne\": 1}}, \"features\": {\"a\": 1, \"b\": 2}}", "\u0000\u0001")) {
            expect(wrong, 400, "POST", "/api/v1/predict/live", body);
        }
        for (String body : List.of("{\"prediction_id\": \"" + predictionId + "\", \"outcome\": ", "not json", "[1]",
                "{\"prediction_id\": \"" + predictionId + "\", \"outcome\": \"yes\"}",
                "{\"prediction_id\": \"" + predictionId + "\", \"outcome\": 3, \"observed_at\": \"soon\"}",
                "{\"rows\": \"" + predictionId + "\"}", "{\"prediction_id\": [\"" + predictionId + "\"], \"outcome\": 3}")) {
            expect(wrong, 400, "POST", "/api/v1/feedback", body);
        }
        for (String body : List.of("{\"model\": \"lin\", \"version\": ", "not json", "[\"lin\"]",
                "{\"model\": \"lin\", \"version\": \"one\"}", "{\"model\": \"../lin\", \"version\": 1}",
                "{\"model\": {\"name\": \"lin\"}, \"version\": 1}", "{\"model\": \"lin\", \"version\": 1, \"split\": \"x/y\"}")) {
            expect(wrong, 400, "POST", "/api/v1/deployments/fresh", body);
        }
        assertThat(wrong).as("bodies not refused as expected").isEmpty();
        assertThat(State.now()).as("nothing changed").isEqualTo(before);
        assertThat(running.services.serving().deployments().find("fresh")).isEmpty();
        // no outcome was recorded for the prediction the refused bodies named: the first real one is recorded, not a duplicate
        HttpResponse<String> real = running.send("POST", "/api/v1/feedback", Role.OPERATOR, "{\"prediction_id\": \""
                + predictionId + "\", \"outcome\": 3}");
        assertThat(real.statusCode()).as(real.body()).isEqualTo(200);
        assertThat(Json.parse(real.body()).path("recorded").asInt()).isEqualTo(1);
    }

    @Test
    void pathAttacksInTheNameOfEveryServingRouteAreRefused() throws Exception {
        List<String> wrong = new ArrayList<>();
        State before = State.now();
        for (String attack : PathAttacks.segmentAttacks(secret)) {
            check(wrong, "GET", "/api/v1/deployments/" + attack + "/metrics", null);
            check(wrong, "GET", "/api/v1/deployments/" + attack + "/experiment", null);
            check(wrong, "POST", "/api/v1/deployments/" + attack + "/experiment/decide", "{}");
            check(wrong, "GET", "/api/v1/deployments/" + attack, null);
            check(wrong, "POST", "/api/v1/deployments/" + attack, "{\"model\": \"lin\", \"version\": 1}");
            check(wrong, "DELETE", "/api/v1/deployments/" + attack, null);
            check(wrong, "POST", "/api/v1/predict/" + attack, "{\"features\": {\"a\": 1, \"b\": 2}}");
            check(wrong, "GET", "/api/v1/predictions/" + attack, null);
            check(wrong, "GET", "/api/v1/predictions/" + attack + "?explain=true", null);
            check(wrong, "GET", "/api/v1/predictions?deployment=" + attack, null);
            check(wrong, "GET", "/api/v1/predictions?after=" + attack, null);
            check(wrong, "POST", "/api/v1/feedback", "{\"prediction_id\": \"" + PathAttacks.inJson(attack)
                    + "\", \"outcome\": 1}");
            check(wrong, "POST", "/api/v1/feedback", "{\"entity\": {\"customer_id\": \"1\"}, \"deployment\": \""
                    + PathAttacks.inJson(attack) + "\", \"at\": \"2026-01-01T00:00:00Z\", \"outcome\": 1}");
        }
        assertThat(wrong).as("attacks not refused with a 4xx").isEmpty();
        assertThat(State.now()).as("nothing changed").isEqualTo(before);
        assertThat(Files.readString(secret)).isEqualTo(SECRET);
    }

    private static void expect(List<String> wrong, int status, String method, String path, String body) throws Exception {
        HttpResponse<String> response = running.send(method, path, Role.ADMIN, body);
        if (response.statusCode() != status) {
            String shown = body.length() > 80 ? body.substring(0, 80) + "..." : body;
            wrong.add(method + " " + path + " " + shown + " -> " + response.statusCode() + " " + response.body());
        }
    }

    /** A refusal: a 4xx (404 included: an unknown name), never a success, a 500, or the secret's content. */
    private static void check(List<String> wrong, String method, String path, String body) throws Exception {
        HttpResponse<String> response = running.send(method, path, Role.ADMIN, body);
        int status = response.statusCode();
        if (status < 400 || status > 499 || response.body().contains(SECRET)) {
            wrong.add(method + " " + path + " -> " + status + " " + response.body());
        }
    }
}

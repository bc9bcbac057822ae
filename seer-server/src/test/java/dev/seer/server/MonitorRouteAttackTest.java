package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.AuditQuery;
import dev.seer.models.LinearModel;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.watch.AlertStore;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring's routes given what an attacker sends in every name they take (a deployment in the
 * path or the query, a rule id in the path or the body, a figure in the body): the usual encodings
 * of a path attack, quotes and semicolons of SQL, NUL, very long names and Unicode look-alikes are
 * refused with a 4xx (a 400 naming the field for those that reach the route), never a 500 or the
 * content of a file, and no rule is added or removed, no alert acknowledged.
 */
class MonitorRouteAttackTest {
    private static final String SECRET = "TOP-SECRET-MONITOR-5e1b";

    @TempDir
    static Path dir;

    static RunningServer running;
    static Path secret;

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
        // a rule to keep: the imported model has no reference, so its known figure is given here
        running.services.monitoring().alerts().addRule(new AlertRule("keep", "live/volume/rows/count",
                AlertRule.Comparison.GT, 1), Set.of("live/volume/rows/count"), "test");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    /** Names as a client would send them, decoded: SQL's quotes and separators, NUL, a long name, look-alikes. */
    static List<String> names() {
        return List.of("live'", "live' OR '1'='1", "live\"; DROP TABLE monitoring_alert_rules; --", "live;", "live\u0000",
                "\u0000", "l".repeat(1_000), "liv\u0435", "\uff4c\uff49\uff56\uff45", "live\u2215..\u2215x", "LIVE",
                "live%00", "..", "../live", "live/../keep", " live", "live\n", "keep\u200b", "k\u0435ep", "-keep", "");
    }

    record State(List<String> rules, int changes) {
        static State now() {
            List<String> rules = running.services.monitoring().alerts().rules().stream().map(AlertStore.StoredRule::rule)
                    .map(AlertRule::id).toList();
            int changes = 0;
            for (String action : List.of("alert.rule_added", "alert.rule_removed", "alert.acknowledged")) {
                changes += running.services.audit().query(AuditQuery.all().withAction(action)).entries().size();
            }
            return new State(rules, changes);
        }
    }

    @Test
    void pathAttacksInTheNamesOfEveryMonitoringRouteAreRefused() throws Exception {
        List<String> wrong = new ArrayList<>();
        State before = State.now();
        for (String attack : PathAttacks.segmentAttacks(secret)) {
            check(wrong, "GET", "/api/v1/deployments/" + attack + "/figures", null);
            check(wrong, "GET", "/api/v1/deployments/" + attack + "/monitor/report", null);
            check(wrong, "GET", "/api/v1/deployments/live/figures?from=" + attack, null);
            check(wrong, "DELETE", "/api/v1/alerts/rules/" + attack, null);
            check(wrong, "GET", "/api/v1/alerts?phase=" + attack, null);
            check(wrong, "GET", "/api/v1/alerts/history?deployment=" + attack, null);
            check(wrong, "GET", "/api/v1/alerts/history?limit=" + attack, null);
            String inJson = PathAttacks.inJson(attack);
            check(wrong, "POST", "/api/v1/alerts/ack", "{\"rule\": \"" + inJson + "\", \"note\": \"x\"}");
            check(wrong, "POST", "/api/v1/alerts/ack", "{\"rule\": \"keep\", \"figure\": \"" + inJson + "\"}");
            check(wrong, "POST", "/api/v1/alerts/rules", rule(inJson, "live/volume/rows/count"));
            check(wrong, "POST", "/api/v1/alerts/rules", rule("fresh", inJson + "/volume/rows/count"));
            check(wrong, "POST", "/api/v1/alerts/rules", rule("fresh", "live/drift/" + inJson + "/drifted"));
            check(wrong, "GET", "/api/v1/deployments/" + attack + "/retraining", null);
            check(wrong, "POST", "/api/v1/deployments/" + attack + "/retraining", "{\"on\": [\"*\"]}");
            check(wrong, "POST", "/api/v1/deployments/" + attack + "/retrain", "{}");
            check(wrong, "POST", "/api/v1/deployments/live/retraining", "{\"on\": [\"" + inJson + "\"]}");
            check(wrong, "POST", "/api/v1/deployments/live/retraining", "{\"every\": \"" + inJson + "\"}");
            check(wrong, "POST", "/api/v1/deployments/live/retraining", "{\"on\": [\"*\"], \"lookback\": \"" + inJson
                    + "\"}");
        }
        assertThat(wrong).as("attacks not refused with a 4xx").isEmpty();
        assertThat(running.services.retraining().policies().get("live")).as("no policy set").isEmpty();
        assertThat(State.now()).as("nothing changed").isEqualTo(before);
        assertThat(Files.readString(secret)).isEqualTo(SECRET);
    }

    /** Names that reach the route are refused by its allow-list, with a 400 naming the field, before any store is read. */
    @Test
    void badNamesAreRefusedNamingTheirField() throws Exception {
        List<String> wrong = new ArrayList<>();
        State before = State.now();
        for (String name : names()) {
            String query = URLEncoder.encode(name, StandardCharsets.UTF_8);
            String json = Json.write(name);
            refused(wrong, "deployment", "GET", "/api/v1/alerts/history?deployment=" + query, null, name.isEmpty());
            refused(wrong, "name", "GET", "/api/v1/deployments/" + query.replace("+", "%20") + "/figures", null,
                    !segmentIsRouted(name));
            refused(wrong, "name", "GET", "/api/v1/deployments/" + query.replace("+", "%20") + "/monitor/report", null,
                    !segmentIsRouted(name));
            refused(wrong, "id", "DELETE", "/api/v1/alerts/rules/" + query.replace("+", "%20"), null, !segmentIsRouted(name));
            refused(wrong, "rule", "POST", "/api/v1/alerts/ack", "{\"rule\": " + json + ", \"note\": \"x\"}", false);
            refused(wrong, "figure", "POST", "/api/v1/alerts/ack", "{\"rule\": \"keep\", \"figure\": " + Json.write(
                    name + "/volume/rows/count") + "}", false);
            refused(wrong, "id", "POST", "/api/v1/alerts/rules", "{\"id\": " + json + ", \"figure\": \"live/volume/rows/count\","
                    + " \"comparison\": \">\", \"threshold\": 1}", false);
            refused(wrong, "figure", "POST", "/api/v1/alerts/rules", "{\"id\": \"fresh\", \"figure\": " + Json.write(
                    name + "/volume/rows/count") + ", \"comparison\": \">\", \"threshold\": 1}", false);
        }
        assertThat(wrong).as("names not refused with a 400 naming the field").isEmpty();
        assertThat(State.now()).as("nothing changed").isEqualTo(before);
    }

    @Test
    void malformedOrOversizedBodiesChangeNothing() throws Exception {
        State before = State.now();
        String pad = "x".repeat(11 * 1024 * 1024);
        List<String> wrong = new ArrayList<>();
        for (String path : List.of("/api/v1/alerts/rules", "/api/v1/alerts/ack", "/api/v1/deployments/live/retraining")) {
            HttpResponse<String> large = running.send("POST", path, Role.ADMIN, "{\"id\": \"" + pad + "\"}");
            if (large.statusCode() != 413) {
                wrong.add(path + " oversized -> " + large.statusCode());
            }
            for (String body : List.of("{\"id\": ", "not json", "[1, 2]", "\"text\"", "\u0000\u0001", "{}",
                    "{\"id\": [\"keep\"], \"rule\": [\"keep\"]}", "{\"id\": {\"$ne\": 1}, \"rule\": {\"$ne\": 1}}")) {
                HttpResponse<String> response = running.send("POST", path, Role.ADMIN, body);
                if (response.statusCode() != 400) {
                    wrong.add(path + " " + body + " -> " + response.statusCode() + " " + response.body());
                }
            }
        }
        for (String body : List.of(rule("fresh", "live/volume/rows/count").replace("\"threshold\": 1", "\"threshold\": \"1\""),
                rule("fresh", "live/volume/rows/count").replace("}", ", \"treshold\": 2}"),
                rule("fresh", "live/volume/rows/count").replace("}", ", \"for\": 1.5}"),
                rule("fresh", "live/volume/rows/count").replace("\"threshold\": 1", "\"threshold\": 1e999"),
                rule("fresh", "live/*/*/count"))) {
            HttpResponse<String> response = running.send("POST", "/api/v1/alerts/rules", Role.ADMIN, body);
            if (response.statusCode() != 400) {
                wrong.add(body + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("bodies not refused as expected").isEmpty();
        assertThat(State.now()).as("nothing changed").isEqualTo(before);
        assertThat(running.services.retraining().policies().get("live")).as("no policy set").isEmpty();
    }

    private static String rule(String id, String figure) {
        return "{\"id\": \"" + id + "\", \"figure\": \"" + figure + "\", \"comparison\": \">\", \"threshold\": 1}";
    }

    /** Whether a name sent as a path segment reaches the route (an empty one, or one Jetty refuses, does not). */
    private static boolean segmentIsRouted(String name) {
        return !name.isEmpty() && !name.equals("..") && !name.contains("/") && name.indexOf('\u0000') < 0;
    }

    /** A refusal: a 4xx (404 included: an unknown name), never a success, a 500, or the secret's content. */
    private static void check(List<String> wrong, String method, String path, String body) throws Exception {
        HttpResponse<String> response = running.send(method, path, Role.ADMIN, body);
        int status = response.statusCode();
        if (status < 400 || status > 499 || response.body().contains(SECRET)) {
            wrong.add(method + " " + path + " " + body + " -> " + status + " " + response.body());
        }
    }

    /**
     * A 400 naming {@code field}; or, {@code lenient} for a name that does not reach the route as
     * sent (a path segment the server refuses itself, an empty query value meaning absent), any 4xx
     * or a GET's 200.
     */
    private static void refused(List<String> wrong, String field, String method, String path, String body, boolean lenient)
            throws Exception {
        HttpResponse<String> response = running.send(method, path, Role.ADMIN, body);
        int status = response.statusCode();
        String named = status == 400 ? Json.parse(response.body()).path("error").path("details").path("field").asText() : "";
        boolean ok = lenient ? status >= 400 && status < 500 || status == 200 && method.equals("GET")
                : status == 400 && named.equals(field);
        if (!ok) {
            String shown = path.length() > 120 ? path.substring(0, 120) + "..." : path;
            wrong.add(method + " " + shown + " " + (body == null ? "" : body.length() > 120 ? body.substring(0, 120) : body)
                    + " -> " + status + " " + (response.body().length() > 300 ? response.body().substring(0, 300)
                    : response.body()));
        }
    }
}

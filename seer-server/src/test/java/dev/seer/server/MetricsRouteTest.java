package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.models.LinearModel;
import dev.seer.monitoring.alert.Figure;
import dev.seer.testing.RequiredService;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} after live traffic: a deployment with a champion (always "0") and a
 * challenger (right on every outcome) scores 200 customers in two calls and gets every outcome
 * back, a predict call names an unknown deployment, and a feature view is materialised. The
 * exposition must pass {@code promtool check metrics} (Debian's prometheus package) and the rules
 * promtool does not check ({@link Exposition}), and show each figure with the value the rest of
 * the API reports.
 */
class MetricsRouteTest {
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    static final Instant MATERIALIZED_UP_TO = Instant.parse("2026-11-21T00:00:00Z");

    @TempDir
    static Path dir;

    static RunningServer running;
    static String text;
    static Instant scrapedAt;

    @BeforeAll
    static void trafficThenScrape() throws Exception {
        running = new RunningServer(dir);
        importClassifier("clf", 0, -0.1); // version 1: P = 0.475 for everyone, so always "0"
        importClassifier("clf", 4, 0); // version 2: P > 0.5 exactly when a > 0
        HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/exp", Role.OPERATOR,
                "{\"model\": \"clf\", \"version\": 1, \"challenger\": \"clf:2\", \"split\": \"50/50\"}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        traffic(0);
        traffic(100);
        assertThat(running.send("POST", "/api/v1/predict/nosuch", Role.OPERATOR, "{\"features\": {\"a\": 1, \"b\": 0}}")
                .statusCode()).isEqualTo(404);
        materialize();
        monitored();
        scrapedAt = running.services.clock().instant();
        HttpResponse<String> scraped = running.send("GET", "/metrics", Role.OPERATOR, null);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        text = scraped.body();
        Files.writeString(Path.of("target", "metrics-scrape.txt"), text); // for a look after a failure
    }

    /**
     * Monitoring's families in the scrape: the window of the traffic closed and judged, a rule on its
     * volume, then a later window's figures as the monitor stores them (the rule fires on it).
     */
    private static void monitored() throws Exception {
        Instant later = running.services.clock().instant().plus(java.time.Duration.ofDays(1));
        running.services.monitorFeed().tick(later); // a stored window of [exp]: the rule's figure is one the monitor knows
        HttpResponse<String> rule = running.send("POST", "/api/v1/alerts/rules", Role.OPERATOR, "{\"id\": \"busy\","
                + " \"figure\": \"exp/volume/rows/count\", \"comparison\": \">\", \"threshold\": 0}");
        assertThat(rule.statusCode()).as(rule.body()).isEqualTo(201);
        Instant start = later.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Instant end = start.plus(java.time.Duration.ofHours(1));
        running.services.monitoring().alerts().evaluate("exp", List.of(
                Figure.ok("exp/volume/rows/count", start, end, 200),
                Figure.ok("exp/drift/a/wasserstein_normed", start, end, 0.25),
                Figure.ok("exp/drift/a/drifted", start, end, 1),
                Figure.noData("exp/drift/b/wasserstein_normed", start, end),
                Figure.ok("exp/performance/estimated/accuracy", start, end, 0.81),
                Figure.ok("exp/performance/realised/accuracy", start, end, 0.78)));
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    @Tag("integration")
    void promtoolFindsNoProblem() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            throw RequiredService.missing(PROMTOOL + " is not installed (Debian: apt-get install prometheus)", null);
        }
        Process promtool = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).as("promtool's findings").isEmpty();
        assertThat(promtool.exitValue()).isZero();
    }

    @Test
    void monitoringFiguresAndAlertsAreGaugesAndNoDataHasNoSeries() {
        Exposition e = new Exposition(text);
        assertThat(e.value("seer_drift_score", Map.of("deployment", "exp", "feature", "a", "test", "wasserstein_normed")))
                .contains(0.25);
        assertThat(e.value("seer_drift_score", Map.of("deployment", "exp", "feature", "b", "test", "wasserstein_normed")))
                .isEmpty();
        assertThat(e.value("seer_performance_estimated", Map.of("deployment", "exp", "metric", "accuracy"))).contains(0.81);
        assertThat(e.value("seer_performance_realised", Map.of("deployment", "exp", "metric", "accuracy"))).contains(0.78);
        assertThat(e.value("seer_alert_active", Map.of("rule", "busy", "figure", "exp/volume/rows/count"))).contains(1.0);
    }

    @Test
    void theExpositionKeepsTheRulesPromtoolDoesNotCheck() {
        Exposition exposition = new Exposition(text);
        assertThat(exposition.problems).isEmpty();
        assertThat(exposition.families.values()).filteredOn(f -> f.type().equals("histogram"))
                .extracting(Exposition.Family::name)
                .contains("seer_http_request_duration_seconds", "seer_predict_duration_seconds");
    }

    @Test
    void requestsAreCountedAndTimedByRouteTemplateAndStatusClass() {
        Exposition e = new Exposition(text);
        Map<String, String> predictOk = Map.of("method", "POST", "route", "/api/v1/predict/{deployment}", "status_class", "2xx");
        Map<String, String> predict404 = Map.of("method", "POST", "route", "/api/v1/predict/{deployment}", "status_class", "4xx");
        assertThat(e.value("seer_http_requests_total", predictOk)).contains(2.0);
        assertThat(e.value("seer_http_requests_total", predict404)).contains(1.0);
        assertThat(e.value("seer_http_request_duration_seconds_count", predictOk)).contains(2.0);
        assertThat(e.value("seer_http_request_duration_seconds_bucket", with(predictOk, "le", "+Inf"))).contains(2.0);
        assertThat(e.samples("seer_http_request_duration_seconds_bucket")).filteredOn(s -> s.labels().get("route")
                        .equals("/api/v1/predict/{deployment}") && s.labels().get("status_class").equals("2xx"))
                .extracting(s -> Double.parseDouble(s.labels().get("le").replace("+Inf", "Infinity")))
                .as("half a millisecond to ten seconds").containsExactly(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                        0.25, 0.5, 1.0, 2.5, 5.0, 10.0, Double.POSITIVE_INFINITY);
        assertThat(e.samples("seer_http_requests_total")).extracting(s -> s.labels().get("route"))
                .as("templates, never paths").doesNotContain("/api/v1/predict/exp", "/api/v1/predict/nosuch")
                .allMatch(route -> route.equals("unmatched") || route.startsWith("/"));
    }

    @Test
    void predictionsOutcomesAndPredictTimeAreCountedPerDeployment() {
        Exposition e = new Exposition(text);
        double champion = e.value("seer_predictions_total", Map.of("deployment", "exp", "arm", "champion", "model", "clf",
                "version", "1")).orElseThrow();
        double challenger = e.value("seer_predictions_total", Map.of("deployment", "exp", "arm", "challenger", "model",
                "clf", "version", "2")).orElseThrow();
        assertThat(champion + challenger).isEqualTo(200);
        assertThat(champion).isPositive();
        assertThat(challenger).isPositive();
        assertThat(e.value("seer_prediction_log_appends_total", Map.of())).contains(2.0);
        assertThat(e.value("seer_prediction_log_batches_total", Map.of())).hasValueSatisfying(b -> assertThat(b).isBetween(1.0,
                2.0));
        assertThat(e.value("seer_prediction_log_sync_duration_seconds_count", Map.of())).as("answer-after: sync, the default")
                .isEqualTo(e.value("seer_prediction_log_batches_total", Map.of()));
        assertThat(e.value("seer_feedback_outcomes_total", Map.of("deployment", "exp"))).contains(200.0);
        assertThat(e.value("seer_predict_duration_seconds_count", Map.of("deployment", "exp"))).contains(2.0);
        assertThat(e.samples("seer_predict_duration_seconds_count")).as("no series for a deployment that does not exist")
                .allMatch(s -> s.labels().get("deployment").equals("exp"));
    }

    @Test
    void livePerformanceIsWhatTheMetricsRouteReports() throws Exception {
        Exposition e = new Exposition(text);
        JsonNode window = Json.parse(running.send("GET", "/api/v1/deployments/exp/metrics", Role.AUDITOR, null).body())
                .path("windows").get(0);
        assertThat(window.path("arms")).hasSize(2);
        for (JsonNode arm : window.path("arms")) {
            String name = arm.path("arm").asText();
            assertThat(e.value("seer_performance_live_outcomes", Map.of("deployment", "exp", "arm", name)))
                    .contains(arm.path("count").asDouble());
            for (var metric : (Iterable<Map.Entry<String, JsonNode>>) () -> arm.path("metrics").fields()) {
                assertThat(e.value("seer_performance_live", Map.of("deployment", "exp", "arm", name, "metric",
                        metric.getKey()))).as("%s %s", name, metric.getKey())
                        .hasValueSatisfying(v -> assertThat(v).isCloseTo(metric.getValue().path("value").asDouble(),
                                within(1e-12)));
            }
        }
        assertThat(e.value("seer_performance_live", Map.of("deployment", "exp", "arm", "challenger", "metric", "accuracy")))
                .contains(1.0);
    }

    @Test
    void freshnessAndTheOnlineStoreStateAreShown() {
        Exposition e = new Exposition(text);
        Map<String, String> view = Map.of("view", "customer_stats");
        assertThat(e.value("seer_feature_materialized_timestamp_seconds", view))
                .contains((double) MATERIALIZED_UP_TO.getEpochSecond());
        double expected = (scrapedAt.toEpochMilli() - MATERIALIZED_UP_TO.toEpochMilli()) / 1000.0;
        assertThat(e.value("seer_feature_freshness_seconds", view)).hasValueSatisfying(age ->
                assertThat(age).isCloseTo(expected, within(30.0)));
        assertThat(e.value("seer_online_store_state", Map.of("state", "ready"))).contains(1.0);
        assertThat(e.value("seer_online_store_state", Map.of("state", "unreachable"))).contains(0.0);
        assertThat(e.value("seer_online_store_state", Map.of("state", "rebuilding"))).contains(0.0);
    }

    @Test
    void onlyAdminsAndOperatorsMayScrape() throws Exception {
        HttpResponse<String> anonymous = running.send("GET", "/metrics", (String) null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(RunningServer.errorCode(anonymous)).isEqualTo("TOKEN_MISSING");
        for (Role role : List.of(Role.SCIENTIST, Role.AUDITOR)) {
            HttpResponse<String> refused = running.send("GET", "/metrics", role, null);
            assertThat(refused.statusCode()).as(role.id()).isEqualTo(403);
            assertThat(RunningServer.errorCode(refused)).isEqualTo("ROLE_NOT_ALLOWED");
        }
        for (Role role : List.of(Role.ADMIN, Role.OPERATOR)) {
            assertThat(running.send("GET", "/metrics", role, null).statusCode()).as(role.id()).isEqualTo(200);
        }
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        var all = new java.util.TreeMap<>(labels);
        all.put(key, value);
        return all;
    }

    private static void importClassifier(String name, double weight, double intercept) throws IOException,
            InterruptedException {
        LinearModel model = new LinearModel(List.of("a", "b"), new double[] {weight, 0}, intercept, LinearModel.Link.LOGIT);
        byte[] bytes = Json.write(LinearModel.CODEC.encode(model)).getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/" + name + "/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->probability\"}")
                        .file("file", "linear.json", bytes));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    /** 100 customers (a = ±1 in turn) in one predict call, then each one's outcome (1 when a > 0) in one feedback call. */
    private static void traffic(int start) throws IOException, InterruptedException {
        StringBuilder rows = new StringBuilder("{\"rows\": [");
        for (int i = start; i < start + 100; i++) {
            rows.append(i == start ? "" : ",").append("{\"entity\": {\"customer_id\": \"c").append(i)
                    .append("\"}, \"features\": {\"a\": ").append(i % 2 == 0 ? 1 : -1).append(", \"b\": 0}}");
        }
        HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/exp", Role.OPERATOR, rows + "]}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        StringBuilder outcomes = new StringBuilder("{\"rows\": [");
        JsonNode predictions = Json.parse(predicted.body()).path("predictions");
        for (int i = 0; i < predictions.size(); i++) {
            outcomes.append(i == 0 ? "" : ",").append("{\"prediction_id\": \"").append(predictions.get(i).path("id").asText())
                    .append("\", \"outcome\": ").append((start + i) % 2 == 0 ? 1 : 0).append("}");
        }
        HttpResponse<String> fed = running.send("POST", "/api/v1/feedback", Role.OPERATOR, outcomes + "]}");
        assertThat(fed.statusCode()).as(fed.body()).isEqualTo(200);
        assertThat(Json.parse(fed.body()).path("recorded").asInt()).isEqualTo(100);
    }

    private static void materialize() throws IOException, InterruptedException {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: transactions, type: file, path: transactions.csv, timestamp_field: event_ts}
                feature_views:
                  - name: customer_stats
                    entities: [customer]
                    source: transactions
                    features:
                      - {name: spend, type: double}
                """);
        Files.writeString(repo.resolve("transactions.csv"), """
                customer_id,event_ts,spend
                1,2026-11-20T10:00:00Z,12.5
                """);
        running.services.features().apply(repo, "test");
        running.services.ingestor().ingest("transactions", Optional.empty(), "test");
        HttpResponse<String> materialized = running.send("POST", "/api/v1/materialize", Role.OPERATOR,
                "{\"end\": \"" + MATERIALIZED_UP_TO + "\"}");
        assertThat(materialized.statusCode()).as(materialized.body()).isEqualTo(200);
    }
}

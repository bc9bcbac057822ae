package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.metadata.AuditQuery;
import dev.seer.monitoring.watch.ClosedWindow;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitoring's routes over a deployed logistic model with a reference (its train split): rules
 * added before the predictions (one on an unknown figure refused with near names), predictions
 * with a shifted feature made in one window, the window closed by the feed's {@code tick} on a
 * moved clock, then the figures, the alerts that fired, their acknowledgement and history, and the
 * report in text and self-contained HTML, all through HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitorRouteTest {
    static final Instant T0 = Instant.parse("2026-12-04T09:10:00Z");

    @TempDir
    static Path dir;

    static final MutableClock clock = new MutableClock(T0);
    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir, c -> c, false, clock);
        StringBuilder csv = new StringBuilder("id,x1,x2,y\n");
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 600; i++) {
            double x1 = random.nextDouble(-2, 2);
            double x2 = random.nextDouble(-2, 2);
            double p = 1 / (1 + Math.exp(-(2 * x1 - x2)));
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',').append(random.nextDouble() < p ? 1 : 0)
                    .append('\n');
        }
        Path file = dir.resolve("mon.csv");
        Files.writeString(file, csv);
        running.services.datasets().importFile("mon", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
        ok(running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: mon\\ndataset: mon:1\\ntask: binary\\n"
                + "evaluation: {folds: 2, bootstrap: 100}\\ncandidates: [{algorithm: logistic}]\\n\"}"), 200);
        ok(running.send("POST", "/api/v1/deployments/mon", Role.OPERATOR, "{\"model\": \"mon\", \"version\": 1}"), 200);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.parse(response.body());
    }

    /** The alert of {@code rule} in a listing (the only one of that rule here). */
    static JsonNode alertOf(JsonNode alerts, String rule) {
        for (JsonNode a : alerts) {
            if (a.path("rule").asText().equals(rule)) {
                return a;
            }
        }
        throw new AssertionError("no alert of rule " + rule + " in " + alerts);
    }

    @Test
    @Order(1)
    void rulesOnKnownFiguresAreAddedAndOneOnAnUnknownFigureIsRefusedWithNearNames() throws Exception {
        JsonNode added = ok(running.send("POST", "/api/v1/alerts/rules", Role.SCIENTIST, "{\"id\": \"x1-drift\", \"figure\":"
                + " \"mon/drift/x1/drifted\", \"comparison\": \">=\", \"threshold\": 1, \"severity\": \"critical\"}"), 201);
        assertThat(added.path("created_by").asText()).isNotEmpty();
        assertThat(added.path("for").asInt()).isEqualTo(1);
        ok(running.send("POST", "/api/v1/alerts/rules", Role.OPERATOR, "{\"id\": \"volume\", \"figure\":"
                + " \"mon/volume/rows/count\", \"comparison\": \"<\", \"threshold\": 10}"), 201);
        ok(running.send("POST", "/api/v1/alerts/rules", Role.ADMIN, "{\"id\": \"any-share\", \"figure\":"
                + " \"*/drift/dataset/share\", \"comparison\": \">\", \"threshold\": 0.5}"), 201);

        HttpResponse<String> typo = running.send("POST", "/api/v1/alerts/rules", Role.SCIENTIST, "{\"id\": \"typo\","
                + " \"figure\": \"mon/drift/x1/drifed\", \"comparison\": \">=\", \"threshold\": 1}");
        assertThat(typo.statusCode()).as(typo.body()).isEqualTo(404);
        assertThat(RunningServer.errorCode(typo)).isEqualTo("UNKNOWN_NAME");
        assertThat(Json.parse(typo.body()).path("error").path("details").path("near").toString())
                .contains("mon/drift/x1/drifted");
        HttpResponse<String> nowhere = running.send("POST", "/api/v1/alerts/rules", Role.SCIENTIST, "{\"id\": \"nowhere\","
                + " \"figure\": \"churn/drift/x1/drifted\", \"comparison\": \">=\", \"threshold\": 1}");
        assertThat(nowhere.statusCode()).as(nowhere.body()).isEqualTo(404);
        assertThat(nowhere.body()).contains("[churn]");
        HttpResponse<String> taken = running.send("POST", "/api/v1/alerts/rules", Role.SCIENTIST, "{\"id\": \"volume\","
                + " \"figure\": \"mon/volume/rows/count\", \"comparison\": \">\", \"threshold\": 1}");
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
        assertThat(running.send("POST", "/api/v1/alerts/rules", Role.AUDITOR, "{\"id\": \"x\", \"figure\":"
                + " \"mon/volume/rows/count\", \"comparison\": \">\", \"threshold\": 1}").statusCode()).isEqualTo(403);

        JsonNode rules = ok(running.send("GET", "/api/v1/alerts/rules", Role.AUDITOR, null), 200).path("rules");
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> ids.add(r.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("x1-drift", "volume", "any-share");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("alert.rule_added")).entries()).hasSize(3);
    }

    @Test
    @Order(2)
    void aClosedWindowsFiguresAreListedAndTheRulesThatHeldFire() throws Exception {
        // x1 shifted by 3: far outside the reference's [-2, 2), so its drift test flags it
        StringBuilder rows = new StringBuilder("{\"rows\": [");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            rows.append(i == 0 ? "" : ", ").append("{\"features\": {\"x1\": ").append(random.nextDouble(1, 5))
                    .append(", \"x2\": ").append(random.nextDouble(-2, 2)).append("}}");
        }
        ok(running.send("POST", "/api/v1/predict/mon", Role.OPERATOR, rows.append("]}").toString()), 200);
        clock.set(T0.plus(Duration.ofHours(2)));
        running.services.monitorFeed().tick(clock.instant()); // the server's own tick may have closed it first: either way

        JsonNode figures = ok(running.send("GET", "/api/v1/deployments/mon/figures?from=2026-12-04T00:00:00Z",
                Role.AUDITOR, null), 200);
        assertThat(figures.path("to").asText()).isEqualTo(clock.instant().toString());
        List<String> names = new ArrayList<>();
        figures.path("figures").forEach(f -> {
            names.add(f.path("name").asText());
            assertThat(f.path("window_start").asText()).isEqualTo("2026-12-04T09:00:00Z");
        });
        assertThat(names).contains("mon/drift/x1/drifted", "mon/volume/rows/count", "mon/drift/dataset/share");
        figures.path("figures").forEach(f -> {
            if (f.path("name").asText().equals("mon/volume/rows/count")) {
                assertThat(f.path("value").asDouble()).isEqualTo(300);
            }
            if (f.path("name").asText().equals("mon/drift/x1/drifted")) {
                assertThat(f.path("value").asDouble()).isEqualTo(1);
            }
        });
        assertThat(ok(running.send("GET", "/api/v1/deployments/mon/figures?from=2026-12-05T00:00:00Z&to=2026-12-06T00:00:00Z",
                Role.AUDITOR, null), 200).path("figures")).isEmpty();
        assertThat(running.send("GET", "/api/v1/deployments/gone/figures", Role.AUDITOR, null).statusCode()).isEqualTo(404);
        HttpResponse<String> badTo = running.send("GET", "/api/v1/deployments/mon/figures?to=noon", Role.AUDITOR, null);
        assertThat(badTo.statusCode()).isEqualTo(400);
        assertThat(badTo.body()).contains("[to]", "ISO-8601");

        JsonNode firing = ok(running.send("GET", "/api/v1/alerts?phase=firing", Role.AUDITOR, null), 200).path("alerts");
        JsonNode x1 = alertOf(firing, "x1-drift");
        assertThat(x1.path("phase").asText()).isEqualTo("firing");
        assertThat(x1.path("deployment").asText()).isEqualTo("mon");
        assertThat(x1.path("figure").asText()).isEqualTo("mon/drift/x1/drifted");
        assertThat(x1.path("value").asDouble()).isEqualTo(1);
        assertThat(x1.path("since").asText()).isEqualTo(clock.instant().toString());
        assertThat(x1.path("severity").asText()).isEqualTo("critical");
        assertThat(x1.path("acknowledgement").isNull()).isTrue();
        firing.forEach(a -> assertThat(a.path("phase").asText()).isEqualTo("firing"));
        JsonNode all = ok(running.send("GET", "/api/v1/alerts", Role.AUDITOR, null), 200).path("alerts");
        List<String> phases = new ArrayList<>();
        all.forEach(a -> phases.add(a.path("rule").asText() + ":" + a.path("phase").asText()));
        assertThat(phases).contains("x1-drift:firing", "volume:inactive");
        HttpResponse<String> badPhase = running.send("GET", "/api/v1/alerts?phase=burning", Role.AUDITOR, null);
        assertThat(badPhase.statusCode()).isEqualTo(400);
        assertThat(badPhase.body()).contains("phase");
    }

    @Test
    @Order(3)
    void aFiringAlertIsAcknowledgedByTheCallerAndItsHistoryListed() throws Exception {
        HttpResponse<String> notFiring = running.send("POST", "/api/v1/alerts/ack", Role.OPERATOR, "{\"rule\": \"volume\","
                + " \"note\": \"fine\"}");
        assertThat(notFiring.statusCode()).as(notFiring.body()).isEqualTo(400);
        JsonNode acked = ok(running.send("POST", "/api/v1/alerts/ack", Role.OPERATOR, "{\"rule\": \"x1-drift\", \"figure\":"
                + " \"mon/drift/x1/drifted\", \"note\": \"a new market\"}"), 200).path("alerts");
        assertThat(acked).hasSize(1);
        JsonNode acknowledgement = acked.get(0).path("acknowledgement");
        assertThat(acknowledgement.path("by").asText()).isEqualTo("token:test-operator");
        assertThat(acknowledgement.path("note").asText()).isEqualTo("a new market");
        assertThat(alertOf(ok(running.send("GET", "/api/v1/alerts?phase=firing", Role.AUDITOR, null), 200).path("alerts"),
                "x1-drift").path("acknowledgement").path("note").asText()).isEqualTo("a new market");

        JsonNode events = ok(running.send("GET", "/api/v1/alerts/history?deployment=mon&limit=10", Role.AUDITOR, null), 200)
                .path("events");
        List<String> changes = new ArrayList<>();
        events.forEach(e -> changes.add(e.path("rule").asText() + ":" + e.path("from").asText() + "->" + e.path("to").asText()));
        assertThat(changes).contains("x1-drift:inactive->firing");
        assertThat(ok(running.send("GET", "/api/v1/alerts/history?deployment=other", Role.AUDITOR, null), 200)
                .path("events")).isEmpty();
        assertThat(running.send("GET", "/api/v1/alerts/history?limit=0", Role.AUDITOR, null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(4)
    void theReportIsReturnedAsTextAndSelfContainedHtml() throws Exception {
        JsonNode report = ok(running.send("GET", "/api/v1/deployments/mon/monitor/report?from=2026-12-04T09:00:00Z"
                + "&to=2026-12-04T10:00:00Z", Role.AUDITOR, null), 200);
        assertThat(report.path("status").asText()).isEqualTo("ok");
        assertThat(report.path("text").asText()).contains("mon", "x1");
        String html = report.path("html").asText();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("x1", "<svg").doesNotContain("http", "src=");
        HttpResponse<String> backwards = running.send("GET", "/api/v1/deployments/mon/monitor/report?from="
                + "2026-12-04T10:00:00Z&to=2026-12-04T09:00:00Z", Role.AUDITOR, null);
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(backwards.body()).contains("[from]");
        HttpResponse<String> tooLong = running.send("GET", "/api/v1/deployments/mon/monitor/report?from="
                + "2026-11-01T00:00:00Z&to=2026-12-04T10:00:00Z", Role.AUDITOR, null);
        assertThat(tooLong.statusCode()).as("a range past 168 windows is refused before any is read").isEqualTo(400);
        assertThat(tooLong.body()).contains("[from]", "168 windows");
        HttpResponse<String> badTime = running.send("GET", "/api/v1/deployments/mon/monitor/report?from=yesterday",
                Role.AUDITOR, null);
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("[from]");
        assertThat(running.send("GET", "/api/v1/deployments/gone/monitor/report", Role.AUDITOR, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(5)
    void aRemovedRuleIsGoneFromTheListingAndItsAlertsToo() throws Exception {
        ok(running.send("DELETE", "/api/v1/alerts/rules/x1-drift", Role.OPERATOR, null), 200);
        assertThat(running.send("DELETE", "/api/v1/alerts/rules/x1-drift", Role.OPERATOR, null).statusCode()).isEqualTo(404);
        JsonNode firing = ok(running.send("GET", "/api/v1/alerts?phase=firing", Role.AUDITOR, null), 200).path("alerts");
        firing.forEach(a -> assertThat(a.path("rule").asText()).isNotEqualTo("x1-drift"));
        assertThat(running.services.audit().query(AuditQuery.all().withAction("alert.rule_removed")).entries()).hasSize(1);
    }

    /** A window a stopped server stored but never judged is found at the next start and judged first, once. */
    @Test
    @Order(6)
    void aWindowStoredButNeverJudgedIsJudgedAgain() {
        WindowStore windows = new WindowStore(running.services.database());
        Instant day = T0.truncatedTo(ChronoUnit.DAYS);
        ClosedWindow judged = windows.between("mon", day, clock.instant()).get(0);
        ClosedWindow left = new ClosedWindow("mon", judged.start().plus(Duration.ofHours(5)),
                judged.end().plus(Duration.ofHours(5)), judged.rows(), judged.columns(), judged.profile(), judged.reservoir());
        assertThat(windows.save(left)).isTrue();
        Instant later = left.end().plus(Duration.ofHours(1));
        List<ClosedWindow> unjudged = running.services.monitoring().unjudged(day, later);
        assertThat(unjudged).extracting(ClosedWindow::start).containsExactly(left.start());

        running.services.monitorFeed().judgeAgain(unjudged);
        running.services.monitorFeed().tick(clock.instant());
        assertThat(running.services.monitoring().figures("mon", left.start(), left.end()))
                .extracting(f -> f.name()).contains("mon/volume/rows/count", "mon/drift/x1/drifted");
        assertThat(running.services.monitoring().unjudged(day, later)).isEmpty();
    }
}

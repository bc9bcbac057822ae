package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.metadata.AuditQuery;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertRules;
import dev.seer.monitoring.alert.Figure;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.RetrainRun;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's simulation, end to end through a running server on a clock the test moves: a logistic
 * champion trained where the label follows x1 (P(y=1) = sigmoid(3 x1)) serves hourly windows of
 * 1,000 predictions, each answered and then labelled. Windows 0-3 are drawn as the training data;
 * from window 4 on, x1 is shifted by one standard deviation (the relation unchanged); from window 7
 * on, the label follows x2 instead (a concept change). Each window is closed by the monitor feed and
 * judged against the champion's training data.
 *
 * <p>Stated, and asserted: the x1 drift alert fires on the first shifted window (a delay of zero
 * windows after the injection) and on no window before it; CBPE's estimated accuracy and ROC AUC
 * stay within 0.05 of the realised ones on every window before the concept change (the shift
 * included), and after it the realised accuracy drops by more than 0.15 while the estimate does not
 * see it; a retraining run asked for on stationary data is rejected by the gate (the champion stays;
 * the spec's alpha of 0.001 is the chance that the gate passes a model that is not better, and with it
 * this test's chance of failing for no fault: prediction ids, which key the fresh dataset's split,
 * carry random bits),
 * while the accuracy alert after the concept change starts a run, from the last hour's logged
 * predictions and outcomes, whose model passes the gate and is promoted, and the next window's
 * accuracy is back.
 */
class MonitoringSimulationTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
    private static final int ROWS = 1000;
    private static final int SHIFT_FROM = 4;
    private static final int CONCEPT_FROM = 7;
    private static final double TOLERANCE = 0.05;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private RunningServer running;

    @Test
    void driftIsAlertedOnTimeTheEstimateTracksUntilTheConceptChangesAndRetrainingPromotesOnlyABetterModel()
            throws Exception {
        running = new RunningServer(dir, c -> c, false, clock);
        try {
            championServing();
            Map<Integer, Map<String, Double>> figures = new HashMap<>();
            for (int w = 0; w < 10; w++) {
                serveWindow(w);
                figures.put(w, closeWindow(w));
                Map<String, Double> f = figures.get(w);
                if (w > CONCEPT_FROM) {
                    break; // the champion, and so the reference, changed at the last window's close
                }
                boolean drifting = w >= SHIFT_FROM;
                assertThat(f.get("sim/drift/x1/drifted")).as("x1 drifted in window %d", w).isEqualTo(drifting ? 1.0 : 0.0);
                assertThat(firing("x1-drift")).as("x1 drift alert after window %d", w).isEqualTo(drifting);
                if (w < CONCEPT_FROM) {
                    assertThat(f.get("sim/performance/estimated/accuracy")).as("estimated accuracy, window %d", w)
                            .isCloseTo(f.get("sim/performance/realised/accuracy"), within(TOLERANCE));
                    assertThat(f.get("sim/performance/estimated/roc_auc")).as("estimated ROC AUC, window %d", w)
                            .isCloseTo(f.get("sim/performance/realised/roc_auc"), within(TOLERANCE));
                    assertThat(firing("accuracy-drop")).isFalse();
                }
                if (w == 2) {
                    notBetterIsRejected();
                }
                if (w == CONCEPT_FROM) {
                    assertThat(f.get("sim/performance/realised/accuracy"))
                            .isLessThan(figures.get(CONCEPT_FROM - 1).get("sim/performance/realised/accuracy") - 0.15);
                    assertThat(f.get("sim/performance/estimated/accuracy") - f.get("sim/performance/realised/accuracy"))
                            .as("CBPE cannot see a concept change").isGreaterThan(0.15);
                    betterIsPromoted();
                }
            }
            assertThat(figures.get(CONCEPT_FROM + 1).get("sim/performance/realised/accuracy")).as("after retraining")
                    .isGreaterThan(0.75);
        } finally {
            running.close();
        }
    }

    /**
     * sim:1, a logistic regression on dataset sim:1 (the label follows x1), promoted and deployed alone;
     * the alert rules; the retraining policy: on the accuracy alert, train on the last hour and promote.
     */
    private void championServing() throws Exception {
        importDataset();
        HttpResponse<String> trained = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: sim\\n"
                + "dataset: sim:1\\ntask: binary\\nevaluation: {folds: 3, bootstrap: 200, alpha: 0.001}\\n"
                + "candidates: [{algorithm: logistic}]\\n\"}");
        assertThat(trained.statusCode()).as(trained.body()).isEqualTo(200);
        assertThat(running.send("POST", "/api/v1/models/sim/versions/1/promote", Role.SCIENTIST, "{}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/sim", Role.OPERATOR,
                "{\"model\": \"sim\", \"version\": 1}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        WatchedColumns columns = new WatchedColumns(List.of("x1", "x2", "x3"), OutputShape.SCORE);
        Set<String> known = running.services.monitoring().monitor().knownFigures(columns, "sim");
        running.services.monitoring().alerts().addRule(AlertRules.parse(Map.of("id", "x1-drift", "figure",
                "sim/drift/x1/drifted", "comparison", ">=", "threshold", 1)), known, "test");
        running.services.monitoring().alerts().addRule(AlertRules.parse(Map.of("id", "accuracy-drop", "figure",
                "sim/performance/realised/accuracy", "comparison", "<", "threshold", 0.7)), known, "test");
        HttpResponse<String> policy = running.send("POST", "/api/v1/deployments/sim/retraining", Role.OPERATOR,
                "{\"on\": [\"accuracy-drop\"], \"lookback\": \"1h\", \"action\": \"promote\", \"min_rows\": 500, \"cooldown\": \"1h\"}");
        assertThat(policy.statusCode()).as(policy.body()).isEqualTo(200);
    }

    /** Window {@code w}'s 1,000 predictions, made through the predict route at times inside the window, each labelled. */
    private void serveWindow(int w) throws Exception {
        SplittableRandom random = new SplittableRandom(1000 + w);
        Instant start = T0.plus(Duration.ofHours(w));
        for (int batch = 0; batch < ROWS / 100; batch++) {
            clock.set(start.plus(Duration.ofMinutes(2 + 5L * batch)));
            StringBuilder rows = new StringBuilder("{\"rows\": [");
            int[] labels = new int[100];
            for (int i = 0; i < 100; i++) {
                double x1 = gaussian(random) + (w >= SHIFT_FROM ? 1.0 : 0.0);
                double x2 = gaussian(random);
                double x3 = gaussian(random);
                double decider = w >= CONCEPT_FROM ? x2 : x1;
                labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-3 * decider)) ? 1 : 0;
                rows.append(i == 0 ? "" : ",").append("{\"features\": {\"x1\": ").append(x1).append(", \"x2\": ")
                        .append(x2).append(", \"x3\": ").append(x3).append("}}");
            }
            HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/sim", Role.OPERATOR, rows + "]}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            JsonNode predictions = Json.parse(predicted.body()).path("predictions");
            StringBuilder outcomes = new StringBuilder("{\"rows\": [");
            for (int i = 0; i < predictions.size(); i++) {
                outcomes.append(i == 0 ? "" : ",").append("{\"prediction_id\": \"").append(predictions.get(i).path("id")
                        .asText()).append("\", \"outcome\": ").append(labels[i]).append('}');
            }
            HttpResponse<String> fed = running.send("POST", "/api/v1/feedback", Role.OPERATOR, outcomes + "]}");
            assertThat(fed.statusCode()).as(fed.body()).isEqualTo(200);
        }
    }

    /** Moves the clock past window {@code w}'s end and grace, has the feed close it, and reads its figures. */
    private Map<String, Double> closeWindow(int w) {
        Instant start = T0.plus(Duration.ofHours(w));
        clock.set(start.plus(Duration.ofHours(1)).plusSeconds(11));
        running.services.monitorFeed().tick(clock.instant()); // waits for a scheduled tick judging it meanwhile
        Map<String, Double> values = new HashMap<>();
        for (Figure f : running.services.monitoring().figures("sim", start, start.plus(Duration.ofHours(1)))) {
            values.put(f.name(), f.value());
        }
        assertThat(values.get("sim/volume/rows/count")).as("window %d judged", w).isEqualTo(ROWS);
        return values;
    }

    private boolean firing(String rule) {
        return running.services.monitoring().alerts().list(Optional.of(AlertEvaluator.Phase.FIRING)).stream()
                .anyMatch(a -> a.rule().id().equals(rule));
    }

    /** Retraining on stationary data (the last hour): the same relation, so the gate cannot show it better. */
    private void notBetterIsRejected() throws Exception {
        HttpResponse<String> retrained = running.send("POST", "/api/v1/deployments/sim/retrain", Role.OPERATOR, "{}");
        assertThat(retrained.statusCode()).as(retrained.body()).isEqualTo(200);
        JsonNode run = Json.parse(retrained.body());
        assertThat(run.path("status").asText()).as(retrained.body() + running.services.models().version("sim", 2).checks())
                .isEqualTo("rejected");
        assertThat(run.path("dataset").asText()).isEqualTo("sim:2");
        assertThat(running.services.serving().deployments().get("sim").champion().toString()).isEqualTo("sim:1");
        assertThat(running.services.models().byAlias("sim", "champion").version()).isEqualTo(1);
    }

    /** The accuracy alert of the concept change started a run: its model passed the gate and serves. */
    private void betterIsPromoted() throws InterruptedException {
        assertThat(firing("accuracy-drop")).isTrue();
        RetrainRun run = awaitRun(Duration.ofMinutes(3));
        assertThat(run.status()).as(run.toString()).isEqualTo(RetrainRun.Status.PROMOTED);
        assertThat(run.trigger()).contains("accuracy-drop");
        assertThat(run.gatePassed()).contains(true);
        String promoted = run.modelVersion().orElseThrow();
        assertThat(running.services.serving().deployments().get("sim").champion().toString()).isEqualTo(promoted);
        assertThat("sim:" + running.services.models().byAlias("sim", "champion").version()).isEqualTo(promoted);
        String trainedBy = running.services.models().version("sim", Integer.parseInt(promoted.substring(4))).runId()
                .orElseThrow();
        assertThat(running.services.tracking().run(trainedBy).tags()).containsEntry("seer.retraining.trigger", run.trigger())
                .containsEntry("seer.retraining.deployment", "sim");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("retraining.promoted")).entries()).hasSize(1);
        assertThat(running.services.audit().query(AuditQuery.all().withAction("alert.firing")).entries()).isNotEmpty();
    }

    /** The run the alert started, once it is no longer running. */
    private RetrainRun awaitRun(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<RetrainRun> run = running.services.retraining().policies().runs("sim", 10).stream()
                    .filter(r -> !r.trigger().equals(Retraining.MANUAL)).findFirst();
            if (run.isPresent() && run.get().status() != RetrainRun.Status.RUNNING) {
                return run.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no alert-started retraining run finished in " + timeout);
    }

    /** Dataset sim:1: 3,000 rows, the label 1 with probability sigmoid(3 x1), split 60/20/20 by id. */
    private void importDataset() throws Exception {
        StringBuilder csv = new StringBuilder("id,x1,x2,x3,y\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            double x1 = gaussian(random);
            double x2 = gaussian(random);
            double x3 = gaussian(random);
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',').append(x3).append(',')
                    .append(random.nextDouble() < 1 / (1 + Math.exp(-3 * x1)) ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("sim.csv");
        Files.writeString(file, csv);
        running.services.datasets().importFile("sim", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

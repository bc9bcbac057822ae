package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.metadata.AuditQuery;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import dev.seer.registry.versions.ModelVersion;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explaining a trained XGBoost version over HTTP: contributions that add up to the margin whose
 * logistic is the model's own prediction (XGBoost4J's, loaded independently), what-if answers that
 * are the model's predictions, clear refusals of bad rows, and the audit trail of each call.
 */
class ExplainRouteTest {
    @TempDir
    static Path dir;

    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        StringBuilder csv = new StringBuilder("id,x1,x2,noise,y\n");
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 1500; i++) {
            double x1 = random.nextDouble() * 4 - 2;
            double x2 = random.nextDouble() * 4 - 2;
            double p = 1 / (1 + Math.exp(-(2 * x1 - 1.5 * x2 + x1 * x2)));
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',').append(random.nextDouble()).append(',')
                    .append(random.nextDouble() < p ? 1 : 0).append('\n');
        }
        Path file = Files.writeString(dir.resolve("explain.csv"), csv);
        running.services.datasets().importFile("explain", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
        String spec = "name: explain\ndataset: explain\ntask: binary\nfeatures: [x1, x2, noise]\n"
                + "evaluation: {folds: 3, bootstrap: 100}\ncandidates: [{algorithm: xgboost, params: {rounds: 30, max_depth: 3}}]\n";
        HttpResponse<String> trained = running.send("POST", "/api/v1/train", Role.SCIENTIST, Json.object().put("spec", spec)
                .toString());
        assertThat(trained.statusCode()).as(trained.body()).isEqualTo(200);
        assertThat(Json.parse(trained.body()).path("version").path("details").path("model_format").asText())
                .startsWith("xgboost");
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void contributionsAddUpToTheMarginOfTheModelsOwnPrediction() throws Exception {
        String body = "{\"model\": \"explain\", \"version\": 1, \"rows\": [{\"x1\": 1.5, \"x2\": -1, \"noise\": 0.3},"
                + " {\"x1\": -0.5, \"x2\": null, \"noise\": 0.9}]}";
        HttpResponse<String> response = running.send("POST", "/api/v1/explain", Role.AUDITOR, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.parse(response.body());
        assertThat(answer.path("method").asText()).isEqualTo("tree-shap (path-dependent)");
        assertThat(answer.path("scale").asText()).isEqualTo("margin");
        double[][] rows = {{1.5, -1, 0.3}, {-0.5, Double.NaN, 0.9}};
        double[][] predictions = predictions(rows);
        for (int r = 0; r < 2; r++) {
            JsonNode out = answer.path("rows").get(r).path("outputs").get(0);
            double sum = out.path("base").asDouble();
            for (String f : List.of("x1", "x2", "noise")) {
                sum += out.path("contributions").path(f).asDouble();
            }
            assertThat(sum).isCloseTo(out.path("value").asDouble(), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(1 / (1 + Math.exp(-sum))).isCloseTo(predictions[r][0], org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(running.services.audit().query(AuditQuery.all().withAction("model.explained")).entries()).isNotEmpty();
    }

    @Test
    void whatIfGivesTheModelsPredictionsBeforeAndAfter() throws Exception {
        String body = "{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": 1.5, \"x2\": -1, \"noise\": 0.3},"
                + " \"changes\": {\"x1\": -1.5}}";
        HttpResponse<String> response = running.send("POST", "/api/v1/what-if", Role.OPERATOR, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.parse(response.body());
        double[][] predictions = predictions(new double[][] {{1.5, -1, 0.3}, {-1.5, -1, 0.3}});
        assertThat(answer.path("before").get(0).asDouble()).isCloseTo(predictions[0][0],
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(answer.path("after").get(0).asDouble()).isCloseTo(predictions[1][0],
                org.assertj.core.api.Assertions.within(1e-6));
        assertThat(answer.path("explained_after").get(0).path("contributions").path("x1").asDouble())
                .isLessThan(answer.path("explained_before").get(0).path("contributions").path("x1").asDouble());
        assertThat(running.services.audit().query(AuditQuery.all().withAction("model.what_if")).entries()).isNotEmpty();
    }

    @Test
    void aRowThatLacksOrAddsAFeatureOrGivesTextIsRefusedNamingIt() throws Exception {
        expect400("{\"model\": \"explain\", \"version\": 1, \"rows\": [{\"x1\": 1, \"x2\": 2}]}",
                "rows[0] lacks feature [noise]");
        expect400("{\"model\": \"explain\", \"version\": 1, \"rows\": [{\"x1\": 1, \"x2\": 2, \"noise\": 0, \"age\": 3}]}",
                "rows[0] has feature [age], which the model does not take");
        expect400("{\"model\": \"explain\", \"version\": 1, \"rows\": [{\"x1\": \"high\", \"x2\": 2, \"noise\": 0}]}",
                "feature [x1] must be a finite number or null");
        expect400("{\"model\": \"explain\", \"version\": 1, \"rows\": []}", "[rows] must hold 1 to");
        expect400("{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": 1, \"x2\": 2, \"noise\": 0},"
                + " \"changes\": {\"height\": 2}}", "Feature [height] is not one the model takes");
        HttpResponse<String> noChampion = running.send("POST", "/api/v1/explain", Role.SCIENTIST,
                "{\"model\": \"explain\", \"rows\": [{\"x1\": 1, \"x2\": 2, \"noise\": 0}]}");
        assertThat(noChampion.statusCode()).as(noChampion.body()).isEqualTo(404);
    }

    @Test
    void theVersionsGlobalExplanationsAreServedAndOnItsCard() throws Exception {
        HttpResponse<String> response = running.send("GET", "/api/v1/models/explain/versions/1/importance", Role.AUDITOR, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode importance = Json.parse(response.body());
        var shap = importance.path("mean_abs_shap").path("1");
        assertThat(shap.path("x1").asDouble()).isGreaterThan(shap.path("noise").asDouble());
        assertThat(shap.path("x2").asDouble()).isGreaterThan(shap.path("noise").asDouble());
        assertThat(importance.path("permutation").path("metric").asText()).isEqualTo("roc_auc");
        assertThat(importance.path("reference").get(0)).hasSize(3);
        HttpResponse<String> card = running.send("GET", "/api/v1/models/explain/versions/1/card", Role.AUDITOR, null);
        assertThat(Json.parse(card.body()).path("markdown").asText()).contains("## Global explanations", "| x1 |");
        assertThat(running.send("GET", "/api/v1/models/explain/versions/9/importance", Role.AUDITOR, null).statusCode())
                .isEqualTo(404);
    }

    @Test
    void counterfactualsReachTheGoalWithinTheConstraintsOrSayNoneWasFound() throws Exception {
        // P(1) rises with x1 and falls with x2: a refused row is flipped by raising x1 or lowering x2
        String body = "{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": -1.5, \"x2\": 1.5, \"noise\": 0.5},"
                + " \"constraints\": {\"noise\": {\"immutable\": true}, \"x2\": {\"min\": -2, \"max\": 2}}, \"count\": 2}";
        HttpResponse<String> response = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.parse(response.body());
        assertThat(answer.path("prediction").get(0).asDouble()).isLessThan(0.5);
        assertThat(answer.path("goal").path("direction").asText()).isEqualTo("at_least");
        assertThat(answer.path("status").asText()).isEqualTo("found");
        assertThat(answer.path("counterfactuals").size()).isBetween(1, 2);
        for (JsonNode c : answer.path("counterfactuals")) {
            assertThat(c.path("changes").has("noise")).isFalse();
            assertThat(c.path("prediction").get(0).asDouble()).isGreaterThanOrEqualTo(0.5);
            double[] row = {-1.5, 1.5, 0.5};
            List<String> names = List.of("x1", "x2", "noise");
            c.path("changes").fields().forEachRemaining(e -> row[names.indexOf(e.getKey())] = e.getValue().path("to").asDouble());
            assertThat(predictions(new double[][] {row})[0][0]).isGreaterThanOrEqualTo(0.5 - 1e-6);
            if (c.path("changes").has("x2")) {
                assertThat(c.path("changes").path("x2").path("to").asDouble()).isBetween(-2.0, 2.0);
            }
        }
        String impossible = "{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": -1.5, \"x2\": 1.5, \"noise\": 0.5},"
                + " \"constraints\": {\"x1\": {\"immutable\": true}, \"x2\": {\"immutable\": true}}}";
        JsonNode none = Json.parse(running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, impossible).body());
        assertThat(none.path("status").asText()).isEqualTo("none found");
        assertThat(none.path("counterfactuals")).isEmpty();
        HttpResponse<String> contradictory = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR,
                "{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": 0, \"x2\": 0, \"noise\": 0},"
                        + " \"constraints\": {\"x1\": {\"min\": 3, \"max\": 1}}}");
        assertThat(contradictory.statusCode()).isEqualTo(400);
        assertThat(contradictory.body()).contains("Feature [x1] has min [3.0] above max [1.0]");
        HttpResponse<String> unknownKey = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR,
                "{\"model\": \"explain\", \"version\": 1, \"row\": {\"x1\": 0, \"x2\": 0, \"noise\": 0},"
                        + " \"constraints\": {\"x1\": {\"maximum\": 3}}}");
        assertThat(unknownKey.body()).contains("[constraints.x1.maximum] is not a constraint");
    }

    /**
     * An imported ONNX model (y = 0.5a − 2b + c + 0.25) is explained by KernelSHAP against the
     * request's background; on a linear model the values are exactly w·(x − background mean).
     */
    @Test
    void anOnnxModelIsExplainedByKernelShapAgainstTheBackgroundGiven() throws Exception {
        byte[] onnx;
        try (var in = ExplainRouteTest.class.getResourceAsStream("/models/linear-value.onnx")) {
            onnx = in.readAllBytes();
        }
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/linear/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"onnx\", \"signature\": \"a:float64,b:float64,c:float64->value\"}")
                        .file("file", "linear.onnx", onnx));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        String body = "{\"model\": \"linear\", \"version\": 1, \"rows\": [{\"a\": 2, \"b\": 1, \"c\": -1}],"
                + " \"background\": [{\"a\": 0, \"b\": 0, \"c\": 0}, {\"a\": 2, \"b\": 1, \"c\": 2}]}";
        HttpResponse<String> response = running.send("POST", "/api/v1/explain", Role.SCIENTIST, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode out = Json.parse(response.body()).path("rows").get(0).path("outputs").get(0);
        assertThat(Json.parse(response.body()).path("method").asText()).isEqualTo("kernel-shap");
        var within = org.assertj.core.api.Assertions.within(1e-5);
        assertThat(out.path("contributions").path("a").asDouble()).isCloseTo(0.5 * (2 - 1), within);
        assertThat(out.path("contributions").path("b").asDouble()).isCloseTo(-2 * (1 - 0.5), within);
        assertThat(out.path("contributions").path("c").asDouble()).isCloseTo(1 * (-1 - 1), within);
        assertThat(out.path("value").asDouble()).isCloseTo(0.5 * 2 - 2 * 1 - 1 + 0.25, within);
        HttpResponse<String> noBackground = running.send("POST", "/api/v1/explain", Role.SCIENTIST,
                "{\"model\": \"linear\", \"version\": 1, \"rows\": [{\"a\": 2, \"b\": 1, \"c\": -1}]}");
        assertThat(noBackground.statusCode()).isEqualTo(400);
        assertThat(noBackground.body()).contains("KernelSHAP against [background] rows");
        HttpResponse<String> whatIfAlone = running.send("POST", "/api/v1/what-if", Role.SCIENTIST, "{\"model\": \"linear\","
                + " \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}, \"changes\": {\"a\": 0}}");
        assertThat(whatIfAlone.statusCode()).isEqualTo(400);
        assertThat(whatIfAlone.body()).contains("KernelSHAP against [background] rows");
    }

    /**
     * What-if on the ONNX model (y = 0.5a − 2b + c + 0.25) by KernelSHAP: a from 2 to 0 moves the
     * output by −1 and only a's contribution, by the same −1.
     */
    @Test
    void whatIfOnAnOnnxModelMovesTheChangedFeaturesContributionByTheOutputsChange() throws Exception {
        importOnnx("linear-what-if");
        HttpResponse<String> response = running.send("POST", "/api/v1/what-if", Role.SCIENTIST, "{\"model\":"
                + " \"linear-what-if\", \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}, \"changes\": {\"a\": 0},"
                + " \"background\": [{\"a\": 0, \"b\": 0, \"c\": 0}, {\"a\": 2, \"b\": 1, \"c\": 2}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.parse(response.body());
        var within = org.assertj.core.api.Assertions.within(1e-5);
        assertThat(answer.path("method").asText()).isEqualTo("kernel-shap");
        assertThat(answer.path("before").get(0).asDouble()).isCloseTo(0.5 * 2 - 2 - 1 + 0.25, within);
        assertThat(answer.path("after").get(0).asDouble()).isCloseTo(-2 - 1 + 0.25, within);
        JsonNode before = answer.path("explained_before").get(0).path("contributions");
        JsonNode after = answer.path("explained_after").get(0).path("contributions");
        assertThat(after.path("a").asDouble() - before.path("a").asDouble()).isCloseTo(-1, within);
        assertThat(after.path("b").asDouble() - before.path("b").asDouble()).isCloseTo(0, within);
        assertThat(after.path("c").asDouble() - before.path("c").asDouble()).isCloseTo(0, within);
    }

    /**
     * Counterfactuals for the ONNX model against the request's reference rows: with b immutable and
     * c at most 1, reaching y ≥ 1 from (2, 1, −1) needs a ≥ 3.5 − 2c; every answer keeps the
     * constraints and reaches the goal. With a also immutable, y ≤ 0.25 − 2 + 1 + 1 < 1: none found.
     */
    @Test
    void counterfactualsForAnOnnxModelUseTheReferenceGivenAndKeepTheConstraints() throws Exception {
        importOnnx("linear-cf");
        String reference = reference();
        String body = "{\"model\": \"linear-cf\", \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1},"
                + " \"goal\": {\"threshold\": 1, \"direction\": \"at_least\"}, \"count\": 3, \"reference\": " + reference
                + ", \"constraints\": {\"b\": {\"immutable\": true}, \"c\": {\"max\": 1}}}";
        HttpResponse<String> response = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = Json.parse(response.body());
        assertThat(answer.path("status").asText()).isEqualTo("found");
        assertThat(answer.path("counterfactuals").size()).isGreaterThanOrEqualTo(1);
        for (JsonNode c : answer.path("counterfactuals")) {
            JsonNode row = c.path("row");
            double a = row.get(0).asDouble();
            double b = row.get(1).asDouble();
            double cValue = row.get(2).asDouble();
            assertThat(b).as(c.toString()).isEqualTo(1.0);
            assertThat(cValue).as(c.toString()).isLessThanOrEqualTo(1.0);
            assertThat(0.5 * a - 2 * b + cValue + 0.25).as(c.toString()).isGreaterThanOrEqualTo(1 - 1e-6);
            assertThat(c.path("prediction").get(0).asDouble()).isCloseTo(0.5 * a - 2 * b + cValue + 0.25,
                    org.assertj.core.api.Assertions.within(1e-5));
        }
        HttpResponse<String> none = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, body.replace(
                "\"c\": {\"max\": 1}", "\"c\": {\"max\": 1}, \"a\": {\"immutable\": true}"));
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(Json.parse(none.body()).path("status").asText()).isEqualTo("none found");
        HttpResponse<String> noReference = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR,
                "{\"model\": \"linear-cf\", \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}}");
        assertThat(noReference.statusCode()).isEqualTo(400);
        assertThat(noReference.body()).contains("give [reference] rows");
        HttpResponse<String> badReference = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR,
                "{\"model\": \"linear-cf\", \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1},"
                        + " \"reference\": [{\"a\": 1, \"b\": 1}]}");
        assertThat(badReference.statusCode()).isEqualTo(400);
        assertThat(badReference.body()).contains("reference[0] lacks feature [c]");
    }

    /**
     * The same ONNX file registered twice with its inputs named in another order: each version is
     * explained by its own signature (the loaded models are kept by file and signature).
     */
    @Test
    void theSameFileUnderAnotherSignatureIsExplainedWithItsOwnSignature() throws Exception {
        importOnnx("same-abc");
        importOnnx("same-cba", "c:float64,b:float64,a:float64->value");
        String rest = " \"version\": 1, \"rows\": [{\"a\": 2, \"b\": 1, \"c\": -1}], \"background\": " + BACKGROUND + "}";
        HttpResponse<String> first = running.send("POST", "/api/v1/explain", Role.SCIENTIST, "{\"model\": \"same-abc\"," + rest);
        assertThat(Json.parse(first.body()).path("rows").get(0).path("outputs").get(0).path("value").asDouble())
                .as(first.body()).isCloseTo(0.5 * 2 - 2 * 1 - 1 + 0.25, within(1e-5));
        HttpResponse<String> second = running.send("POST", "/api/v1/explain", Role.SCIENTIST, "{\"model\": \"same-cba\"," + rest);
        JsonNode answer = Json.parse(second.body());
        assertThat(answer.path("features").toString()).as(second.body()).isEqualTo("[\"c\",\"b\",\"a\"]");
        assertThat(answer.path("rows").get(0).path("outputs").get(0).path("value").asDouble()) // inputs: c, b, a
                .isCloseTo(0.5 * -1 - 2 * 1 + 2 + 0.25, within(1e-5));
    }

    /**
     * Bad numbers and edge answers: a change to null makes the feature missing (not a 500); a value
     * that overflows to infinity is refused naming the feature; every budget is answered, never
     * exceeded; a row already at the goal is told so.
     */
    @Test
    void nullChangesInfiniteValuesSmallBudgetsAndARowAtTheGoal() throws Exception {
        importOnnx("edges");
        HttpResponse<String> toNull = running.send("POST", "/api/v1/what-if", Role.SCIENTIST, "{\"model\": \"edges\","
                + " \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}, \"changes\": {\"a\": null},"
                + " \"background\": " + BACKGROUND + "}");
        assertThat(toNull.statusCode()).as(toNull.body()).isIn(200, 400);
        HttpResponse<String> infinite = running.send("POST", "/api/v1/explain", Role.SCIENTIST, "{\"model\": \"edges\","
                + " \"version\": 1, \"rows\": [{\"a\": 1e400, \"b\": 1, \"c\": -1}], \"background\": " + BACKGROUND + "}");
        assertThat(infinite.statusCode()).isEqualTo(400);
        assertThat(infinite.body()).contains("rows[0] feature [a] must be a finite number");
        String reference = reference();
        StringBuilder wrong = new StringBuilder();
        for (int budget = 20; budget <= 400; budget += 20) {
            HttpResponse<String> response = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, "{\"model\":"
                    + " \"edges\", \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}, \"goal\": {\"threshold\": 1,"
                    + " \"direction\": \"at_least\"}, \"budget\": " + budget + ", \"reference\": " + reference + "}");
            if (response.statusCode() != 200 || Json.parse(response.body()).path("evaluated").asInt() > budget) {
                wrong.append("\nbudget ").append(budget).append(" -> ").append(response.statusCode()).append(' ')
                        .append(response.body());
            }
        }
        assertThat(wrong.toString()).isEmpty();
        HttpResponse<String> atGoal = running.send("POST", "/api/v1/counterfactual", Role.AUDITOR, "{\"model\": \"edges\","
                + " \"version\": 1, \"row\": {\"a\": 2, \"b\": 1, \"c\": -1}, \"goal\": {\"threshold\": -5,"
                + " \"direction\": \"at_least\"}, \"reference\": " + reference + "}");
        assertThat(Json.parse(atGoal.body()).path("status").asText()).as(atGoal.body()).isEqualTo("row reaches goal");
        assertThat(Json.parse(atGoal.body()).path("counterfactuals")).isEmpty();
    }

    private static final String BACKGROUND = "[{\"a\": 0, \"b\": 0, \"c\": 0}, {\"a\": 2, \"b\": 1, \"c\": 2}]";

    private static String reference() {
        StringBuilder reference = new StringBuilder("[");
        for (int i = 0; i < 60; i++) {
            reference.append(i == 0 ? "" : ",").append(String.format(java.util.Locale.ROOT,
                    "{\"a\": %.2f, \"b\": %.2f, \"c\": %.2f}", (i % 10) * 0.8, (i % 7) * 0.3, (i % 5) * 0.5 - 1));
        }
        return reference.append("]").toString();
    }

    private void importOnnx(String name) throws Exception {
        importOnnx(name, "a:float64,b:float64,c:float64->value");
    }

    private void importOnnx(String name, String signature) throws Exception {
        byte[] onnx;
        try (var in = ExplainRouteTest.class.getResourceAsStream("/models/linear-value.onnx")) {
            onnx = in.readAllBytes();
        }
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/" + name + "/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"onnx\", \"signature\": \"" + signature + "\"}")
                        .file("file", "linear.onnx", onnx));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
    }

    /** Names aimed at files, oversized and malformed bodies: refused, nothing read or answered from elsewhere. */
    @Test
    void attacksOnTheModelNameOrTheBodyAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.json"), "EXPLAIN-SECRET-55");
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String attack : PathAttacks.encoded(secret)) {
            String name = java.net.URLDecoder.decode(attack.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            for (String field : List.of("model", "alias")) {
                var body = Json.object().put("model", field.equals("model") ? name : "explain").put("alias", name);
                body.putArray("rows").addObject().put("x1", 1).put("x2", 1).put("noise", 1);
                HttpResponse<String> response = running.send("POST", "/api/v1/explain", Role.ADMIN, body.toString());
                if (response.statusCode() < 400 || response.statusCode() > 404 || response.body().contains("EXPLAIN-SECRET")) {
                    wrong.add(field + " " + attack + " -> " + response.statusCode() + " " + response.body());
                }
            }
        }
        for (String attack : PathAttacks.encoded(secret)) {
            for (String path : List.of("/api/v1/models/" + attack + "/versions/1/importance",
                    "/api/v1/models/explain/versions/" + attack + "/importance")) {
                HttpResponse<String> response = running.send("GET", path, Role.ADMIN, null);
                if (response.statusCode() < 400 || response.statusCode() > 404 || response.body().contains("EXPLAIN-SECRET")) {
                    wrong.add(path + " -> " + response.statusCode() + " " + response.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        String oversized = "{\"model\": \"explain\", \"rows\": [" + "{\"x1\": 1},".repeat(1_200_000) + "{}]}";
        for (String path : List.of("/api/v1/explain", "/api/v1/what-if", "/api/v1/counterfactual")) {
            assertThat(running.send("POST", path, Role.ADMIN, oversized).statusCode()).isEqualTo(413);
            assertThat(running.send("POST", path, Role.ADMIN, "{\"model\": ").statusCode()).isEqualTo(400);
            assertThat(running.send("POST", path, Role.ADMIN, "[1]").statusCode()).isEqualTo(400);
            assertThat(running.send("POST", path, Role.ADMIN, "{\"model\": \"explain\", \"version\": \"1/../2\"}")
                    .statusCode()).isEqualTo(400);
        }
    }

    private static void expect400(String body, String message) throws Exception {
        String path = body.contains("\"changes\"") ? "/api/v1/what-if" : "/api/v1/explain";
        HttpResponse<String> response = running.send("POST", path, Role.SCIENTIST, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains(message);
    }

    private static double[][] predictions(double[][] rows) {
        ModelVersion version = running.services.models().version("explain", 1);
        var details = version.details();
        try (Model model = Models.load(ModelFormat.parse(details.format().orElseThrow()),
                running.services.artifacts().read(details.artifactSha256().orElseThrow()),
                Signature.CODEC.decode(details.signature().orElseThrow()))) {
            return model.predict(rows);
        }
    }
}

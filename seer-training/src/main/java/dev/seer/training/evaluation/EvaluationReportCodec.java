package dev.seer.training.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.metrics.Interval;
import dev.seer.training.metrics.Metric;
import dev.seer.training.stats.TestResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Format 1, the first. A number that is not finite (an undefined metric) is stored as null and read back as NaN. */
final class EvaluationReportCodec implements Codec<EvaluationReport> {
    @Override
    public String kind() {
        return "evaluation report";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(EvaluationReport r) {
        ObjectNode json = Json.object().put(FORMAT, version()).put("metric", r.metric().id()).put("alpha", r.alpha())
                .put("folds", r.folds()).put("development_rows", r.developmentRows()).put("test_rows", r.testRows());
        ArrayNode candidates = json.putArray("candidates");
        r.candidates().forEach(c -> candidates.add(candidate(c)));
        json.put("best", r.best());
        ArrayNode comparisons = json.putArray("comparisons");
        r.comparisons().forEach(c -> comparisons.add(comparison(c)));
        r.reference().ifPresent(ref -> json.put("reference", ref));
        json.put("gate", r.gate());
        ArrayNode notes = json.putArray("notes");
        r.notes().forEach(notes::add);
        return json;
    }

    private static ObjectNode candidate(CandidateResult c) {
        ObjectNode json = Json.object().put("name", c.name()).put("algorithm", c.algorithm().id());
        ObjectNode params = json.putObject("params");
        new TreeMap<>(c.params()).forEach((k, v) -> params.set(k, Json.mapper().valueToTree(v)));
        ArrayNode folds = json.putArray("fold_scores");
        for (double f : c.foldScores()) {
            number(folds, f);
        }
        put(json, "cv_mean", c.cvMean());
        ObjectNode test = json.putObject("test");
        c.test().forEach((metric, i) -> {
            ObjectNode m = test.putObject(metric);
            put(m, "value", i.value());
            put(m, "low", i.low());
            put(m, "high", i.high());
            m.put("resamples", i.resamples()).put("confidence", i.confidence());
        });
        ObjectNode facts = json.putObject("facts");
        new TreeMap<>(c.facts()).forEach(facts::put);
        put(json, "training_seconds", c.trainingSeconds());
        put(json, "predict_micros_per_row", c.predictMicrosPerRow());
        return json;
    }

    private static ObjectNode comparison(Comparison c) {
        ObjectNode json = Json.object().put("candidate", c.candidate()).put("against", c.against())
                .put("primary", c.primary());
        put(json, "adjusted_p", c.adjustedP());
        json.put("better", c.better());
        ArrayNode tests = json.putArray("tests");
        for (TestResult t : c.tests()) {
            ObjectNode test = tests.addObject().put("test", t.test());
            put(test, "statistic", t.statistic());
            put(test, "p", t.pValue());
            put(test, "effect", t.effect());
            put(test, "low", t.low());
            put(test, "high", t.high());
        }
        return json;
    }

    private static void put(ObjectNode json, String field, double value) {
        if (Double.isFinite(value)) {
            json.put(field, value);
        } else {
            json.putNull(field);
        }
    }

    private static void number(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }

    @Override
    public EvaluationReport decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        List<CandidateResult> candidates = new ArrayList<>();
        f.array("candidates").forEach(c -> candidates.add(candidate(c)));
        List<Comparison> comparisons = new ArrayList<>();
        f.array("comparisons").forEach(c -> comparisons.add(comparison(c)));
        return new EvaluationReport(Metric.parse(f.text("metric")), f.decimal("alpha"), f.integer("folds"),
                f.integer("development_rows"), f.integer("test_rows"), candidates, f.text("best"), comparisons,
                f.optionalText("reference"), f.bool("gate", false), f.texts("notes"));
    }

    private static CandidateResult candidate(JsonNode json) {
        Fields f = new Fields(json, "evaluation report candidate");
        Map<String, Object> params = new LinkedHashMap<>();
        f.object("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isIntegralNumber()
                ? (Object) e.getValue().asInt() : (Object) e.getValue().asDouble()));
        List<Double> folds = new ArrayList<>();
        f.array("fold_scores").forEach(n -> folds.add(decimal(n)));
        Map<String, Interval> test = new LinkedHashMap<>();
        f.object("test").fields().forEachRemaining(e -> test.put(e.getKey(), new Interval(decimal(e.getValue().get("value")),
                decimal(e.getValue().get("low")), decimal(e.getValue().get("high")), e.getValue().path("resamples").asInt(),
                e.getValue().path("confidence").asDouble())));
        Map<String, String> facts = new LinkedHashMap<>();
        f.object("facts").fields().forEachRemaining(e -> facts.put(e.getKey(), e.getValue().asText()));
        return new CandidateResult(f.text("name"), Algorithm.parse(f.text("algorithm")), params,
                folds.stream().mapToDouble(Double::doubleValue).toArray(), decimal(json.get("cv_mean")), test, facts,
                decimal(json.get("training_seconds")), decimal(json.get("predict_micros_per_row")));
    }

    private static Comparison comparison(JsonNode json) {
        Fields f = new Fields(json, "evaluation report comparison");
        List<TestResult> tests = new ArrayList<>();
        f.array("tests").forEach(t -> tests.add(new TestResult(t.path("test").asText(), decimal(t.get("statistic")),
                decimal(t.get("p")), decimal(t.get("effect")), decimal(t.get("low")), decimal(t.get("high")))));
        return new Comparison(f.text("candidate"), f.text("against"), tests, f.text("primary"),
                decimal(json.get("adjusted_p")), f.bool("better", false));
    }

    private static double decimal(JsonNode node) {
        return node == null || node.isNull() ? Double.NaN : node.asDouble();
    }
}

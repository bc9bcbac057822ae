package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.FeatureLookup;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.log.ExportFormat;
import dev.seer.serving.log.PredictionLog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The predict API: {@code POST /api/v1/predict/{deployment}} with one row ({@code entity} and/or
 * {@code features}) or many ({@code rows}). Every prediction is durable in the log before the
 * answer is sent; one that is not is never answered 200.
 */
public final class PredictOperations {
    /** Rows to score by a deployment. */
    public record Predict(String deployment, List<Predictor.Row> rows) {}

    /** One answered prediction. */
    public record Prediction(String id, ModelRef model, Arm arm, List<Double> output, List<String> missing,
            Optional<String> degraded) {}

    /** The answer: the deployment's revision that scored, and one prediction per row, in order. */
    public record Predicted(String deployment, long revision, List<Prediction> predictions) {}

    /** The most rows one request may carry (the online store's lookup limit). */
    static final int MAX_ROWS = FeatureLookup.MAX_ENTITIES;

    public static final Operation<Predict, Predicted> PREDICT = Operation
            .<Predict, Predicted>post("predict", "/api/v1/predict/{deployment}").roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(PredictOperations::predict, PredictOperations::predict))
            .response(Codec.of(PredictOperations::predicted, PredictOperations::predicted))
            .handler((services, p, call) -> answer(services.serving().predict(p.deployment(), p.rows())));

    /** A logged prediction to read, with its explanation computed on demand when asked. */
    public record Show(String id, boolean explain) {}

    /** A logged prediction, and when asked its explanation: per output, base and one contribution per input. */
    public record Logged(dev.seer.serving.log.Prediction prediction, List<dev.seer.explain.Attribution> explanation) {}

    /**
     * A logged prediction by id, as the log holds it: deployment, arm, model version, every feature
     * value the model saw with its source and event time, the output and the latency; with {@code
     * explain=true}, explained on demand from those values by the version's exact explainer
     * (TreeSHAP on the margin, linear SHAP), so it explains what the model saw then.
     */
    public static final Operation<Show, Logged> PREDICTION = Operation
            .<Show, Logged>get("predictions.show", "/api/v1/predictions/{id}")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(show -> Json.object().put("id", show.id()).put("explain", Boolean.toString(show.explain())),
                    node -> new Show(Fields.text(node, "id"), node.path("explain").asText("false").equals("true"))))
            .response(Codec.of(PredictOperations::logged, PredictOperations::logged))
            .handler(PredictOperations::show);

    /** Whether a listing or export holds the shadows' predictions: not (the default), as well, or only them. */
    public enum Shadows { EXCLUDE, INCLUDE, ONLY }

    /**
     * Which logged predictions: every condition given must hold (see {@link PredictionFilters}).
     *
     * @param model a model's name, or {@code NAME:VERSION} for one version
     * @param from  inclusive
     * @param to    exclusive
     */
    public record Filter(Optional<String> deployment, Map<String, String> entity, Optional<Instant> from,
            Optional<Instant> to, Optional<String> model, Shadows shadows) {
        public Filter {
            requireNonNull(deployment, "deployment is null");
            entity = Map.copyOf(entity);
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            requireNonNull(model, "model is null");
            requireNonNull(shadows, "shadows is null");
            PredictionFilters.check(deployment, entity, from, to, model);
        }
    }

    /** One page of a listing, newest first: at most {@code limit}, after the prediction {@code after} when given. */
    public record Listing(Filter filter, int limit, Optional<String> after) {
        public Listing {
            requireNonNull(filter, "filter is null");
            PredictionFilters.checkLimit("limit", limit, MAX_PAGE);
            requireNonNull(after, "after is null");
        }
    }

    /** The most predictions one page holds. */
    public static final int MAX_PAGE = 1000;

    /** The page size when the request gives none. */
    public static final int DEFAULT_PAGE = 100;

    /**
     * A page of the log, newest first; {@code next} is the {@code after} of the following page.
     * Read by every role, as one prediction is.
     */
    public static final Operation<Listing, PredictionLog.Page> LIST = Operation
            .<Listing, PredictionLog.Page>get("predictions.list", "/api/v1/predictions")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(PredictOperations::listing, PredictOperations::listing))
            .response(Codec.of(PredictOperations::page, PredictOperations::page))
            .handler((services, l, call) -> services.serving().log().log().page(PredictionFilters.query(l.filter(), true)
                    .withLimit(l.limit()), l.after()));

    /** The predictions of a filter written to {@code out} (a server path, or the response body) in {@code format}. */
    public record Export(Filter filter, ExportFormat format, Path out) {}

    /** Where the export went, in which format, and how many predictions it holds. */
    public record Exported(Path out, ExportFormat format, long count) {}

    /**
     * Every prediction of a filter, in log order, as Parquet or JSON lines ({@code format}); an
     * {@code out} left out is the response body. Every role may export what it may list.
     */
    public static final Operation<Export, Exported> EXPORT = Operation
            .<Export, Exported>post("predictions.export", "/api/v1/predictions/export")
            .roles(ADMIN, SCIENTIST) // it may write (and replace) a file in the file roots, as dataset export
            .output(new Operation.FileOutput("out", "predictions", body -> format(body).id()))
            .request(Codec.of(PredictOperations::export, PredictOperations::export))
            .response(Codec.of(PredictOperations::exported, PredictOperations::exported))
            .handler((services, e, call) -> new Exported(e.out(), e.format(), services.serving().log().log().export(e.out(),
                    e.format(), PredictionFilters.query(e.filter(), false))));

    static final List<Operation<?, ?>> ALL = List.of(PREDICT, PREDICTION, LIST, EXPORT);

    private PredictOperations() {}

    static Predicted answer(Predictor.Answer answer) {
        Deployment d = answer.deployment();
        List<Prediction> predictions = new ArrayList<>(answer.predictions().size());
        for (Predictor.Predicted p : answer.predictions()) {
            List<Double> output = new ArrayList<>(p.output().length);
            for (double v : p.output()) {
                output.add(v);
            }
            predictions.add(new Prediction(p.id(), p.model(), p.arm(), output, p.missing(), p.degraded()));
        }
        return new Predicted(d.name(), d.revision(), predictions);
    }

    private static Logged show(SeerServices services, Show show, Call call) {
        dev.seer.serving.log.Prediction p = services.serving().log().log().get(show.id());
        if (!show.explain()) {
            return new Logged(p, List.of());
        }
        var loaded = services.explainedModels().load(p.model(), Optional.of(p.modelVersion()), Optional.empty());
        if (loaded.explainer() == null) {
            throw new SeerException(ServingErrorCode.INVALID_INPUT, "Model " + p.modelRef() + " has no exact explainer (an"
                    + " ONNX model is explained by KernelSHAP against a background: POST /api/v1/explain)",
                    Map.of("field", "explain"));
        }
        double[] row = new double[p.features().size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = p.features().get(i).value();
        }
        return new Logged(p, loaded.explainer().explain(row));
    }

    private static ObjectNode logged(Logged l) {
        ObjectNode json = l.prediction().toJson();
        if (!l.explanation().isEmpty()) {
            json.set("explanation", ExplainOperations.attributions(l.explanation(), inputs(l.prediction())));
        }
        return json;
    }

    private static Logged logged(JsonNode json) {
        dev.seer.serving.log.Prediction p = dev.seer.serving.log.Prediction.fromJson(json);
        return new Logged(p, json.has("explanation") ? ExplainOperations.attributions(json.get("explanation"), inputs(p))
                : List.of());
    }

    private static List<String> inputs(dev.seer.serving.log.Prediction p) {
        return p.features().stream().map(dev.seer.serving.log.Prediction.Feature::name).toList();
    }

    private static ObjectNode predict(Predict p) {
        ObjectNode json = Json.object().put("deployment", p.deployment());
        ArrayNode rows = json.putArray("rows");
        for (Predictor.Row row : p.rows()) {
            ObjectNode r = rows.addObject();
            ObjectNode entity = r.putObject("entity");
            row.entity().forEach(entity::put);
            ObjectNode features = r.putObject("features");
            row.given().forEach((k, v) -> {
                if (Double.isNaN(v)) {
                    features.putNull(k);
                } else {
                    features.put(k, v);
                }
            });
        }
        return json;
    }

    /** Body: {@code rows: [{entity, features}]}, or one row's {@code entity} and {@code features} at the top. */
    private static Predict predict(JsonNode body) {
        String deployment = Deployment.checkName(Fields.text(body, "deployment"));
        List<Predictor.Row> rows = new ArrayList<>();
        if (body.has("rows")) {
            JsonNode given = body.get("rows");
            if (!given.isArray() || given.isEmpty() || given.size() > MAX_ROWS) {
                throw invalid("[rows] must hold 1 to " + MAX_ROWS + " rows", "rows");
            }
            for (int i = 0; i < given.size(); i++) {
                rows.add(row(given.get(i), "rows[" + i + "]."));
            }
        } else {
            rows.add(row(body, ""));
        }
        return new Predict(deployment, rows);
    }

    /** One row as the route takes it ({@code at}: its place in the body, for messages); also a stream record's form. */
    static Predictor.Row row(JsonNode row, String at) {
        if (!row.isObject()) {
            throw invalid("[" + at + "] must be an object with [entity] and/or [features]", at);
        }
        Map<String, String> entity = new LinkedHashMap<>();
        JsonNode keys = row.path("entity");
        if (!keys.isMissingNode() && !keys.isObject()) {
            throw invalid("[" + at + "entity] must map join keys to values", at + "entity");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
            var key = it.next();
            if (!key.getValue().isTextual() && !key.getValue().isIntegralNumber()) {
                throw invalid("[" + at + "entity." + key.getKey() + "] must be text or a whole number", at + "entity."
                        + key.getKey());
            }
            entity.put(key.getKey(), key.getValue().asText());
        }
        Map<String, Double> features = new LinkedHashMap<>();
        JsonNode values = row.path("features");
        if (!values.isMissingNode() && !values.isObject()) {
            throw invalid("[" + at + "features] must map feature names to numbers", at + "features");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = f.getValue();
            if (v.isNull()) {
                features.put(f.getKey(), Double.NaN);
            } else if (v.isNumber() && Double.isFinite(v.doubleValue())) {
                features.put(f.getKey(), v.doubleValue());
            } else if (v.isBoolean()) {
                features.put(f.getKey(), v.booleanValue() ? 1.0 : 0.0);
            } else {
                throw invalid("[" + at + "features." + f.getKey() + "] must be a finite number or null, not [" + v + "]",
                        at + "features." + f.getKey());
            }
        }
        if (entity.isEmpty() && features.isEmpty()) {
            throw invalid("[" + (at.isEmpty() ? "request" : at.substring(0, at.length() - 1)) + "] gives neither [entity]"
                    + " nor [features]", at.isEmpty() ? "entity" : at + "entity");
        }
        return new Predictor.Row(entity, features);
    }

    private static ObjectNode predicted(Predicted p) {
        ObjectNode json = Json.object().put("deployment", p.deployment()).put("revision", p.revision());
        ArrayNode predictions = json.putArray("predictions");
        for (Prediction one : p.predictions()) {
            prediction(predictions.addObject(), one);
        }
        return json;
    }

    /** One prediction's fields into {@code o}: also the value of a scored stream record. */
    static ObjectNode prediction(ObjectNode o, Prediction one) {
        o.put("id", one.id()).put("model", one.model().toString()).put("arm", one.arm().id());
        ArrayNode output = o.putArray("output");
        for (double v : one.output()) {
            if (Double.isFinite(v)) {
                output.add(v);
            } else {
                output.addNull();
            }
        }
        one.missing().forEach(o.putArray("missing")::add);
        one.degraded().ifPresent(reason -> o.put("degraded", reason));
        return o;
    }

    private static Predicted predicted(JsonNode json) {
        List<Prediction> predictions = new ArrayList<>();
        for (JsonNode o : json.path("predictions")) {
            List<Double> output = new ArrayList<>();
            o.path("output").forEach(v -> output.add(v.isNumber() ? v.asDouble() : Double.NaN));
            List<String> missing = new ArrayList<>();
            o.path("missing").forEach(m -> missing.add(m.asText()));
            predictions.add(new Prediction(o.path("id").asText(), ModelRef.parse(o.path("model").asText(), "model"),
                    Arm.valueOf(o.path("arm").asText().toUpperCase(java.util.Locale.ROOT)), output, missing,
                    o.hasNonNull("degraded") ? Optional.of(o.get("degraded").asText()) : Optional.empty()));
        }
        return new Predicted(json.path("deployment").asText(), json.path("revision").asLong(), predictions);
    }

    private static ObjectNode listing(Listing l) {
        ObjectNode node = PredictionFilters.encode(Json.object(), l.filter(), true).put("limit", Integer.toString(l.limit()));
        l.after().ifPresent(a -> node.put("after", a));
        return node;
    }

    private static Listing listing(JsonNode node) {
        Optional<String> after = PredictionFilters.text(node, "after");
        long limit = PredictionFilters.number(node, "limit", DEFAULT_PAGE);
        return new Listing(PredictionFilters.decode(node), PredictionFilters.checkLimit("limit", limit, MAX_PAGE), after);
    }

    private static ObjectNode page(PredictionLog.Page page) {
        ObjectNode node = Json.object();
        ArrayNode predictions = node.putArray("predictions");
        page.predictions().forEach(p -> predictions.add(p.toJson()));
        page.next().ifPresent(n -> node.put("next", n));
        return node;
    }

    private static PredictionLog.Page page(JsonNode node) {
        List<dev.seer.serving.log.Prediction> predictions = new ArrayList<>();
        node.path("predictions").forEach(p -> predictions.add(dev.seer.serving.log.Prediction.fromJson(p)));
        return new PredictionLog.Page(predictions, Optional.ofNullable(node.get("next")).map(JsonNode::asText));
    }

    private static ObjectNode export(Export e) {
        return PredictionFilters.encode(Json.object(), e.filter(), false).put("format", e.format().id())
                .put("out", e.out().toString());
    }

    private static Export export(JsonNode node) {
        return new Export(PredictionFilters.decode(node), format(node), Path.of(Fields.text(node, "out")));
    }

    /** The body's {@code format}: parquet (the default) or jsonl; checked before it names the scratch file. */
    private static ExportFormat format(JsonNode body) {
        return PredictionFilters.text(body, "format").map(f -> ExportFormat.parse(f, "format")).orElse(ExportFormat.PARQUET);
    }

    private static ObjectNode exported(Exported e) {
        return Json.object().put("out", e.out().toString()).put("format", e.format().id()).put("count", e.count());
    }

    private static Exported exported(JsonNode node) {
        return new Exported(Path.of(Fields.text(node, "out")), ExportFormat.parse(node.path("format").asText(), "format"),
                node.path("count").asLong());
    }

    private static SeerException invalid(String message, String field) {
        return new SeerException(ServingErrorCode.INVALID_INPUT, message, Map.of("field", field));
    }
}

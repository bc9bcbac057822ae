package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.explain.Attribution;
import dev.seer.explain.Counterfactuals;
import dev.seer.explain.Explainer;
import dev.seer.explain.KernelShap;
import dev.seer.explain.Scale;
import dev.seer.explain.WhatIf;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explanations through the API (issue 16): a registered version's predictions explained row by
 * row ({@code POST /api/v1/explain}), what-if ({@code POST /api/v1/what-if}), counterfactuals
 * ({@code POST /api/v1/counterfactual}) and the recorded global explanations. An ONNX version has
 * no exact explainer: it is opened per request and explained by KernelSHAP against the request's
 * background, and its counterfactuals search from the request's reference rows. Rows are objects
 * of the model's features by name; a row that lacks one, names one the model does not take, or
 * gives text where a number belongs is refused naming the row and the feature; {@code null} is a
 * missing value. Every call is in the audit log (who explained which version, how many rows), the
 * regulator's trail of who looked at whose explanation.
 */
public final class ExplainOperations {
    /** Rows one request may explain. */
    static final int MAX_ROWS = 10_000;
    /** Rows one request may explain by KernelSHAP (about half a second each). */
    static final int MAX_KERNEL_ROWS = 100;

    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};

    /** Which version: a number, or an alias (the champion when neither is given). */
    public record Target(String model, Optional<Integer> version, Optional<String> alias) {}

    /** Rows to explain; {@code background} rows switch trees to interventional TreeSHAP. */
    public record Explain(Target target, List<Map<String, Double>> rows, List<Map<String, Double>> background) {}

    /** The answer: per row, one attribution per output. */
    public record Explained(String model, int version, String method, String scale, List<String> features,
            List<List<Attribution>> rows) {}

    /**
     * A row and the features to change in it; {@code background} rows as for {@link Explain}
     * (interventional TreeSHAP, or KernelSHAP for an ONNX version, which needs them).
     */
    public record WhatIfRequest(Target target, Map<String, Double> row, Map<String, Double> changes,
            List<Map<String, Double>> background) {}

    /** The answer: outputs and attributions before and after. */
    public record WhatIfAnswer(String model, int version, String method, List<String> features, WhatIf whatIf) {}

    public static final Operation<Explain, Explained> EXPLAIN = Operation.<Explain, Explained>post("explain",
            "/api/v1/explain").roles(READERS)
            .request(Codec.of(ExplainOperations::encode, ExplainOperations::explainRequest))
            .response(Codec.of(ExplainOperations::encode, ExplainOperations::explained))
            .handler(ExplainOperations::explain);

    public static final Operation<WhatIfRequest, WhatIfAnswer> WHAT_IF = Operation.<WhatIfRequest, WhatIfAnswer>post(
            "what-if", "/api/v1/what-if").roles(READERS)
            .request(Codec.of(ExplainOperations::encode, ExplainOperations::whatIfRequest))
            .response(Codec.of(ExplainOperations::encode, ExplainOperations::whatIfAnswer))
            .handler(ExplainOperations::whatIf);

    /**
     * A version's global explanations as its training run recorded them (mean |SHAP|, permutation
     * importance with intervals, partial dependence with ICE curves, the counterfactuals' reference sample).
     */
    public static final Operation<ModelOperations.VersionRef, JsonNode> IMPORTANCE = Operation
            .<ModelOperations.VersionRef, JsonNode>get("models.importance", "/api/v1/models/{model}/versions/{version}/importance")
            .roles(READERS)
            .request(Codec.of(v -> Json.object().put("model", v.model()).put("version", Integer.toString(v.version())),
                    node -> new ModelOperations.VersionRef(Fields.text(node, "model"), ModelOperations.version(node))))
            .response(Codec.of(node -> node, node -> node))
            .handler(ExplainOperations::importance);

    /**
     * What a counterfactual must reach, and what each feature may do; {@code reference} rows, when
     * given, replace the training run's recorded sample (a version Seer did not train has none).
     */
    public record CounterfactualRequest(Target target, Map<String, Double> row, Optional<Double> threshold,
            Optional<Boolean> atLeast, int output, Map<String, Counterfactuals.Constraint> constraints, int count,
            int budget, List<Map<String, Double>> reference) {}

    /** The answer: counterfactuals nearest first, or none, with the rows evaluated. */
    public record CounterfactualAnswer(String model, int version, List<String> features, double[] prediction,
            Counterfactuals.Goal goal, Counterfactuals.Result result) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CounterfactualAnswer a && model.equals(a.model) && version == a.version
                    && features.equals(a.features) && java.util.Arrays.equals(prediction, a.prediction) && goal.equals(a.goal)
                    && result.equals(a.result);
        }

        @Override
        public int hashCode() {
            return (model.hashCode() * 31 + version) * 31 + result.hashCode();
        }
    }

    public static final Operation<CounterfactualRequest, CounterfactualAnswer> COUNTERFACTUAL = Operation
            .<CounterfactualRequest, CounterfactualAnswer>post("counterfactual", "/api/v1/counterfactual").roles(READERS)
            .request(Codec.of(ExplainOperations::encode, ExplainOperations::counterfactualRequest))
            .response(Codec.of(ExplainOperations::encode, ExplainOperations::counterfactualAnswer))
            .handler(ExplainOperations::counterfactual);

    /** Counterfactuals asked for at most, and rows evaluated at most, in one request. */
    static final int MAX_COUNT = 10;
    static final int MAX_BUDGET = 200_000;

    static final List<Operation<?, ?>> ALL = List.of(EXPLAIN, WHAT_IF, IMPORTANCE, COUNTERFACTUAL);

    /**
     * The goal defaults to the other side of 0.5 from the row's probability (flip the decision);
     * distances and candidate values come from the reference sample the training run recorded.
     */
    static CounterfactualAnswer counterfactual(SeerServices services, CounterfactualRequest request, Call call) {
        ExplainedModels.Loaded loaded = services.explainedModels().load(request.target().model(), request.target().version(),
                request.target().alias());
        List<String> features = loaded.signature().names();
        double[] row = matrix(List.of(request.row()), features, "row")[0];
        double[][] reference = request.reference().isEmpty() ? reference(services, loaded, features)
                : matrix(request.reference(), features, "reference");
        if (loaded.format() != ModelFormat.ONNX) {
            return counterfactual(services, request, call, loaded, row, reference, loaded.explainer()::predict,
                    loaded.format() == ModelFormat.SEER_LINEAR ? Map.of()
                            : Counterfactuals.thresholds(dev.seer.models.TreeEnsemble.read(loaded.format(), loaded.bytes())));
        }
        try (Model model = Models.load(loaded.format(), loaded.bytes(), loaded.signature())) {
            // no split thresholds to try: the search steps through the reference sample's quantiles
            return counterfactual(services, request, call, loaded, row, reference, model::predict, Map.of());
        }
    }

    private static CounterfactualAnswer counterfactual(SeerServices services, CounterfactualRequest request, Call call,
            ExplainedModels.Loaded loaded, double[] row, double[][] reference, dev.seer.explain.Predictor model,
            Map<Integer, double[]> thresholds) {
        List<String> features = loaded.signature().names();
        double[] prediction = model.predict(new double[][] {row})[0];
        if (request.output() < 0 || request.output() >= prediction.length) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[output] must be 0 to " + (prediction.length - 1),
                    Map.of("field", "output"));
        }
        double threshold = request.threshold().orElse(0.5);
        boolean atLeast = request.atLeast().orElse(prediction[request.output()] < threshold);
        Counterfactuals.Goal goal = new Counterfactuals.Goal(request.output(), threshold, atLeast);
        Counterfactuals.Result result = Counterfactuals.search(model, features, row, goal, request.constraints(),
                reference, thresholds, request.count(), request.budget());
        audit(services, call, "model.counterfactual", loaded, Json.object().put("found", result.found().size())
                .put("evaluated", result.evaluated()).put("reference_rows", request.reference().size()));
        return new CounterfactualAnswer(loaded.version().name(), loaded.version().version(), features, prediction, goal,
                result);
    }

    private static double[][] reference(SeerServices services, ExplainedModels.Loaded loaded, List<String> features) {
        Optional<JsonNode> explanations = loaded.version().runId().map(id -> services.tracking().run(id))
                .flatMap(run -> ModelCards.explanations(services, run));
        JsonNode recorded = explanations.map(e -> e.path("reference")).orElse(null);
        if (recorded == null || recorded.size() == 0 || !Fields.texts(explanations.get(), "features").equals(features)) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Model " + loaded.version().name() + ":"
                    + loaded.version().version() + " has no recorded reference sample of its training data (a version"
                    + " Seer trained has one), which counterfactuals measure distance by: give [reference] rows",
                    Map.of("field", "reference"));
        }
        double[][] rows = new double[recorded.size()][features.size()];
        for (int r = 0; r < rows.length; r++) {
            for (int f = 0; f < features.size(); f++) {
                JsonNode v = recorded.get(r).get(f);
                rows[r][f] = v == null || v.isNull() ? Double.NaN : v.asDouble();
            }
        }
        return rows;
    }

    static JsonNode importance(SeerServices services, ModelOperations.VersionRef ref, Call call) {
        var version = services.models().version(ref.model(), ref.version());
        var run = version.runId().map(id -> services.tracking().run(id)).orElseThrow(() -> new SeerException(
                dev.seer.registry.RegistryErrorCode.NOT_FOUND, "Model " + version + " was not trained by Seer: it has no"
                + " recorded global explanations; explain its predictions with POST /api/v1/explain",
                Map.of("model", version.toString())));
        return ModelCards.explanations(services, run).orElseThrow(() -> new SeerException(
                dev.seer.registry.RegistryErrorCode.NOT_FOUND, "The run of model " + version + " recorded no global"
                + " explanations" + run.tags().getOrDefault("seer.explanations", ""), Map.of("model", version.toString())));
    }

    private ExplainOperations() {}

    static Explained explain(SeerServices services, Explain request, Call call) {
        ExplainedModels.Loaded loaded = services.explainedModels().load(request.target().model(), request.target().version(),
                request.target().alias());
        List<String> features = loaded.signature().names();
        double[][] rows = matrix(request.rows(), features, "rows");
        if (loaded.format() == ModelFormat.ONNX) {
            return kernel(services, request, call, loaded, rows);
        }
        Explainer explainer = request.background().isEmpty() ? loaded.explainer()
                : loaded.against(matrix(request.background(), features, "background"));
        List<List<Attribution>> explained = explainer.explainAll(rows);
        audit(services, call, "model.explained", loaded, Json.object().put("rows", rows.length)
                .put("method", explainer.method()).put("background_rows", request.background().size()));
        return new Explained(loaded.version().name(), loaded.version().version(), explainer.method(),
                explainer.scale().id(), features, explained);
    }

    /**
     * An ONNX version, explained by KernelSHAP against the request's background with the ONNX
     * Runtime session opened for this request and closed after it (about half a second a row at
     * shap's default budget, so fewer rows per request).
     */
    /** The background KernelSHAP needs for an ONNX version: the request must give it. */
    private static double[][] kernelBackground(List<Map<String, Double>> background, ExplainedModels.Loaded loaded,
            String what) {
        if (background.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Model " + loaded.version().name() + ":"
                    + loaded.version().version() + " is ONNX: it is " + what + " by KernelSHAP against [background] rows,"
                    + " which the request must give", Map.of("field", "background"));
        }
        return matrix(background, loaded.signature().names(), "background");
    }

    private static Explained kernel(SeerServices services, Explain request, Call call, ExplainedModels.Loaded loaded,
            double[][] rows) {
        if (rows.length > MAX_KERNEL_ROWS) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "KernelSHAP explains at most " + MAX_KERNEL_ROWS
                    + " rows a request; [rows] holds [" + rows.length + "]", Map.of("field", "rows"));
        }
        double[][] background = kernelBackground(request.background(), loaded, "explained");
        try (Model model = Models.load(loaded.format(), loaded.bytes(), loaded.signature())) {
            KernelShap explainer = KernelShap.of(model, background, KernelShap.AUTO, 0);
            List<List<Attribution>> explained = explainer.explainAll(rows);
            audit(services, call, "model.explained", loaded, Json.object().put("rows", rows.length)
                    .put("method", explainer.method()).put("background_rows", background.length));
            return new Explained(loaded.version().name(), loaded.version().version(), explainer.method(),
                    explainer.scale().id(), loaded.signature().names(), explained);
        }
    }

    static WhatIfAnswer whatIf(SeerServices services, WhatIfRequest request, Call call) {
        ExplainedModels.Loaded loaded = services.explainedModels().load(request.target().model(), request.target().version(),
                request.target().alias());
        List<String> features = loaded.signature().names();
        double[] row = matrix(List.of(request.row()), features, "row")[0];
        if (loaded.format() != ModelFormat.ONNX) {
            Explainer explainer = request.background().isEmpty() ? loaded.explainer()
                    : loaded.against(matrix(request.background(), features, "background"));
            return whatIf(services, request, call, loaded, row, explainer);
        }
        double[][] background = kernelBackground(request.background(), loaded, "what-if");
        try (Model model = Models.load(loaded.format(), loaded.bytes(), loaded.signature())) {
            return whatIf(services, request, call, loaded, row, KernelShap.of(model, background, KernelShap.AUTO, 0));
        }
    }

    private static WhatIfAnswer whatIf(SeerServices services, WhatIfRequest request, Call call,
            ExplainedModels.Loaded loaded, double[] row, Explainer explainer) {
        WhatIf answer = WhatIf.of(explainer::predict, explainer, row, request.changes());
        audit(services, call, "model.what_if", loaded, Json.object().put("changed", String.join(",",
                request.changes().keySet())).put("method", explainer.method())
                .put("background_rows", request.background().size()));
        return new WhatIfAnswer(loaded.version().name(), loaded.version().version(), explainer.method(),
                loaded.signature().names(), answer);
    }

    private static void audit(SeerServices services, Call call, String action, ExplainedModels.Loaded loaded,
            ObjectNode payload) {
        services.audit().append(new AuditRecord(call.actor(), action, "model", loaded.version().name(),
                payload.put("version", loaded.version().version()))).join();
    }

    /** Rows of named values in the signature's order; refuses a missing, unknown or non-numeric feature, naming it. */
    static double[][] matrix(List<Map<String, Double>> rows, List<String> features, String field) {
        if (rows.isEmpty() || rows.size() > MAX_ROWS) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must hold 1 to " + MAX_ROWS
                    + " rows; it holds [" + rows.size() + "]", Map.of("field", field));
        }
        double[][] out = new double[rows.size()][features.size()];
        java.util.Set<String> known = new java.util.HashSet<>(features);
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Double> row = rows.get(r);
            for (String name : row.keySet()) {
                if (!known.contains(name)) {
                    throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, field + "[" + r + "] has feature [" + name
                            + "], which the model does not take: " + features, Map.of("field", field, "row", r,
                            "feature", name));
                }
            }
            for (int f = 0; f < features.size(); f++) {
                if (!row.containsKey(features.get(f))) {
                    throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, field + "[" + r + "] lacks feature ["
                            + features.get(f) + "] (give null for a missing value)", Map.of("field", field, "row", r,
                            "feature", features.get(f)));
                }
                Double value = row.get(features.get(f));
                out[r][f] = value == null ? Double.NaN : value;
            }
        }
        return out;
    }

    // ---- codecs ----

    private static ObjectNode target(Target t, ObjectNode node) {
        node.put("model", t.model());
        t.version().ifPresent(v -> node.put("version", v));
        t.alias().ifPresent(a -> node.put("alias", a));
        return node;
    }

    private static Target target(JsonNode node) {
        long version = Fields.wholeNumber(node, "version", 0);
        if (version < 0 || version > Integer.MAX_VALUE || (node.hasNonNull("version") && version == 0)) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[version] must be a positive whole number, got ["
                    + version + "]", Map.of("field", "version"));
        }
        return new Target(Fields.text(node, "model"), version == 0 ? Optional.empty() : Optional.of((int) version),
                Fields.optional(node, "alias"));
    }

    private static ObjectNode encode(Explain e) {
        ObjectNode node = target(e.target(), Json.object());
        node.set("rows", rowsJson(e.rows()));
        if (!e.background().isEmpty()) {
            node.set("background", rowsJson(e.background()));
        }
        return node;
    }

    private static Explain explainRequest(JsonNode node) {
        return new Explain(target(node), rows(node, "rows"), node.has("background") ? rows(node, "background") : List.of());
    }

    private static ObjectNode encode(WhatIfRequest w) {
        ObjectNode node = target(w.target(), Json.object());
        node.set("row", rowJson(w.row()));
        node.set("changes", rowJson(w.changes()));
        if (!w.background().isEmpty()) {
            node.set("background", rowsJson(w.background()));
        }
        return node;
    }

    private static WhatIfRequest whatIfRequest(JsonNode node) {
        return new WhatIfRequest(target(node), row(node.get("row"), "row"), row(node.get("changes"), "changes"),
                node.has("background") ? rows(node, "background") : List.of());
    }

    private static ArrayNode rowsJson(List<Map<String, Double>> rows) {
        ArrayNode array = Json.mapper().createArrayNode();
        rows.forEach(r -> array.add(rowJson(r)));
        return array;
    }

    private static ObjectNode rowJson(Map<String, Double> row) {
        ObjectNode node = Json.object();
        row.forEach((k, v) -> {
            if (v == null || v.isNaN()) {
                node.putNull(k);
            } else {
                node.put(k, v);
            }
        });
        return node;
    }

    private static List<Map<String, Double>> rows(JsonNode node, String field) {
        JsonNode array = node.get(field);
        if (array == null || !array.isArray()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a list of rows, each an object"
                    + " of feature values", Map.of("field", field));
        }
        List<Map<String, Double>> rows = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            rows.add(row(array.get(i), field + "[" + i + "]"));
        }
        return rows;
    }

    private static Map<String, Double> row(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be an object of feature values",
                    Map.of("field", field));
        }
        Map<String, Double> row = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = e.getValue();
            if (!value.isNull() && !(value.isNumber() && Double.isFinite(value.doubleValue()))) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, field + " feature [" + e.getKey()
                        + "] must be a finite number or null, got [" + value + "]", Map.of("field", field, "feature",
                        e.getKey()));
            }
            row.put(e.getKey(), value.isNull() ? null : value.doubleValue());
        }
        return row;
    }

    private static ObjectNode attribution(Attribution a, List<String> features) {
        ObjectNode node = Json.object().put("output", a.output()).put("scale", a.scale().id()).put("base", a.base())
                .put("value", a.value());
        ObjectNode contributions = node.putObject("contributions");
        for (int f = 0; f < features.size(); f++) {
            contributions.put(features.get(f), a.contribution(f));
        }
        return node;
    }

    private static Attribution attribution(JsonNode node, List<String> features) {
        double[] contributions = new double[features.size()];
        for (int f = 0; f < features.size(); f++) {
            contributions[f] = node.path("contributions").path(features.get(f)).asDouble();
        }
        Scale scale = java.util.Arrays.stream(Scale.values()).filter(s -> s.id().equals(node.path("scale").asText()))
                .findFirst().orElse(Scale.MARGIN);
        return new Attribution(node.path("output").asText(), scale, node.path("base").asDouble(), contributions,
                node.path("value").asDouble());
    }

    static ArrayNode attributions(List<Attribution> list, List<String> features) {
        ArrayNode array = Json.mapper().createArrayNode();
        list.forEach(a -> array.add(attribution(a, features)));
        return array;
    }

    static List<Attribution> attributions(JsonNode array, List<String> features) {
        List<Attribution> list = new ArrayList<>();
        array.forEach(a -> list.add(attribution(a, features)));
        return list;
    }

    private static ObjectNode encode(Explained e) {
        ObjectNode node = Json.object().put("model", e.model()).put("version", e.version()).put("method", e.method())
                .put("scale", e.scale());
        node.set("features", Json.mapper().valueToTree(e.features()));
        ArrayNode rows = node.putArray("rows");
        e.rows().forEach(r -> rows.add(Json.object().set("outputs", attributions(r, e.features()))));
        return node;
    }

    private static Explained explained(JsonNode node) {
        List<String> features = Fields.texts(node, "features");
        List<List<Attribution>> rows = new ArrayList<>();
        node.path("rows").forEach(r -> rows.add(attributions(r.path("outputs"), features)));
        return new Explained(node.path("model").asText(), node.path("version").asInt(), node.path("method").asText(),
                node.path("scale").asText(), features, rows);
    }

    private static ObjectNode encode(WhatIfAnswer a) {
        ObjectNode node = Json.object().put("model", a.model()).put("version", a.version()).put("method", a.method());
        node.set("features", Json.mapper().valueToTree(a.features()));
        node.set("changes", rowJson(a.whatIf().changes()));
        node.set("before", Json.mapper().valueToTree(a.whatIf().before()));
        node.set("after", Json.mapper().valueToTree(a.whatIf().after()));
        node.set("explained_before", attributions(a.whatIf().explainedBefore(), a.features()));
        node.set("explained_after", attributions(a.whatIf().explainedAfter(), a.features()));
        return node;
    }

    private static WhatIfAnswer whatIfAnswer(JsonNode node) {
        List<String> features = Fields.texts(node, "features");
        WhatIf whatIf = new WhatIf(row(node.get("changes"), "changes"), doubles(node.get("before")),
                doubles(node.get("after")), attributions(node.path("explained_before"), features),
                attributions(node.path("explained_after"), features));
        return new WhatIfAnswer(node.path("model").asText(), node.path("version").asInt(), node.path("method").asText(),
                features, whatIf);
    }

    private static ObjectNode encode(CounterfactualRequest c) {
        ObjectNode node = target(c.target(), Json.object());
        node.set("row", rowJson(c.row()));
        ObjectNode goal = node.putObject("goal").put("output", c.output());
        c.threshold().ifPresent(t -> goal.put("threshold", t));
        c.atLeast().ifPresent(a -> goal.put("direction", a ? "at_least" : "at_most"));
        ObjectNode constraints = node.putObject("constraints");
        c.constraints().forEach((name, k) -> {
            ObjectNode one = constraints.putObject(name).put("immutable", k.immutable()).put("step", k.step())
                    .put("direction", k.direction().name().toLowerCase(java.util.Locale.ROOT));
            if (Double.isFinite(k.min())) {
                one.put("min", k.min());
            }
            if (Double.isFinite(k.max())) {
                one.put("max", k.max());
            }
        });
        if (!c.reference().isEmpty()) {
            node.set("reference", rowsJson(c.reference()));
        }
        return node.put("count", c.count()).put("budget", c.budget());
    }

    private static CounterfactualRequest counterfactualRequest(JsonNode node) {
        JsonNode goal = node.path("goal");
        Optional<Double> threshold = goal.has("threshold") ? Optional.of(number(goal.get("threshold"), "goal.threshold"))
                : Optional.empty();
        Optional<Boolean> atLeast = Optional.empty();
        if (goal.has("direction")) {
            String direction = goal.get("direction").asText();
            if (!direction.equals("at_least") && !direction.equals("at_most")) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[goal.direction] must be at_least or at_most, got ["
                        + direction + "]", Map.of("field", "goal.direction"));
            }
            atLeast = Optional.of(direction.equals("at_least"));
        }
        Map<String, Counterfactuals.Constraint> constraints = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("constraints").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            constraints.put(e.getKey(), constraint(e.getKey(), e.getValue()));
        }
        return new CounterfactualRequest(target(node), row(node.get("row"), "row"), threshold, atLeast,
                output(goal), constraints, bounded(node, "count", 3, MAX_COUNT),
                bounded(node, "budget", 20_000, MAX_BUDGET), node.has("reference") ? rows(node, "reference") : List.of());
    }

    private static int output(JsonNode goal) {
        long output = Fields.wholeNumber(goal, "output", 0);
        if (output < 0 || output > 1_000_000) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[goal.output] must be an output's index, got ["
                    + output + "]", Map.of("field", "goal.output"));
        }
        return (int) output;
    }

    private static Counterfactuals.Constraint constraint(String name, JsonNode node) {
        String field = "constraints." + name;
        if (!node.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be an object of immutable, min,"
                    + " max, step, direction", Map.of("field", field));
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!List.of("immutable", "min", "max", "step", "direction").contains(key)) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "." + key + "] is not a constraint;"
                        + " give immutable, min, max, step or direction", Map.of("field", field + "." + key));
            }
        }
        String direction = node.path("direction").asText("any").toUpperCase(java.util.Locale.ROOT);
        if (!List.of("ANY", "INCREASE", "DECREASE").contains(direction)) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + ".direction] must be any, increase or"
                    + " decrease", Map.of("field", field + ".direction"));
        }
        return new Counterfactuals.Constraint(Fields.flag(node, "immutable"),
                node.has("min") ? number(node.get("min"), field + ".min") : Double.NEGATIVE_INFINITY,
                node.has("max") ? number(node.get("max"), field + ".max") : Double.POSITIVE_INFINITY,
                node.has("step") ? number(node.get("step"), field + ".step") : 0,
                Counterfactuals.Direction.valueOf(direction));
    }

    private static double number(JsonNode value, String field) {
        if (value == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a number, got [" + value + "]",
                    Map.of("field", field));
        }
        return value.doubleValue();
    }

    private static int bounded(JsonNode node, String field, int fallback, int max) {
        long value = Fields.wholeNumber(node, field, fallback);
        if (value < 1 || value > max) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be 1 to " + max + ", got ["
                    + value + "]", Map.of("field", field));
        }
        return (int) value;
    }

    private static ObjectNode encode(CounterfactualAnswer a) {
        ObjectNode node = Json.object().put("model", a.model()).put("version", a.version());
        node.set("features", Json.mapper().valueToTree(a.features()));
        node.set("prediction", Json.mapper().valueToTree(a.prediction()));
        node.putObject("goal").put("output", a.goal().output()).put("threshold", a.goal().threshold())
                .put("direction", a.goal().atLeast() ? "at_least" : "at_most");
        node.put("status", a.result().rowReachesGoal() ? "row reaches goal" : a.result().none() ? "none found" : "found")
                .put("evaluated", a.result().evaluated())
                .put("budget_spent", a.result().budgetSpent());
        ArrayNode found = node.putArray("counterfactuals");
        for (Counterfactuals.Counterfactual c : a.result().found()) {
            ObjectNode one = found.addObject().put("distance", c.distance());
            ArrayNode row = one.putArray("row");
            for (double v : c.row()) {
                if (Double.isNaN(v)) {
                    row.addNull();
                } else {
                    row.add(v);
                }
            }
            ObjectNode changes = one.putObject("changes");
            c.changes().forEach((f, fromTo) -> changes.putObject(f).put("from", fromTo[0]).put("to", fromTo[1]));
            one.set("prediction", Json.mapper().valueToTree(c.prediction()));
        }
        return node;
    }

    private static CounterfactualAnswer counterfactualAnswer(JsonNode node) {
        List<String> features = Fields.texts(node, "features");
        List<Counterfactuals.Counterfactual> found = new ArrayList<>();
        for (JsonNode c : node.path("counterfactuals")) {
            Map<String, double[]> changes = new LinkedHashMap<>();
            c.path("changes").fields().forEachRemaining(e -> changes.put(e.getKey(), new double[] {
                e.getValue().path("from").asDouble(), e.getValue().path("to").asDouble()}));
            double[] row = new double[c.path("row").size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = c.path("row").get(i).isNull() ? Double.NaN : c.path("row").get(i).asDouble();
            }
            found.add(new Counterfactuals.Counterfactual(row, changes, doubles(c.get("prediction")),
                    c.path("distance").asDouble()));
        }
        JsonNode goal = node.path("goal");
        return new CounterfactualAnswer(node.path("model").asText(), node.path("version").asInt(), features,
                doubles(node.get("prediction")), new Counterfactuals.Goal(goal.path("output").asInt(),
                goal.path("threshold").asDouble(), goal.path("direction").asText().equals("at_least")),
                new Counterfactuals.Result(found, node.path("evaluated").asInt(), node.path("budget_spent").asBoolean(),
                        node.path("status").asText().equals("row reaches goal")));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array == null ? 0 : array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}

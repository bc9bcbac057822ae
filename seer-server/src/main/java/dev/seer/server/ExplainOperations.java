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
import dev.seer.explain.Explainer;
import dev.seer.explain.Scale;
import dev.seer.explain.WhatIf;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Explanations through the API (issue 16): a registered version's predictions explained row by
 * row ({@code POST /api/v1/explain}), and what-if ({@code POST /api/v1/what-if}). Rows are objects
 * of the model's features by name; a row that lacks one, names one the model does not take, or
 * gives text where a number belongs is refused naming the row and the feature; {@code null} is a
 * missing value. Every call is in the audit log (who explained which version, how many rows), the
 * regulator's trail of who looked at whose explanation.
 */
public final class ExplainOperations {
    /** Rows one request may explain. */
    static final int MAX_ROWS = 10_000;

    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};

    /** Which version: a number, or an alias (the champion when neither is given). */
    public record Target(String model, Optional<Integer> version, Optional<String> alias) {}

    /** Rows to explain; {@code background} rows switch trees to interventional TreeSHAP. */
    public record Explain(Target target, List<Map<String, Double>> rows, List<Map<String, Double>> background) {}

    /** The answer: per row, one attribution per output. */
    public record Explained(String model, int version, String method, String scale, List<String> features,
            List<List<Attribution>> rows) {}

    /** A row and the features to change in it. */
    public record WhatIfRequest(Target target, Map<String, Double> row, Map<String, Double> changes) {}

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

    static final List<Operation<?, ?>> ALL = List.of(EXPLAIN, WHAT_IF, IMPORTANCE);

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
        Explainer explainer = request.background().isEmpty() ? loaded.explainer()
                : loaded.against(matrix(request.background(), features, "background"));
        List<List<Attribution>> explained = explainer.explainAll(rows);
        audit(services, call, "model.explained", loaded, Json.object().put("rows", rows.length)
                .put("method", explainer.method()).put("background_rows", request.background().size()));
        return new Explained(loaded.version().name(), loaded.version().version(), explainer.method(),
                explainer.scale().id(), features, explained);
    }

    static WhatIfAnswer whatIf(SeerServices services, WhatIfRequest request, Call call) {
        ExplainedModels.Loaded loaded = services.explainedModels().load(request.target().model(), request.target().version(),
                request.target().alias());
        List<String> features = loaded.signature().names();
        double[] row = matrix(List.of(request.row()), features, "row")[0];
        Explainer explainer = loaded.explainer();
        WhatIf answer = WhatIf.of(explainer::predict, explainer, row, request.changes());
        audit(services, call, "model.what_if", loaded, Json.object().put("changed", String.join(",",
                request.changes().keySet())));
        return new WhatIfAnswer(loaded.version().name(), loaded.version().version(), explainer.method(), features, answer);
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
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Double> row = rows.get(r);
            for (String name : row.keySet()) {
                if (!features.contains(name)) {
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
        JsonNode version = node.get("version");
        Optional<Integer> number = Optional.empty();
        if (version != null && !version.isNull()) {
            if (!version.canConvertToInt() || version.asInt() < 1 || !(version.isIntegralNumber() || version.isTextual())) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[version] must be a positive whole number, got ["
                        + version + "]", Map.of("field", "version"));
            }
            number = Optional.of(version.asInt());
        }
        return new Target(Fields.text(node, "model"), number, Fields.optional(node, "alias"));
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
        return node;
    }

    private static WhatIfRequest whatIfRequest(JsonNode node) {
        return new WhatIfRequest(target(node), row(node.get("row"), "row"), row(node.get("changes"), "changes"));
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
            if (!value.isNull() && !value.isNumber()) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, field + " feature [" + e.getKey()
                        + "] must be a number or null, got [" + value + "]", Map.of("field", field, "feature", e.getKey()));
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

    private static ArrayNode attributions(List<Attribution> list, List<String> features) {
        ArrayNode array = Json.mapper().createArrayNode();
        list.forEach(a -> array.add(attribution(a, features)));
        return array;
    }

    private static List<Attribution> attributions(JsonNode array, List<String> features) {
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

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array == null ? 0 : array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}

package dev.seer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.provenance.Codec;
import dev.seer.core.provenance.Fields;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Format 1: {@code {"format": 1, "kind": "seer-linear", "features": ["age"], "weights": [0.5],
 * "intercept": -1.0, "link": "logit"}}. {@code kind} tells this file from other JSON a model store
 * may hold; a file without it, or with another, is refused rather than read as weights.
 */
final class LinearModelCodec implements Codec<LinearModel> {
    static final String KIND = "seer-linear";

    @Override
    public String kind() {
        return "seer-linear model";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public ObjectNode encode(LinearModel model) {
        ObjectNode json = Json.object().put(FORMAT, version()).put("kind", KIND);
        model.features().forEach(json.putArray("features")::add);
        ArrayNode weights = json.putArray("weights");
        for (double w : model.weights()) {
            weights.add(w);
        }
        return json.put("intercept", model.intercept()).put("link", model.link().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public LinearModel decode(JsonNode json) {
        checkVersion(json);
        Fields f = new Fields(json, kind());
        if (!KIND.equals(json.path("kind").asText(null))) {
            throw bad("kind", "[" + KIND + "]", json.get("kind"));
        }
        List<String> features = f.texts("features");
        JsonNode weights = json.get("weights");
        if (weights == null || !weights.isArray()) {
            throw bad("weights", "a list of numbers", weights);
        }
        double[] values = new double[weights.size()];
        for (int i = 0; i < values.length; i++) {
            if (!weights.get(i).isNumber()) {
                throw bad("weights", "a list of numbers", weights);
            }
            values[i] = weights.get(i).asDouble();
        }
        return new LinearModel(features, values, f.decimal("intercept"), link(f.text("link")));
    }

    private LinearModel.Link link(String name) {
        return switch (name) {
            case "identity" -> LinearModel.Link.IDENTITY;
            case "logit" -> LinearModel.Link.LOGIT;
            default -> throw bad("link", "identity or logit", Json.object().textNode(name));
        };
    }

    private SeerException bad(String field, String expected, JsonNode value) {
        return new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "Field [" + field + "] of a " + kind() + " must be "
                + expected + ", not [" + (value == null ? "missing" : value.toString()) + "]",
                Map.of("kind", kind(), "field", field));
    }
}

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
 *
 * <p>Format 2 adds {@code "fill": [41.5]}, the value used in place of a missing one per feature. A
 * model without fill values is still written as format 1, byte for byte as before, so the hashes of
 * models already stored do not change and an older Seer still reads them; only a model that fills
 * is written as format 2, which an older Seer refuses rather than predicting NaN where this one
 * would not.
 */
final class LinearModelCodec implements Codec<LinearModel> {
    static final String KIND = "seer-linear";

    @Override
    public String kind() {
        return "seer-linear model";
    }

    @Override
    public int version() {
        return 2;
    }

    @Override
    public ObjectNode encode(LinearModel model) {
        ObjectNode json = Json.object().put(FORMAT, model.fillsMissingValues() ? 2 : 1).put("kind", KIND);
        model.features().forEach(json.putArray("features")::add);
        ArrayNode weights = json.putArray("weights");
        for (double w : model.weights()) {
            weights.add(w);
        }
        json.put("intercept", model.intercept()).put("link", model.link().name().toLowerCase(Locale.ROOT));
        if (model.fillsMissingValues()) {
            ArrayNode fill = json.putArray("fill");
            for (double v : model.fillValues()) {
                fill.add(v);
            }
        }
        return json;
    }

    @Override
    public LinearModel decode(JsonNode json) {
        int format = checkVersion(json);
        Fields f = new Fields(json, kind());
        if (!KIND.equals(json.path("kind").asText(null))) {
            throw bad("kind", "[" + KIND + "]", json.get("kind"));
        }
        List<String> features = f.texts("features");
        double[] weights = numbers(json, "weights");
        // format 1 has no fill; format 2 always has one (a model without is written as format 1)
        double[] fill = format >= 2 ? numbers(json, "fill") : new double[0];
        return new LinearModel(features, weights, f.decimal("intercept"), link(f.text("link")), fill);
    }

    private double[] numbers(JsonNode json, String field) {
        JsonNode array = json.get(field);
        if (array == null || !array.isArray()) {
            throw bad(field, "a list of numbers", array);
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            if (!array.get(i).isNumber()) {
                throw bad(field, "a list of numbers", array);
            }
            values[i] = array.get(i).asDouble();
        }
        return values;
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

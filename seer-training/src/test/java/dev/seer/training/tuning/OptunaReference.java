package dev.seer.training.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The values make_fixtures.py computed with Optuna 3.1.0 (optuna_reference.json). */
final class OptunaReference {
    private static final JsonNode ROOT = load();

    private OptunaReference() {}

    static JsonNode root() {
        return ROOT;
    }

    private static JsonNode load() {
        try (InputStream in = OptunaReference.class.getResourceAsStream("optuna_reference.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    static Param param(JsonNode p) {
        String name = p.get("name").asText();
        return switch (p.get("type").asText()) {
            case "float" -> new FloatParam(name, p.get("low").asDouble(), p.get("high").asDouble(), p.get("log").asBoolean());
            case "int" -> new IntParam(name, p.get("low").asLong(), p.get("high").asLong(), p.get("log").asBoolean());
            default -> {
                List<Object> choices = new ArrayList<>();
                p.get("choices").forEach(c -> choices.add(c.asText()));
                yield new CategoricalParam(name, choices);
            }
        };
    }
}

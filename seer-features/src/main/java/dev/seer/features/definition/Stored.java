package dev.seer.features.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.features.definition.Definitions.Checks;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Definitions read back from their catalog JSON (the inverse of {@code toJson}). */
public final class Stored {
    private Stored() {}

    public static Source source(JsonNode node) {
        java.util.Map<String, FeatureType> schema = new java.util.LinkedHashMap<>();
        node.path("schema").fields().forEachRemaining(f -> schema.put(f.getKey(), FeatureType.parse(f.getValue().asText())
                .orElseThrow(() -> new IllegalStateException("stored schema type " + f.getValue()))));
        return new Source(node.path("name").asText(), node.path("type").asText(), node.path("path").asText(),
                node.path("format").asText(), node.path("timestamp_field").asText(),
                Optional.ofNullable(node.get("created_timestamp_field")).map(JsonNode::asText),
                node.path("topic").asText(""), schema, Duration.ofSeconds(node.path("allowed_lateness_seconds").asLong(0)),
                Optional.ofNullable(node.get("key_field")).map(JsonNode::asText));
    }

    public static FeatureView view(JsonNode node) {
        List<String> entities = new ArrayList<>();
        node.path("entities").forEach(e -> entities.add(e.asText()));
        List<Feature> features = new ArrayList<>();
        node.path("features").forEach(f -> features.add(feature(f)));
        List<Definitions.Aggregation> aggregations = new ArrayList<>();
        node.path("aggregations").forEach(a -> aggregations.add(new Definitions.Aggregation(a.path("name").asText(),
                Optional.ofNullable(a.get("column")).map(JsonNode::asText), a.path("function").asText(),
                Duration.ofSeconds(a.path("window_seconds").asLong()), Duration.ofSeconds(a.path("step_seconds").asLong(0)))));
        return new FeatureView(node.path("name").asText(), entities, node.path("source").asText(),
                Duration.ofSeconds(node.path("ttl_seconds").asLong()), features, aggregations);
    }

    public static boolean sourceHasCreated(dev.seer.core.catalog.Catalog catalog, String sourceName) {
        return catalog.latest(FeatureRegistry.SOURCE, sourceName).map(s -> s.body().has("created_timestamp_field")).orElse(false);
    }

    public static List<String> joinKeys(JsonNode entity) {
        List<String> keys = new ArrayList<>();
        entity.path("join_keys").forEach(k -> keys.add(k.asText()));
        return keys;
    }

    private static Feature feature(JsonNode node) {
        JsonNode checks = node.path("checks");
        Optional<List<String>> allowed = Optional.empty();
        if (checks.has("allowed")) {
            List<String> values = new ArrayList<>();
            checks.path("allowed").forEach(v -> values.add(v.asText()));
            allowed = Optional.of(values);
        }
        return new Feature(node.path("name").asText(), FeatureType.parse(node.path("type").asText()).orElseThrow(),
                new Checks(checks.path("not_null").asBoolean(false),
                        checks.has("min") ? Optional.of(checks.path("min").asDouble()) : Optional.empty(),
                        checks.has("max") ? Optional.of(checks.path("max").asDouble()) : Optional.empty(), allowed),
                Optional.ofNullable(node.get("expression")).map(JsonNode::asText));
    }
}

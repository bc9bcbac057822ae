package dev.seer.features.definition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.provenance.Fields;
import dev.seer.features.definition.Definitions.Checks;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Definitions read back from their catalog JSON (the inverse of {@code toJson}). A field that
 * {@code toJson} always writes is required, so a damaged entry is refused naming the field
 * instead of read as an empty name or a zero TTL.
 *
 * <p>Internal to seer-features: public only so that ingest, offline and online can reach it; no
 * other module uses it (ArchitectureTest keeps it so).
 */
public final class Stored {
    private Stored() {}

    public static Source source(JsonNode node) {
        Fields f = new Fields(node, "stored source");
        Map<String, FeatureType> schema = new LinkedHashMap<>();
        if (f.present("schema")) {
            f.object("schema").fields().forEachRemaining(e -> schema.put(e.getKey(), type(e.getValue().asText())));
        }
        return new Source(f.text("name"), f.text("type"), f.textOr("path", ""), f.text("format"), f.text("timestamp_field"),
                f.optionalText("created_timestamp_field"), f.textOr("topic", ""), schema,
                Duration.ofSeconds(f.numberOr("allowed_lateness_seconds", 0)), f.optionalText("key_field"));
    }

    public static FeatureView view(JsonNode node) {
        Fields f = new Fields(node, "stored feature view");
        List<Feature> features = new ArrayList<>();
        f.array("features").forEach(feature -> features.add(feature(feature)));
        List<Definitions.Aggregation> aggregations = new ArrayList<>();
        f.array("aggregations").forEach(a -> aggregations.add(aggregation(a)));
        return new FeatureView(f.text("name"), f.texts("entities"), f.text("source"),
                Duration.ofSeconds(f.number("ttl_seconds")), features, aggregations);
    }

    public static boolean sourceHasCreated(Catalog catalog, String sourceName) {
        return catalog.latest(FeatureRegistry.SOURCE, sourceName).map(s -> s.body().has("created_timestamp_field")).orElse(false);
    }

    public static List<String> joinKeys(JsonNode entity) {
        return new Fields(entity, "stored entity").texts("join_keys");
    }

    /** The feature references a stored feature service lists, in order. */
    static List<String> serviceFeatures(JsonNode service) {
        return new Fields(service, "stored feature service").texts("features");
    }

    private static Definitions.Aggregation aggregation(JsonNode node) {
        Fields a = new Fields(node, "stored aggregation");
        return new Definitions.Aggregation(a.text("name"), a.optionalText("column"), a.text("function"),
                Duration.ofSeconds(a.number("window_seconds")), Duration.ofSeconds(a.numberOr("step_seconds", 0)));
    }

    private static Feature feature(JsonNode node) {
        Fields f = new Fields(node, "stored feature");
        Fields checks = new Fields(f.object("checks"), "stored feature's checks");
        Optional<List<String>> allowed = checks.present("allowed") ? Optional.of(checks.texts("allowed")) : Optional.empty();
        return new Feature(f.text("name"), type(f.text("type")), new Checks(checks.bool("not_null", false),
                checks.optionalDecimal("min"), checks.optionalDecimal("max"), allowed), f.optionalText("expression"));
    }

    private static FeatureType type(String id) {
        return FeatureType.parse(id).orElseThrow(() -> new IllegalStateException("stored feature type [" + id + "]"));
    }
}

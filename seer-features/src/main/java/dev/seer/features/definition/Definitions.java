package dev.seer.features.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The definitions of a feature repository, as immutable values. Each has a JSON form: that is
 * what is versioned in the catalog, and what a changed definition is compared by.
 */
public final class Definitions {
    private Definitions() {}

    public record Entity(String name, List<String> joinKeys) {
        public Entity {
            joinKeys = List.copyOf(joinKeys);
        }

        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            ArrayNode keys = node.putArray("join_keys");
            joinKeys.forEach(keys::add);
            return node;
        }
    }

    /**
     * A source. {@code type} {@code file}: {@code path} (absolute once loaded) and {@code format}.
     * {@code push} and {@code kafka}: JSON records on {@code topic} (a push source's default is
     * {@code seer.push.<name>}), their fields declared in {@code schema} (field to type, in
     * order), since there is no file to read the columns from; {@code path} is empty and
     * {@code format} is {@code jsonl} (how micro-batches are staged). A kafka source's
     * {@code keyField} says its records' Kafka key is that field's value (so one entity's records
     * share a partition); a push source's records are always keyed by their join keys.
     */
    public record Source(String name, String type, String path, String format, String timestampField,
            Optional<String> createdTimestampField, String topic, java.util.Map<String, FeatureType> schema,
            Duration allowedLateness, Optional<String> keyField) {
        public static final String FILE = "file";
        public static final String PUSH = "push";
        public static final String KAFKA = "kafka";

        public Source {
            schema = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(schema));
        }

        /** A streaming source that accepts events however late (no {@code allowed_lateness}). */
        public Source(String name, String type, String path, String format, String timestampField,
                Optional<String> createdTimestampField, String topic, java.util.Map<String, FeatureType> schema) {
            this(name, type, path, format, timestampField, createdTimestampField, topic, schema, Duration.ZERO, Optional.empty());
        }

        /** A file source. */
        public Source(String name, String type, String path, String format, String timestampField,
                Optional<String> createdTimestampField) {
            this(name, type, path, format, timestampField, createdTimestampField, "", java.util.Map.of(), Duration.ZERO,
                    Optional.empty());
        }

        public boolean streaming() {
            return !type.equals(FILE);
        }

        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            node.put("type", type);
            node.put("path", path);
            node.put("format", format);
            node.put("timestamp_field", timestampField);
            createdTimestampField.ifPresent(f -> node.put("created_timestamp_field", f));
            if (streaming()) {
                node.put("topic", topic);
                ObjectNode fields = node.putObject("schema");
                schema.forEach((field, type) -> fields.put(field, type.id()));
                if (!allowedLateness.isZero()) {
                    node.put("allowed_lateness_seconds", allowedLateness.toSeconds());
                }
                keyField.ifPresent(k -> node.put("key_field", k));
            }
            return node;
        }
    }

    /** Value checks of a feature; empty parts check nothing. */
    public record Checks(boolean notNull, Optional<Double> min, Optional<Double> max, Optional<List<String>> allowed) {
        public static final Checks NONE = new Checks(false, Optional.empty(), Optional.empty(), Optional.empty());

        JsonNode toJson() {
            ObjectNode node = Json.object();
            if (notNull) {
                node.put("not_null", true);
            }
            min.ifPresent(v -> node.put("min", v));
            max.ifPresent(v -> node.put("max", v));
            allowed.ifPresent(values -> {
                ArrayNode array = node.putArray("allowed");
                values.forEach(array::add);
            });
            return node;
        }
    }

    /** A feature: a source column of the same name, or a DuckDB SQL {@code expression} over the source's columns. */
    public record Feature(String name, FeatureType type, Checks checks, Optional<String> expression) {
        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            node.put("type", type.id());
            node.set("checks", checks.toJson());
            expression.ifPresent(e -> node.put("expression", e));
            return node;
        }
    }

    /**
     * A window aggregate over the view's events: {@code function} of {@code column} (none for
     * count) over the events of the entity with event time in {@code (S, T]}. With no
     * {@code step} (zero) the window slides continuously: {@code S = T - window}. With a step the
     * window's start moves in whole steps, {@code S = floor((T - window) / step) * step}, while
     * its end stays at T (the hop of Chronon): the value never misses a recent event, and the
     * streaming side keeps one tile per step and entity instead of every event.
     */
    public record Aggregation(String name, Optional<String> column, String function, Duration window, Duration step) {
        public Aggregation(String name, Optional<String> column, String function, Duration window) {
            this(name, column, function, window, Duration.ZERO);
        }

        /** The step in microseconds; 1 for a continuous window (a tile per microsecond is no tiling). */
        public long stepMicros() {
            return step.isZero() ? 1 : step.toNanos() / 1000;
        }

        /** The start S of the window whose end is {@code timeMicros}: events after S count. */
        public long windowStartMicros(long timeMicros) {
            long step = stepMicros();
            return Math.floorDiv(timeMicros - window.toNanos() / 1000, step) * step;
        }

        /** count and distinct_count give whole numbers; the others doubles. */
        public FeatureType type() {
            return function.equals("count") || function.equals("distinct_count") ? FeatureType.LONG : FeatureType.DOUBLE;
        }

        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            column.ifPresent(c -> node.put("column", c));
            node.put("function", function);
            node.put("window_seconds", window.toSeconds());
            if (!step.isZero()) {
                node.put("step_seconds", step.toSeconds());
            }
            return node;
        }
    }

    /** {@code ttl} zero means no limit. {@code aggregations} are features computed over windows of {@code features}. */
    public record FeatureView(String name, List<String> entities, String source, Duration ttl, List<Feature> features,
            List<Aggregation> aggregations) {
        public FeatureView {
            entities = List.copyOf(entities);
            features = List.copyOf(features);
            aggregations = List.copyOf(aggregations);
        }

        public FeatureView(String name, List<String> entities, String source, Duration ttl, List<Feature> features) {
            this(name, entities, source, ttl, features, List.of());
        }

        public Optional<Feature> feature(String featureName) {
            return features.stream().filter(f -> f.name().equals(featureName)).findFirst();
        }

        public Optional<Aggregation> aggregation(String outputName) {
            return aggregations.stream().filter(a -> a.name().equals(outputName)).findFirst();
        }

        /** The type of what {@code view:name} gives: a stored feature's declared type, or an aggregation's. */
        public Optional<FeatureType> outputType(String outputName) {
            return feature(outputName).map(Feature::type).or(() -> aggregation(outputName).map(Aggregation::type));
        }

        /** Whether {@code view:name} names something of this view: a stored feature or an aggregation. */
        boolean offers(String outputName) {
            return feature(outputName).isPresent() || aggregation(outputName).isPresent();
        }

        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            ArrayNode entityArray = node.putArray("entities");
            entities.forEach(entityArray::add);
            node.put("source", source);
            node.put("ttl_seconds", ttl.toSeconds());
            ArrayNode featureArray = node.putArray("features");
            features.forEach(f -> featureArray.add(f.toJson()));
            if (!aggregations.isEmpty()) {
                ArrayNode aggregationArray = node.putArray("aggregations");
                aggregations.forEach(a -> aggregationArray.add(a.toJson()));
            }
            return node;
        }
    }

    /** A named list of feature references, each {@code view:feature}. */
    public record FeatureService(String name, List<String> features) {
        public FeatureService {
            features = List.copyOf(features);
        }

        JsonNode toJson() {
            ObjectNode node = Json.object();
            node.put("name", name);
            ArrayNode array = node.putArray("features");
            features.forEach(array::add);
            return node;
        }
    }

    /** Everything one {@code seer apply} reads. */
    public record Repository(List<Entity> entities, List<Source> sources, List<FeatureView> views,
            List<FeatureService> services) {
        public Repository {
            entities = List.copyOf(entities);
            sources = List.copyOf(sources);
            views = List.copyOf(views);
            services = List.copyOf(services);
        }
    }
}

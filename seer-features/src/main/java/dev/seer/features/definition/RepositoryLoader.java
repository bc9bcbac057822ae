package dev.seer.features.definition;

import dev.seer.core.SeerException;
import dev.seer.core.yaml.YamlNode;
import dev.seer.features.FeatureErrorCode;
import dev.seer.features.definition.Definitions.Checks;
import dev.seer.features.definition.Definitions.Entity;
import dev.seer.features.definition.Definitions.Feature;
import dev.seer.features.definition.Definitions.FeatureService;
import dev.seer.features.definition.Definitions.FeatureView;
import dev.seer.features.definition.Definitions.Repository;
import dev.seer.features.definition.Definitions.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads a feature repository: one YAML file, or every {@code *.yaml}/{@code *.yml} in a folder
 * (sorted by name), each holding any of {@code entities}, {@code sources}, {@code feature_views}
 * and {@code feature_services}. Relative source paths are resolved against the file's folder.
 * This checks shape only; {@link RepositoryValidator} checks references, columns and expressions.
 */
public final class RepositoryLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Set<String> TOP = Set.of("entities", "sources", "feature_views", "feature_services");

    private RepositoryLoader() {}

    public static Repository load(Path location) {
        List<Path> files = files(location);
        List<Entity> entities = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        List<FeatureView> views = new ArrayList<>();
        List<FeatureService> services = new ArrayList<>();
        for (Path file : files) {
            YamlNode root = YamlNode.parse(file, FeatureErrorCode.DEFINITION_UNREADABLE, FeatureErrorCode.DEFINITION_INVALID);
            if (root.isEmpty()) {
                continue;
            }
            Map<String, YamlNode> top = root.mapping(TOP);
            YamlNode.optional(top, "entities").ifPresent(n -> n.list().forEach(e -> entities.add(entity(e))));
            YamlNode.optional(top, "sources").ifPresent(n -> n.list().forEach(s -> sources.add(source(s, file))));
            YamlNode.optional(top, "feature_views").ifPresent(n -> n.list().forEach(v -> views.add(view(v))));
            YamlNode.optional(top, "feature_services").ifPresent(n -> n.list().forEach(s -> services.add(service(s))));
        }
        return new Repository(entities, sources, views, services);
    }

    private static List<Path> files(Path location) {
        if (Files.isRegularFile(location)) {
            return List.of(location);
        }
        if (!Files.isDirectory(location)) {
            throw new SeerException(FeatureErrorCode.DEFINITION_UNREADABLE, "No definition file or folder at [" + location
                    + "]", Map.of("path", location.toString()));
        }
        try (Stream<Path> listing = Files.list(location)) {
            List<Path> files = listing.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
            if (files.isEmpty()) {
                throw new SeerException(FeatureErrorCode.DEFINITION_UNREADABLE, "Folder [" + location
                        + "] holds no .yaml or .yml file", Map.of("path", location.toString()));
            }
            return files;
        } catch (IOException e) {
            throw new SeerException(FeatureErrorCode.DEFINITION_UNREADABLE, "Cannot list [" + location + "]: "
                    + e.getMessage(), Map.of("path", location.toString()), e);
        }
    }

    private static Entity entity(YamlNode node) {
        Map<String, YamlNode> m = node.mapping(Set.of("name", "join_keys", "description"));
        List<String> keys = node.required(m, "join_keys").texts();
        keys.forEach(k -> name(m.get("join_keys"), k));
        return new Entity(name(node.required(m, "name")), keys);
    }

    private static Source source(YamlNode node, Path file) {
        Map<String, YamlNode> m = node.mapping(Set.of("name", "type", "path", "format", "timestamp_field",
                "created_timestamp_field", "description", "topic", "schema", "allowed_lateness", "key_field"));
        String type = YamlNode.optional(m, "type").map(YamlNode::text).orElse(Source.FILE);
        if (type.equals(Source.PUSH) || type.equals(Source.KAFKA)) {
            return streamSource(node, m, type);
        }
        if (!type.equals(Source.FILE)) {
            throw m.get("type").error("source type [" + type + "] is not supported; use file, push or kafka");
        }
        for (String streamOnly : List.of("topic", "schema", "allowed_lateness", "key_field")) {
            if (m.containsKey(streamOnly)) {
                throw m.get(streamOnly).error("[" + streamOnly + "] is for push and kafka sources; a file source's columns come from its file");
            }
        }
        YamlNode pathNode = node.required(m, "path");
        Path path = file.toAbsolutePath().getParent().resolve(pathNode.text()).normalize();
        String format = YamlNode.optional(m, "format").map(YamlNode::text).orElseGet(() -> formatOf(pathNode, path));
        if (!Set.of("csv", "parquet", "jsonl").contains(format)) {
            throw m.get("format").error("format must be csv, parquet or jsonl, got [" + format + "]");
        }
        return new Source(name(node.required(m, "name")), type, path.toString(), format,
                node.required(m, "timestamp_field").text(),
                YamlNode.optional(m, "created_timestamp_field").map(YamlNode::text));
    }

    /** A push or kafka source: JSON records on a topic, fields declared in {@code schema}. */
    private static Source streamSource(YamlNode node, Map<String, YamlNode> m, String type) {
        if (m.containsKey("path")) {
            throw m.get("path").error("a " + type + " source reads a topic, not a file: remove [path]");
        }
        String name = name(node.required(m, "name"));
        String topic = YamlNode.optional(m, "topic").map(YamlNode::text).orElse("");
        if (topic.isEmpty() && type.equals(Source.KAFKA)) {
            throw node.error("a kafka source needs [topic]");
        }
        if (topic.isEmpty()) {
            topic = "seer.push." + name;
        }
        Map<String, FeatureType> schema = new java.util.LinkedHashMap<>();
        YamlNode schemaNode = node.required(m, "schema");
        for (Map.Entry<String, YamlNode> field : schemaNode.mapping(null).entrySet()) {
            schema.put(field.getKey(), FeatureType.parse(field.getValue().text()).orElseThrow(() -> field.getValue().error(
                    "type [" + field.getValue().text() + "] of field [" + field.getKey() + "] is not one of "
                            + java.util.Arrays.stream(FeatureType.values()).map(FeatureType::id).toList())));
        }
        if (schema.isEmpty()) {
            throw schemaNode.error("[schema] must declare at least the key and timestamp fields");
        }
        Duration lateness = YamlNode.optional(m, "allowed_lateness").map(RepositoryLoader::duration).orElse(Duration.ZERO);
        Optional<String> keyField = YamlNode.optional(m, "key_field").map(YamlNode::text);
        if (keyField.isPresent() && type.equals(Source.PUSH)) {
            throw m.get("key_field").error("a push source's records are keyed by their join keys; [key_field] is for kafka sources");
        }
        if (keyField.isPresent() && !schema.containsKey(keyField.get())) {
            throw m.get("key_field").error("[" + keyField.get() + "] is not a field of [schema]");
        }
        return new Source(name, type, "", "jsonl", node.required(m, "timestamp_field").text(),
                YamlNode.optional(m, "created_timestamp_field").map(YamlNode::text), topic, schema, lateness, keyField);
    }

    private static String formatOf(YamlNode pathNode, Path path) {
        String file = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (file.endsWith(".csv")) {
            return "csv";
        }
        if (file.endsWith(".parquet")) {
            return "parquet";
        }
        if (file.endsWith(".jsonl") || file.endsWith(".ndjson")) {
            return "jsonl";
        }
        throw pathNode.error("cannot tell the format of [" + file + "] from its extension; add format: csv|parquet|jsonl");
    }

    private static FeatureView view(YamlNode node) {
        Map<String, YamlNode> m = node.mapping(Set.of("name", "entities", "source", "ttl", "features", "description",
                "aggregations"));
        List<Feature> features = new ArrayList<>();
        for (YamlNode f : node.required(m, "features").list()) {
            Feature feature = feature(f);
            if (features.stream().anyMatch(other -> other.name().equals(feature.name()))) {
                throw f.error("feature [" + feature.name() + "] is defined twice in this view");
            }
            features.add(feature);
        }
        List<Definitions.Aggregation> aggregations = new ArrayList<>();
        for (YamlNode a : YamlNode.optional(m, "aggregations").map(YamlNode::list).orElse(List.of())) {
            Definitions.Aggregation aggregation = aggregation(a, features);
            if (features.stream().anyMatch(f -> f.name().equals(aggregation.name()))
                    || aggregations.stream().anyMatch(other -> other.name().equals(aggregation.name()))) {
                throw a.error("[" + aggregation.name() + "] is defined twice in this view; give the aggregation a [name]");
            }
            aggregations.add(aggregation);
        }
        Duration ttl = YamlNode.optional(m, "ttl").map(RepositoryLoader::duration).orElse(Duration.ZERO);
        return new FeatureView(name(node.required(m, "name")), node.required(m, "entities").texts(),
                node.required(m, "source").text(), ttl, features, aggregations);
    }

    public static final Set<String> FUNCTIONS = Set.of("count", "sum", "mean", "min", "max", "last", "distinct_count");

    /** {@code {column, function, window, name}}; the name defaults to {@code column_function_window} ({@code count_window}). */
    private static Definitions.Aggregation aggregation(YamlNode node, List<Feature> features) {
        Map<String, YamlNode> m = node.mapping(Set.of("column", "function", "window", "step", "name", "description"));
        YamlNode functionNode = node.required(m, "function");
        String function = functionNode.text().toLowerCase(Locale.ROOT);
        if (!FUNCTIONS.contains(function)) {
            throw functionNode.error("unknown function [" + functionNode.text() + "]; functions: " + new java.util.TreeSet<>(FUNCTIONS));
        }
        YamlNode windowNode = node.required(m, "window");
        Duration window = duration(windowNode);
        if (window.isZero() || window.isNegative()) {
            throw windowNode.error("window must be positive, e.g. 7d or 1h");
        }
        Optional<String> column = YamlNode.optional(m, "column").map(YamlNode::text);
        if (column.isEmpty() && !function.equals("count")) {
            throw node.error("function [" + function + "] needs a [column] (one of the view's features)");
        }
        if (column.isPresent()) {
            Feature feature = features.stream().filter(f -> f.name().equals(column.get())).findFirst().orElseThrow(() ->
                    m.get("column").error("[" + column.get() + "] is not a feature of this view; aggregations are over its features"));
            if (!feature.type().numeric() && !function.equals("count") && !function.equals("distinct_count")) {
                throw m.get("column").error("function [" + function + "] needs a numeric feature; [" + column.get() + "] is "
                        + feature.type().id());
            }
        }
        String windowText = windowNode.text().replace(" ", "");
        String name = YamlNode.optional(m, "name").map(n -> name(n))
                .orElse(column.map(c -> c + "_" + function + "_" + windowText).orElse("count_" + windowText));
        Duration step = YamlNode.optional(m, "step").map(RepositoryLoader::duration).orElse(Duration.ZERO);
        if (step.compareTo(window) > 0) {
            throw m.get("step").error("step must be at most the window, e.g. 1m for a 1h window");
        }
        return new Definitions.Aggregation(name, column, function, window, step);
    }

    private static Feature feature(YamlNode node) {
        Map<String, YamlNode> m = node.mapping(Set.of("name", "type", "checks", "expression", "description"));
        YamlNode typeNode = node.required(m, "type");
        FeatureType type = FeatureType.parse(typeNode.text())
                .orElseThrow(() -> typeNode.error("unknown type [" + typeNode.text() + "]; types: " + FeatureType.names()));
        Checks checks = YamlNode.optional(m, "checks").map(c -> checks(c, type)).orElse(Checks.NONE);
        return new Feature(name(node.required(m, "name")), type, checks, YamlNode.optional(m, "expression").map(YamlNode::text));
    }

    private static Checks checks(YamlNode node, FeatureType type) {
        Map<String, YamlNode> m = node.mapping(Set.of("not_null", "min", "max", "allowed"));
        Optional<Double> min = YamlNode.optional(m, "min").map(YamlNode::number);
        Optional<Double> max = YamlNode.optional(m, "max").map(YamlNode::number);
        if ((min.isPresent() || max.isPresent()) && !type.numeric()) {
            throw node.error("min and max apply to numeric features, not to [" + type.id() + "]");
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            throw node.error("min " + min.get() + " is greater than max " + max.get());
        }
        return new Checks(YamlNode.optional(m, "not_null").map(YamlNode::bool).orElse(false), min, max,
                YamlNode.optional(m, "allowed").map(YamlNode::texts));
    }

    private static FeatureService service(YamlNode node) {
        Map<String, YamlNode> m = node.mapping(Set.of("name", "features", "description"));
        List<String> refs = node.required(m, "features").texts();
        for (String ref : refs) {
            if (!ref.matches("[A-Za-z_][A-Za-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*")) {
                throw m.get("features").error("feature reference [" + ref + "] must be view:feature");
            }
        }
        return new FeatureService(name(node.required(m, "name")), refs);
    }

    private static String name(YamlNode node) {
        return name(node, node.text());
    }

    private static String name(YamlNode node, String name) {
        if (!NAME.matcher(name).matches()) {
            throw node.error("[" + name + "] is not a valid name: letters, digits and _, not starting with a digit");
        }
        return name;
    }

    static Duration duration(YamlNode node) {
        return node.duration();
    }
}

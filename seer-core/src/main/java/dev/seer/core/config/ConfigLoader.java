package dev.seer.core.config;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Turns {@code seer.yaml} plus the environment into a value per key of the declared sections. The
 * YAML is read as a node tree (not bound to objects) so that every error can name the file, line
 * and key; a key no section declares is refused the same way.
 */
final class ConfigLoader {
    /** The keys of the declared sections, and the sections' names. */
    private final List<ConfigKey> all;
    private final Set<String> sections;

    private ConfigLoader(List<ConfigSection<?>> declared) {
        this.all = declared.stream().flatMap(s -> s.keys().stream()).toList();
        this.sections = declared.stream().map(ConfigSection::name).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** Each key's value, and where the value came from (keys at their default have none). */
    record Loaded(Map<ConfigKey, Object> values, Map<ConfigKey, String> origins) {}

    static Map<ConfigKey, Object> defaults(List<ConfigSection<?>> declared) {
        Map<ConfigKey, Object> values = new LinkedHashMap<>();
        new ConfigLoader(declared).all.forEach(key -> values.put(key, key.defaultValue()));
        return values;
    }

    static Loaded load(Path file, Map<String, String> environment, List<ConfigSection<?>> declared) {
        ConfigLoader loader = new ConfigLoader(declared);
        Map<ConfigKey, Object> values = defaults(declared);
        Map<ConfigKey, String> origins = new HashMap<>();
        loader.readYaml(file).forEach((entry, located) -> {
            put(values, entry, located.text, file + ":" + located.line);
            origins.put(entry.key, file + ":" + located.line);
        });
        loader.applyEnvironment(values, origins, environment);
        return new Loaded(values, Map.copyOf(origins));
    }

    /** One value from the file or the environment: a key's own, or an entry of a properties key. */
    private record Entry(ConfigKey key, String property) {}

    private record Located(String text, int line) {}

    private static void put(Map<ConfigKey, Object> values, Entry entry, String text, String where) {
        if (entry.property == null) {
            values.put(entry.key, parse(entry.key, text, where));
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> properties = new java.util.TreeMap<>((Map<String, String>) values.get(entry.key));
        properties.put(entry.property, text);
        values.put(entry.key, Map.copyOf(properties));
    }

    private Map<Entry, Located> readYaml(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.HOME_IO, "Cannot read config file [" + file + "]: " + e.getMessage(),
                    Map.of("file", file.toString()), e);
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            String key = keyAtLine(text, line);
            throw new SeerException(CoreErrorCode.CONFIG_MALFORMED,
                    "Config file [" + file + "] is not valid YAML at line " + line
                            + (key.isEmpty() ? "" : " (key [" + key + "])") + ": " + e.getProblem(),
                    Map.of("file", file.toString(), "line", line, "key", key));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            // refusals without a position: a character YAML does not allow, too many aliases, too deep
            throw new SeerException(CoreErrorCode.CONFIG_MALFORMED, "Config file [" + file + "] is not valid YAML: "
                    + e.getMessage(), Map.of("file", file.toString()));
        }
        Map<Entry, Located> found = new HashMap<>();
        if (root == null) {
            return found;
        }
        if (!(root instanceof MappingNode mapping)) {
            throw malformed(file, root, "", "the top level must be a mapping of sections");
        }
        collect(file, mapping, "", found, new HashSet<>());
        return found;
    }

    /**
     * The dotted key a line belongs to, found from indentation alone, since the YAML parser that
     * failed cannot say. Best effort: empty when no key precedes the line.
     */
    static String keyAtLine(String text, int line) {
        java.util.Deque<Object[]> path = new java.util.ArrayDeque<>(); // {indent, name}
        String[] lines = text.split("\n", -1);
        java.util.regex.Pattern keyLine = java.util.regex.Pattern.compile("^( *)([A-Za-z0-9_.-]+)\\s*:(\\s.*)?$");
        for (int i = 0; i < Math.min(line, lines.length); i++) {
            java.util.regex.Matcher m = keyLine.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            int indent = m.group(1).length();
            while (!path.isEmpty() && (int) path.peekLast()[0] >= indent) {
                path.removeLast();
            }
            path.addLast(new Object[] {indent, m.group(2)});
        }
        return String.join(".", path.stream().map(p -> (String) p[1]).toList());
    }

    private void collect(Path file, MappingNode mapping, String prefix, Map<Entry, Located> found,
            Set<String> seen) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                throw malformed(file, tuple.getKeyNode(), prefix, "keys must be plain names");
            }
            String name = prefix.isEmpty() ? keyNode.getValue() : prefix + "." + keyNode.getValue();
            if (!seen.add(name)) {
                throw malformed(file, keyNode, name, "the key appears twice");
            }
            Node value = tuple.getValueNode();
            if (prefix.isEmpty() && sections.contains(name)) {
                if (value instanceof MappingNode section) {
                    collect(file, section, name, found, seen);
                } else if (!isNull(value)) {
                    throw malformed(file, value, name, "a section must be a mapping of keys");
                }
                continue;
            }
            Optional<ConfigKey> properties = propertiesKeyOf(name);
            if (properties.isPresent()) {
                collectProperty(file, properties.get(), name, value, found, seen);
                continue;
            }
            ConfigKey key = all.stream().filter(k -> k.name().equals(name)).findFirst()
                    .orElseThrow(() -> unknownKey(file, keyNode, name));
            if (!(value instanceof ScalarNode scalar)) {
                throw malformed(file, value, name, "the value must be " + key.type().expectation());
            }
            found.put(new Entry(key, null), new Located(scalar.getValue(), line(value)));
        }
    }

    /** The properties key that {@code name} is, or is an entry of. */
    private Optional<ConfigKey> propertiesKeyOf(String name) {
        return all.stream().filter(k -> k.type() == ConfigType.PROPERTIES)
                .filter(k -> name.equals(k.name()) || name.startsWith(k.name() + ".")).findFirst();
    }

    /** A properties key's mapping (nested names joined by dots) or one of its entries. */
    private static void collectProperty(Path file, ConfigKey key, String name, Node value, Map<Entry, Located> found,
            Set<String> seen) {
        if (value instanceof MappingNode nested) {
            for (NodeTuple tuple : nested.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
                    throw malformed(file, tuple.getKeyNode(), name, "keys must be plain names");
                }
                String inner = name + "." + keyNode.getValue();
                if (!seen.add(inner)) {
                    throw malformed(file, keyNode, inner, "the key appears twice");
                }
                collectProperty(file, key, inner, tuple.getValueNode(), found, seen);
            }
        } else if (value instanceof ScalarNode scalar && !name.equals(key.name())) {
            found.put(new Entry(key, name.substring(key.name().length() + 1)), new Located(scalar.getValue(), line(value)));
        } else if (!isNull(value)) {
            throw malformed(file, value, name, "the value must be " + (name.equals(key.name())
                    ? key.type().expectation() : "a single value"));
        }
    }

    private void applyEnvironment(Map<ConfigKey, Object> values, Map<ConfigKey, String> origins,
            Map<String, String> environment) {
        for (ConfigKey key : all) {
            String text = environment.get(key.environmentVariable());
            if (text != null && key.type() != ConfigType.PROPERTIES) {
                values.put(key, parse(key, text, "environment variable " + key.environmentVariable()));
                origins.put(key, "environment variable " + key.environmentVariable());
            }
        }
        for (String variable : new java.util.TreeSet<>(environment.keySet())) {
            Optional<ConfigKey> properties = all.stream().filter(k -> k.type() == ConfigType.PROPERTIES)
                    .filter(k -> variable.startsWith(k.environmentVariable() + "_")).findFirst();
            if (properties.isPresent()) { // Kafka's setting names have dots where the variable has underscores
                String property = variable.substring(properties.get().environmentVariable().length() + 1)
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '.');
                put(values, new Entry(properties.get(), property), environment.get(variable), "environment variable " + variable);
                continue;
            }
            boolean looksLikeKey = sections.stream()
                    .anyMatch(s -> variable.startsWith("SEER_" + s.toUpperCase(java.util.Locale.ROOT) + "_"));
            boolean known = all.stream().anyMatch(k -> k.environmentVariable().equals(variable));
            if (looksLikeKey && !known) {
                throw new SeerException(CoreErrorCode.CONFIG_UNKNOWN_KEY,
                        "Environment variable [" + variable + "] names no config key; known: " + knownVariables(),
                        Map.of("variable", variable));
            }
        }
    }

    private static Object parse(ConfigKey key, String text, String where) {
        return key.type().parse(text).orElseThrow(() -> new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE,
                "Config key [" + key.name() + "] at " + where + " has value [" + text + "], expected "
                        + key.type().expectation(),
                Map.of("key", key.name(), "value", text, "where", where)));
    }

    private static SeerException malformed(Path file, Node node, String key, String problem) {
        int line = line(node);
        return new SeerException(CoreErrorCode.CONFIG_MALFORMED,
                "Config file [" + file + "] line " + line + (key.isEmpty() ? "" : " key [" + key + "]") + ": " + problem,
                Map.of("file", file.toString(), "line", line, "key", key));
    }

    private SeerException unknownKey(Path file, Node node, String name) {
        int line = line(node);
        return new SeerException(CoreErrorCode.CONFIG_UNKNOWN_KEY,
                "Config file [" + file + "] line " + line + ": unknown key [" + name + "]; known keys: "
                        + all.stream().map(ConfigKey::name).toList(),
                Map.of("file", file.toString(), "line", line, "key", name));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && "tag:yaml.org,2002:null".equals(scalar.getTag().getValue());
    }

    private static int line(Node node) {
        return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    private String knownVariables() {
        return all.stream().map(ConfigKey::environmentVariable).toList().toString();
    }
}

package dev.seer.features.definition;

import dev.seer.core.SeerException;
import dev.seer.features.FeatureErrorCode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that knows its file, line and path ({@code feature_views[0].ttl}), so that every
 * definition error names where it is. Reads SnakeYAML's node tree; nothing is bound by reflection.
 */
final class YamlNode {
    private final Path file;
    private final String path;
    private final Node node;

    private YamlNode(Path file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static YamlNode parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SeerException(FeatureErrorCode.DEFINITION_UNREADABLE, "Cannot read definition file [" + file + "]: "
                    + e.getMessage(), Map.of("file", file.toString()), e);
        }
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            return new YamlNode(file, "", root);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            throw new SeerException(FeatureErrorCode.DEFINITION_INVALID, "Definition file [" + file
                    + "] is not valid YAML at line " + line + ": " + e.getProblem(),
                    Map.of("file", file.toString(), "line", line));
        }
    }

    boolean isEmpty() {
        return node == null || (node instanceof ScalarNode s && s.getValue().isEmpty());
    }

    /**
     * The entries of a mapping, in order; fails on anything else or on a key outside
     * {@code allowed} ({@code null}: any key, for mappings whose keys are the user's names).
     */
    Map<String, YamlNode> mapping(Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping of keys");
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error("keys must be plain names");
            }
            String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
            YamlNode child = new YamlNode(file, childPath, tuple.getValueNode());
            if (allowed != null && !allowed.contains(key.getValue())) {
                throw new YamlNode(file, childPath, tuple.getKeyNode()).error("unknown key; expected one of " + allowed);
            }
            if (entries.put(key.getValue(), child) != null) {
                throw child.error("the key appears twice");
            }
        }
        return entries;
    }

    List<YamlNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list");
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new YamlNode(file, path + "[" + i + "]", sequence.getValue().get(i)));
        }
        return items;
    }

    /** A list, or a single scalar taken as a list of one. */
    List<String> texts() {
        if (node instanceof ScalarNode) {
            return List.of(text());
        }
        return list().stream().map(YamlNode::text).toList();
    }

    String text() {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw error("must be a non-empty text value");
        }
        return scalar.getValue();
    }

    double number() {
        try {
            return Double.parseDouble(text());
        } catch (NumberFormatException e) {
            throw error("must be a number, got [" + text() + "]");
        }
    }

    boolean bool() {
        String text = text();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error("must be true or false, got [" + text + "]");
    }

    static Optional<YamlNode> optional(Map<String, YamlNode> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).filter(n -> !n.isEmpty());
    }

    YamlNode required(Map<String, YamlNode> mapping, String key) {
        return optional(mapping, key).orElseThrow(() -> error("needs the key [" + key + "]"));
    }

    String path() {
        return path;
    }

    SeerException error(String problem) {
        int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        return new SeerException(FeatureErrorCode.DEFINITION_INVALID,
                file.getFileName() + ":" + line + (path.isEmpty() ? "" : " [" + path + "]") + ": " + problem,
                Map.of("file", file.toString(), "line", line, "key", path));
    }
}

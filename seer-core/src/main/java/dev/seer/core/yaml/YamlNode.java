package dev.seer.core.yaml;

import dev.seer.core.ErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node that knows its file, line and path ({@code feature_views[0].ttl}), so that every
 * error in a user's YAML names where it is, under the error code of the component reading it.
 * Reads SnakeYAML's node tree; nothing is bound by reflection.
 */
public final class YamlNode {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhdw]?)");

    private final Path file;
    private final String path;
    private final Node node;
    private final ErrorCode invalid;

    private YamlNode(Path file, String path, Node node, ErrorCode invalid) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.invalid = invalid;
    }

    /**
     * Reads {@code file}; a file that cannot be read fails with {@code unreadable}, and every
     * problem found in it, now or by the caller through {@link #error}, with {@code invalid}.
     */
    public static YamlNode parse(Path file, ErrorCode unreadable, ErrorCode invalid) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SeerException(unreadable, "Cannot read file [" + file + "]: " + e.getMessage(),
                    Map.of("file", file.toString()), e);
        }
        return parse(file, text, invalid);
    }

    /** Reads YAML text that came from {@code file} (a name for messages; nothing is read from it). */
    public static YamlNode parse(Path file, String text, ErrorCode invalid) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
            return new YamlNode(file, "", root, invalid);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            throw new SeerException(invalid, "File [" + file + "] is not valid YAML at line " + line + ": "
                    + e.getProblem(), Map.of("file", file.toString(), "line", line));
        } catch (YAMLException e) {
            // the reader's refusals without a position: a character YAML does not allow (NUL), more
            // aliases than LoaderOptions allows (a "billion laughs"), nesting deeper than its limit
            throw new SeerException(invalid, "File [" + file + "] is not valid YAML: " + e.getMessage(),
                    Map.of("file", file.toString()));
        }
    }

    public boolean isEmpty() {
        return node == null || (node instanceof ScalarNode s && s.getValue().isEmpty());
    }

    /**
     * The entries of a mapping, in order; fails on anything else or on a key outside
     * {@code allowed} ({@code null}: any key, for mappings whose keys are the user's names).
     */
    public Map<String, YamlNode> mapping(Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error("must be a mapping of keys");
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                throw error("keys must be plain names");
            }
            String childPath = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
            YamlNode child = new YamlNode(file, childPath, tuple.getValueNode(), invalid);
            if (allowed != null && !allowed.contains(key.getValue())) {
                throw new YamlNode(file, childPath, tuple.getKeyNode(), invalid).error("unknown key; expected one of " + allowed);
            }
            if (entries.put(key.getValue(), child) != null) {
                throw child.error("the key appears twice");
            }
        }
        return entries;
    }

    public List<YamlNode> list() {
        if (!(node instanceof SequenceNode sequence)) {
            throw error("must be a list");
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new YamlNode(file, path + "[" + i + "]", sequence.getValue().get(i), invalid));
        }
        return items;
    }

    /** A list, or a single scalar taken as a list of one. */
    public List<String> texts() {
        if (node instanceof ScalarNode) {
            return List.of(text());
        }
        return list().stream().map(YamlNode::text).toList();
    }

    public String text() {
        if (!(node instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
            throw error("must be a non-empty text value");
        }
        return scalar.getValue();
    }

    public double number() {
        try {
            return Double.parseDouble(text());
        } catch (NumberFormatException e) {
            throw error("must be a number, got [" + text() + "]");
        }
    }

    /** {@code 2d}, {@code 36h}, {@code 90m}, {@code 45s}, {@code 1w}, or {@code 0}. */
    public Duration duration() {
        Matcher matcher = DURATION.matcher(text().trim());
        if (!matcher.matches()) {
            throw error("[" + text() + "] is not a duration such as 30s, 15m, 36h, 2d or 0");
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "", "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(Math.multiplyExact(7, amount));
            };
        } catch (ArithmeticException | NumberFormatException e) {
            throw error("[" + text() + "] is longer than a duration can be");
        }
    }

    public boolean bool() {
        String text = text();
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error("must be true or false, got [" + text + "]");
    }

    public static Optional<YamlNode> optional(Map<String, YamlNode> mapping, String key) {
        return Optional.ofNullable(mapping.get(key)).filter(n -> !n.isEmpty());
    }

    public YamlNode required(Map<String, YamlNode> mapping, String key) {
        return optional(mapping, key).orElseThrow(() -> error("needs the key [" + key + "]"));
    }

    public String path() {
        return path;
    }

    public SeerException error(String problem) {
        int line = node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
        return new SeerException(invalid,
                file.getFileName() + ":" + line + (path.isEmpty() ? "" : " [" + path + "]") + ": " + problem,
                Map.of("file", file.toString(), "line", line, "key", path));
    }
}

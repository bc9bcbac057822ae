package dev.seer.core.yaml;

import dev.seer.core.ErrorCode;
import dev.seer.core.SeerException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Edits of YAML text through its node tree, never by string replacement: a value that happens to
 * appear elsewhere in the text (a comment, another key's value) is left alone, and quoting is the
 * serializer's. Comments are not kept: the result is the document's data, written again.
 */
public final class YamlText {
    private YamlText() {}

    /**
     * {@code text} with the top-level key {@code key} set to the string {@code value}, the key
     * added at the end if it is not there. The text must be a YAML mapping; {@code invalid} is
     * the error code of the component whose document it is.
     */
    public static String withScalar(Path file, String text, String key, String value, ErrorCode invalid) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (YAMLException e) {
            throw new SeerException(invalid, "File [" + file + "] is not valid YAML: " + e.getMessage(),
                    Map.of("file", file.toString()));
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new SeerException(invalid, "File [" + file + "] must be a YAML mapping", Map.of("file", file.toString()));
        }
        ScalarNode replacement = new ScalarNode(Tag.STR, value, null, null, DumperOptions.ScalarStyle.PLAIN);
        List<NodeTuple> entries = mapping.getValue();
        boolean found = false;
        for (int i = 0; i < entries.size(); i++) {
            NodeTuple entry = entries.get(i);
            if (entry.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                entries.set(i, new NodeTuple(entry.getKeyNode(), replacement));
                found = true;
            }
        }
        if (!found) {
            entries.add(new NodeTuple(new ScalarNode(Tag.STR, key, null, null, DumperOptions.ScalarStyle.PLAIN),
                    replacement));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        StringWriter out = new StringWriter();
        new Yaml(options).serialize(mapping, out);
        return out.toString();
    }
}

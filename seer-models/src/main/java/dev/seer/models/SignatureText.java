package dev.seer.models;

import dev.seer.core.SeerException;
import dev.seer.core.schema.Column;
import dev.seer.core.schema.ColumnType;
import dev.seer.core.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The compact text form of a signature, for a CLI option: {@code name:type,name:type->output},
 * the output being {@code probability}, {@code value} or {@code class-probabilities(K)}. Spaces
 * around names, types and arrows are allowed. Errors name the character position (from 1) and the
 * input, since the text is typed by hand.
 */
final class SignatureText {
    private static final String ARROW = "->";
    private static final Pattern CLASSES = Pattern.compile("class-probabilities\\((\\d{1,9})\\)");

    private SignatureText() {}

    static String format(Signature signature) {
        String inputs = signature.inputs().columns().stream().map(c -> c.name() + ":" + c.type().id())
                .collect(Collectors.joining(","));
        return inputs + ARROW + output(signature);
    }

    /** The output part: {@code probability}, {@code class-probabilities(3)}. */
    static String output(Signature signature) {
        return signature.output() == OutputKind.CLASS_PROBABILITIES
                ? signature.output().id() + "(" + signature.classes() + ")" : signature.output().id();
    }

    static Signature parse(String text) {
        int arrow = text.lastIndexOf(ARROW);
        if (arrow < 0) {
            throw error(text, "has no [" + ARROW + "] before its output, as in [age:float64" + ARROW + "probability]",
                    Map.of());
        }
        List<Column> inputs = inputs(text, text.substring(0, arrow));
        String output = text.substring(arrow + ARROW.length()).trim();
        int outputAt = arrow + ARROW.length() + 1 + leadingSpaces(text.substring(arrow + ARROW.length()));
        Matcher classes = CLASSES.matcher(output);
        if (classes.matches()) {
            return new Signature(Schema.of(inputs), OutputKind.CLASS_PROBABILITIES, Integer.parseInt(classes.group(1)));
        }
        if (output.equals(OutputKind.PROBABILITY.id()) || output.equals(OutputKind.VALUE.id())) {
            return Signature.of(Schema.of(inputs), OutputKind.of(output));
        }
        throw error(text, "has output [" + output + "] at character " + outputAt + "; it is one of [probability, value, "
                + "class-probabilities(K)] with K the class count", Map.of("output", output));
    }

    private static List<Column> inputs(String text, String part) {
        List<Column> inputs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int start = 0;
        for (String item : part.split(",", -1)) {
            int position = start + 1 + leadingSpaces(item);
            Column input = input(text, item, inputs.size() + 1, position);
            Integer first = seen.putIfAbsent(input.name(), inputs.size() + 1);
            if (first != null) {
                throw error(text, "names input [" + input.name() + "] twice: inputs " + first + " and "
                        + (inputs.size() + 1) + " (character " + position + ")", Map.of("input", input.name()));
            }
            inputs.add(input);
            start += item.length() + 1;
        }
        return inputs;
    }

    private static Column input(String text, String item, int index, int position) {
        int colon = item.indexOf(':');
        String name = (colon < 0 ? item : item.substring(0, colon)).trim();
        if (name.isEmpty()) {
            throw error(text, "has an empty input name at character " + position + " (input " + index + ")",
                    Map.of("position", position));
        }
        if (colon < 0) {
            throw error(text, "has input " + index + " [" + name + "] at character " + position
                    + " without a type; write name:type", Map.of("input", name));
        }
        String type = item.substring(colon + 1).trim();
        ColumnType columnType = Signature.INPUT_TYPES.stream().filter(t -> t.id().equals(type)).findFirst()
                .orElseThrow(() -> error(text, "gives input " + index + " [" + name + "] at character " + position
                        + " type [" + type + "]; a model input is one of " + Signature.typeIds(), Map.of("input", name)));
        return new Column(name, columnType, true);
    }

    private static int leadingSpaces(String s) {
        return s.length() - s.stripLeading().length();
    }

    private static SeerException error(String text, String problem, Map<String, ?> details) {
        Map<String, Object> all = new HashMap<>(details);
        all.put("signature", text);
        return new SeerException(ModelErrorCode.INVALID_SIGNATURE, "Signature [" + text + "] " + problem, all);
    }
}

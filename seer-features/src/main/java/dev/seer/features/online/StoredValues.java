package dev.seer.features.online;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.util.Map;

/**
 * Reads the values of an online record (a JSON object of feature name to value) for the
 * features a lookup asked for, with a streaming parser. Parsing the record into a tree first
 * built a map of every feature of the view on each lookup: for a view of 50 features that was
 * two thirds of what an online request allocated and a third of its CPU (issue 12, JFR). The
 * values are the nodes the tree would hold, so a lookup answers exactly as before.
 */
final class StoredValues {
    private static final JsonNodeFactory NODES = Json.mapper().getNodeFactory();
    /** Reads one nested value in the middle of the record, so what follows it is not "trailing". */
    private static final ObjectReader NESTED = Json.mapper().reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private StoredValues() {}

    /**
     * @param slots feature name to its slot in the result
     * @return one node per slot; {@code null} where the record has no value for the feature
     */
    static JsonNode[] read(String values, Map<String, Integer> slots) {
        JsonNode[] read = new JsonNode[slots.size()];
        try (JsonParser parser = Json.mapper().createParser(values)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("not a JSON object");
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                Integer slot = slots.get(parser.currentName());
                JsonToken value = parser.nextToken();
                if (slot == null) {
                    parser.skipChildren(); // a feature of the view this lookup did not ask for
                } else {
                    read[slot] = node(parser, value);
                }
            }
            return read;
        } catch (IOException e) {
            throw malformed(e.getMessage());
        }
    }

    /** The node Jackson's tree reader makes for the value at {@code token}. */
    private static JsonNode node(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            // From the token's characters: asking the parser for the number first made a string of them.
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(NumberInput.parseDouble(parser.getTextCharacters(),
                    parser.getTextOffset(), parser.getTextLength(), true));
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
            };
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> NESTED.readTree(parser); // an object or array: as the tree reader reads it
        };
    }

    private static SeerException malformed(String why) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, "An online record is not a JSON object of feature values: "
                + why, Map.of());
    }
}

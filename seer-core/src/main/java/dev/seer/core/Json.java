package dev.seer.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The JSON mapper of Seer and a canonical encoding (sorted keys, no whitespace) for hashing. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Same doubles as the JDK's parser, faster (online lookups parse every stored value). The
            // fast writer is not enabled: it may print some doubles differently from the JDK's, and
            // the canonical encoding that audit hashes cover must not change.
            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .addModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
            .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * The canonical text of a JSON value: object keys sorted, no insignificant whitespace. Two
     * equal values always give the same text, so the text can be hashed.
     */
    public static String canonical(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree could not be written", e);
        }
    }

    public static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        }
    }

    /**
     * Parses UTF-8 bytes without making a string of them first (faster for many small records);
     * bytes that are not valid UTF-8 are malformed JSON.
     */
    public static JsonNode parse(byte[] utf8) {
        try {
            return MAPPER.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (java.io.IOException e) { // a charset error Jackson reports as a plain I/O error
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Malformed JSON: " + e.getMessage(), Map.of());
        }
    }

    /**
     * Writes values one per line (JSON Lines) to {@code out} through one generator, not flushed
     * per value; closing it closes {@code out}.
     */
    public static com.fasterxml.jackson.databind.SequenceWriter lines(java.io.Writer out) {
        try {
            return MAPPER.writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE).withRootValueSeparator("\n")
                    .writeValues(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("JSON lines could not be started", e);
        }
    }

    private static SeerException malformed(JsonProcessingException e) {
        // Some failures (nesting or size limits) carry no location.
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                "Malformed JSON" + (line > 0 ? " at line " + line + ", column " + column : "") + ": "
                        + e.getOriginalMessage(),
                Map.of("line", line, "column", column));
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Value could not be written as JSON", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                fields.put(field.getKey(), sorted(field.getValue()));
            }
            ObjectNode out = MAPPER.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = MAPPER.createArrayNode();
            node.forEach(element -> out.add(sorted(element)));
            return out;
        }
        return node;
    }
}

package dev.seer.core.provenance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads of one JSON object for codecs: a missing or mistyped field is refused with the
 * value's kind and the field's name, never read as an empty string or a zero.
 */
public final class Fields {
    private final JsonNode json;
    private final String kind;

    public Fields(JsonNode json, String kind) {
        this.json = json;
        this.kind = kind;
    }

    public String text(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw bad(field, "a string");
        }
        return value.asText();
    }

    public String textOr(String field, String absent) {
        return present(field) ? text(field) : absent;
    }

    public Optional<String> optionalText(String field) {
        return present(field) ? Optional.of(text(field)) : Optional.empty();
    }

    public long number(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw bad(field, "a whole number");
        }
        return value.asLong();
    }

    public long numberOr(String field, long absent) {
        return present(field) ? number(field) : absent;
    }

    public int integer(String field) {
        long value = number(field);
        if (value != (int) value) {
            throw bad(field, "a whole number in the int range");
        }
        return (int) value;
    }

    public double decimal(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isNumber()) {
            throw bad(field, "a number");
        }
        return value.asDouble();
    }

    public Optional<Double> optionalDecimal(String field) {
        return present(field) ? Optional.of(decimal(field)) : Optional.empty();
    }

    public boolean bool(String field, boolean absent) {
        if (!present(field)) {
            return absent;
        }
        JsonNode value = json.get(field);
        if (!value.isBoolean()) {
            throw bad(field, "true or false");
        }
        return value.asBoolean();
    }

    public Instant instant(String field) {
        try {
            return Instant.parse(text(field));
        } catch (DateTimeParseException e) {
            throw bad(field, "an ISO-8601 instant");
        }
    }

    public Iterable<JsonNode> array(String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw bad(field, "a list");
        }
        return value;
    }

    public List<String> texts(String field) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : array(field)) {
            if (!item.isTextual()) {
                throw bad(field, "a list of strings");
            }
            texts.add(item.asText());
        }
        return texts;
    }

    public JsonNode object(String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isObject()) {
            throw bad(field, "an object");
        }
        return value;
    }

    public boolean present(String field) {
        JsonNode value = json.get(field);
        return value != null && !value.isNull();
    }

    private SeerException bad(String field, String expected) {
        return new SeerException(CoreErrorCode.UNSUPPORTED_FORMAT, "Field [" + field + "] of a " + kind + " must be "
                + expected + ", not [" + (json.get(field) == null ? "missing" : json.get(field).toString()) + "]",
                Map.of("kind", kind, "field", field));
    }
}

package dev.seer.server;

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
 * Reading request fields in the codecs, with the messages callers have always seen: a query
 * parameter or path segment arrives as text (the route merges them into the request JSON), so
 * its numbers and instants are parsed here and named as what they were on the wire.
 */
final class Fields {
    private Fields() {}

    static String text(JsonNode request, String field) {
        return Http.requiredText(request, field);
    }

    /** A text field that may be absent, null or blank. */
    static Optional<String> optional(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    /** The texts of a list field, absent meaning none. */
    static List<String> texts(JsonNode request, String field) {
        List<String> texts = new ArrayList<>();
        request.path(field).forEach(t -> texts.add(t.asText()));
        return texts;
    }

    static long queryNumber(JsonNode request, String name, long fallback) {
        return optional(request, name).map(text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Query parameter [" + name + "] value ["
                        + text + "] is not a whole number", Map.of("parameter", name));
            }
        }).orElse(fallback);
    }

    /** A whole-number query parameter that must fit an int; a larger one is refused, not wrapped around. */
    static int queryInt(JsonNode request, String name, int fallback) {
        long value = queryNumber(request, name, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Query parameter [" + name + "] value [" + value
                    + "] is out of range", Map.of("parameter", name));
        }
        return (int) value;
    }

    static Optional<Instant> queryInstant(JsonNode request, String name) {
        return optional(request, name).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Query parameter [" + name + "] value ["
                        + text + "] is not an ISO-8601 instant such as 2026-01-31T12:00:00Z", Map.of("parameter", name));
            }
        });
    }

    static long pathNumber(JsonNode request, String name) {
        String text = request.path(name).asText();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Path parameter [" + name + "] value [" + text
                    + "] is not a whole number", Map.of("parameter", name));
        }
    }

    /** A true/false field of a JSON body, absent or null meaning false; any other value is refused, not read as false. */
    static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be true or false, got ["
                    + value + "]", Map.of("field", field));
        }
        return value.booleanValue();
    }

    /** A whole-number field of a JSON body, absent or null meaning {@code fallback}; text or a fraction is refused. */
    static long wholeNumber(JsonNode body, String field, long fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a whole number, got ["
                    + value + "]", Map.of("field", field));
        }
        return value.longValue();
    }

    /** A required instant of a JSON body. */
    static Instant instant(JsonNode body, String field) {
        try {
            return Instant.parse(Http.requiredText(body, field));
        } catch (DateTimeParseException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z", Map.of("field", field));
        }
    }
}

package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.log.PredictionQuery;
import dev.seer.server.PredictOperations.Filter;
import dev.seer.server.PredictOperations.Shadows;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The filter of a prediction-log listing or export, read from query parameters (all text) or a
 * JSON body, each field checked and named in its error: {@code deployment} (a deployment name),
 * {@code entity} ({@code key=value}, several joined by commas; in a body also an object),
 * {@code from} and {@code to} (ISO-8601 instants, {@code from} before {@code to}), {@code model}
 * ({@code NAME} or {@code NAME:VERSION}) and {@code shadows} ({@code exclude}, the default,
 * {@code include} or {@code only}). Values are only ever compared with what the log holds; none
 * reaches a file, SQL or a shell.
 */
final class PredictionFilters {
    /** At most this many entity keys: a join key set is a handful of columns. */
    static final int MAX_ENTITY_KEYS = 8;
    private static final int MAX_VALUE = 256;
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,255}");

    private PredictionFilters() {}

    /** The filter a request gives; its values are checked by {@link Filter}'s constructor ({@link #check}).. */
    static Filter decode(JsonNode node) {
        Shadows shadows = text(node, "shadows").map(PredictionFilters::shadows).orElse(Shadows.EXCLUDE);
        return new Filter(text(node, "deployment"), entity(node.get("entity")), instant(node, "from"), instant(node, "to"),
                text(node, "model"), shadows);
    }

    /** Refuses a filter that cannot be, naming the field: the one check for requests over HTTP and from the local CLI. */
    static void check(Optional<String> deployment, Map<String, String> entity, Optional<Instant> from, Optional<Instant> to,
            Optional<String> model) {
        deployment.ifPresent(name -> {
            try {
                Deployment.checkName(name);
            } catch (SeerException e) {
                throw invalid("deployment", "[deployment] must be a deployment name (a lower-case letter, then a-z, 0-9,"
                        + " '_' or '-', at most 63), not [" + shown(name) + "]");
            }
        });
        if (entity.size() > MAX_ENTITY_KEYS) {
            throw invalid("entity", "[entity] may give at most " + MAX_ENTITY_KEYS + " keys");
        }
        entity.forEach(PredictionFilters::checkPair);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw invalid("to", "[to] (" + to.get() + ") must be after [from] (" + from.get() + ")");
        }
        model.ifPresent(PredictionFilters::model);
    }

    /** Refuses a page size outside 1 to {@code max}, naming {@code field}. */
    static int checkLimit(String field, long limit, int max) {
        if (limit < 1 || limit > max) {
            throw invalid(field, "[" + field + "] must be a whole number from 1 to " + max + ", not [" + limit + "]");
        }
        return (int) limit;
    }

    /** The filter's fields; {@code entityAsText} for a query string, else the entity as an object. */
    static ObjectNode encode(ObjectNode node, Filter f, boolean entityAsText) {
        f.deployment().ifPresent(d -> node.put("deployment", d));
        if (!f.entity().isEmpty()) {
            if (entityAsText) {
                StringBuilder text = new StringBuilder();
                f.entity().forEach((k, v) -> {
                    if (v.indexOf(',') >= 0) { // it would read back as another filter, not fail
                        throw invalid("entity", "[entity] value of [" + k + "] holds ',', which the listing's query"
                                + " cannot carry; export takes it (as a JSON object)");
                    }
                    text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v);
                });
                node.put("entity", text.toString());
            } else {
                ObjectNode keys = node.putObject("entity");
                f.entity().forEach(keys::put);
            }
        }
        f.from().ifPresent(t -> node.put("from", t.toString()));
        f.to().ifPresent(t -> node.put("to", t.toString()));
        f.model().ifPresent(m -> node.put("model", m));
        return node.put("shadows", f.shadows().name().toLowerCase(Locale.ROOT));
    }

    /** The log's query for {@code f}, newest first or in log order. */
    static PredictionQuery query(Filter f, boolean newestFirst) {
        PredictionQuery q = PredictionQuery.all().between(f.from(), f.to());
        q = f.deployment().map(q::withDeployment).orElse(q);
        q = f.entity().isEmpty() ? q : q.withEntity(f.entity());
        if (f.model().isPresent()) {
            String[] ref = model(f.model().get());
            q = q.withModel(ref[0], ref.length == 1 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(ref[1])));
        }
        q = switch (f.shadows()) {
            case EXCLUDE -> q.withShadow(false);
            case ONLY -> q.withShadow(true);
            case INCLUDE -> q;
        };
        return newestFirst ? q.newestFirst() : q;
    }

    /** A whole number {@code field} (its range is the caller's to check), {@code fallback} when absent. */
    static long number(JsonNode node, String field, long fallback) {
        Optional<String> text = text(node, field);
        if (text.isEmpty()) {
            return fallback;
        }
        if (!text.get().matches("-?\\d{1,18}")) {
            throw invalid(field, "[" + field + "] must be a whole number, not [" + shown(text.get()) + "]");
        }
        return Long.parseLong(text.get());
    }

    /** A text field: a JSON string or number, as a query parameter arrives; absent, null or blank is empty. */
    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw invalid(field, "[" + field + "] must be text, not " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    private static Map<String, String> entity(JsonNode value) {
        Map<String, String> entity = new LinkedHashMap<>();
        if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()) {
            return entity;
        }
        if (value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> key = it.next();
                if (!key.getValue().isTextual() && !key.getValue().isIntegralNumber()) {
                    throw invalid("entity", "[entity." + shown(key.getKey()) + "] must be text or a whole number");
                }
                put(entity, key.getKey(), key.getValue().asText());
            }
        } else if (value.isTextual()) {
            for (String pair : value.asText().split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw invalid("entity", "[entity] must be KEY=VALUE, several joined by commas, not [" + shown(
                            value.asText()) + "]");
                }
                put(entity, pair.substring(0, eq).strip(), pair.substring(eq + 1));
            }
        } else {
            throw invalid("entity", "[entity] must be KEY=VALUE or an object of keys and values");
        }
        return entity;
    }

    private static void put(Map<String, String> entity, String key, String value) {
        if (entity.put(key, value) != null) {
            throw invalid("entity", "[entity] gives key [" + shown(key) + "] twice");
        }
    }

    private static void checkPair(String key, String value) {
        if (!KEY.matcher(key).matches()) {
            throw invalid("entity", "[entity] key [" + shown(key) + "] must be a join key name (letters, digits and '_')");
        }
        if (value.isEmpty() || value.length() > MAX_VALUE || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid("entity", "[entity] value of [" + key + "] must be 1 to " + MAX_VALUE + " characters without"
                    + " control characters");
        }
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        return text(node, field).map(t -> {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                throw invalid(field, "[" + field + "] must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, not ["
                        + shown(t) + "]");
            }
        });
    }

    /** {@code {name}} or {@code {name, version}}. */
    private static String[] model(String text) {
        int colon = text.lastIndexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon);
        String version = colon < 0 ? null : text.substring(colon + 1);
        if (!MODEL.matcher(name).matches() || version != null && (!version.matches("\\d{1,9}")
                || Integer.parseInt(version) < 1)) {
            throw invalid("model", "[model] must be NAME or NAME:VERSION (letters, digits, '_', '.' or '-'; a version from"
                    + " 1), not [" + shown(text) + "]");
        }
        return version == null ? new String[] {name} : new String[] {name, version};
    }

    private static Shadows shadows(String text) {
        for (Shadows s : Shadows.values()) {
            if (s.name().toLowerCase(Locale.ROOT).equals(text)) {
                return s;
            }
        }
        throw invalid("shadows", "[shadows] must be exclude, include or only, not [" + shown(text) + "]");
    }

    /** What a request sent, cut short and without control characters, to quote in an error. */
    private static String shown(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}

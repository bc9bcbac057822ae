package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.online.Materializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Materialisation and online feature lookups. */
public final class OnlineOperations {
    /** Loads the online store with each entity's latest row at {@code end}, of {@code views} (empty: all). */
    public record Materialize(List<String> views, Optional<Instant> start, Instant end) {}

    /** Current values of {@code features} (view:feature references, or one feature service) for entities by join key. */
    public record Lookup(List<String> features, Map<String, List<String>> entities) {}

    public static final Operation<Materialize, Materializer.Report> MATERIALIZE = Operation
            .<Materialize, Materializer.Report>post("materialize", "/api/v1/materialize").roles(ADMIN, OPERATOR)
            .request(Codec.of(OnlineOperations::materialize, OnlineOperations::materialize))
            .response(Codec.of(ApiJson::materialized, ApiJson::materialized))
            .handler((services, m, call) -> services.materializer().materialize(m.views(), m.start(), m.end(),
                    call.actor()));

    /**
     * The online lookup: a latency-benchmarked route, so its answer is written straight into the
     * response ({@link ApiJson#writeOnline}: no tree, no array, no copy); the CLI reads it with the
     * same codec as any other.
     */
    public static final Operation<Lookup, List<FeatureLookup.EntityValues>> ONLINE = Operation
            .<Lookup, List<FeatureLookup.EntityValues>>post("features.online", "/api/v1/features/online")
            .roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(OnlineOperations::lookup, OnlineOperations::lookup))
            .response(Codec.of(ApiJson::online, ApiJson::online))
            .writer((ctx, results) -> {
                ctx.contentType(Http.JSON);
                ApiJson.writeOnline(results, ctx.outputStream());
            })
            .handler((services, lookup, call) -> services.featureServer().lookup(lookup.features(), lookup.entities()));

    static final List<Operation<?, ?>> ALL = List.of(MATERIALIZE, ONLINE);

    private OnlineOperations() {}

    /** Body: {@code end} (ISO-8601), optional {@code start} and {@code views}. */
    private static ObjectNode materialize(Materialize m) {
        ObjectNode node = Json.object().put("end", m.end().toString());
        m.start().ifPresent(s -> node.put("start", s.toString()));
        m.views().forEach(node.putArray("views")::add);
        return node;
    }

    private static Materialize materialize(JsonNode body) {
        List<String> views = Fields.texts(body, "views");
        Optional<Instant> start = body.hasNonNull("start") ? Optional.of(Fields.instant(body, "start")) : Optional.empty();
        return new Materialize(views, start, Fields.instant(body, "end"));
    }

    private static ObjectNode lookup(Lookup lookup) {
        ObjectNode node = Json.object();
        lookup.features().forEach(node.putArray("features")::add);
        ObjectNode given = node.putObject("entities");
        lookup.entities().forEach((key, values) -> values.forEach(given.putArray(key)::add));
        return node;
    }

    /** Body: {@code features} (list) or {@code feature_service}, and {@code entities}: join key to values. */
    private static Lookup lookup(JsonNode body) {
        List<String> features = new ArrayList<>();
        if (body.hasNonNull("feature_service")) {
            features.add(Http.requiredText(body, "feature_service"));
        } else {
            body.path("features").forEach(f -> features.add(f.asText()));
        }
        if (features.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Give [features] (view:feature list) or [feature_service]",
                    Map.of("field", "features"));
        }
        Map<String, List<String>> entities = new LinkedHashMap<>();
        JsonNode given = body.path("entities");
        if (!given.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[entities] must map join keys to lists of values",
                    Map.of("field", "entities"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isArray()) {
                throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[entities." + column.getKey() + "] must be a list",
                        Map.of("field", "entities." + column.getKey()));
            }
            List<String> values = new ArrayList<>();
            column.getValue().forEach(v -> values.add(v.asText()));
            entities.put(column.getKey(), values);
        }
        return new Lookup(features, entities);
    }
}

package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.features.FeatureLookup;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Materialisation and online feature lookups over HTTP. */
final class OnlineApi {
    private final Materializer materializer;
    private final FeatureServer server;

    OnlineApi(Materializer materializer, FeatureServer server) {
        this.materializer = materializer;
        this.server = server;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/materialize", this::materialize, ADMIN, OPERATOR),
                ApiRoute.post("/api/v1/features/online", this::online, ADMIN, SCIENTIST, OPERATOR));
    }

    /** Body: {@code end} (ISO-8601), optional {@code start} and {@code views}. */
    private void materialize(Context ctx) {
        JsonNode body = Http.body(ctx);
        List<String> views = new ArrayList<>();
        body.path("views").forEach(v -> views.add(v.asText()));
        Optional<Instant> start = body.hasNonNull("start") ? Optional.of(instant(body, "start")) : Optional.empty();
        Http.json(ctx, ApiJson.materialized(materializer.materialize(views, start, instant(body, "end"),
                Authenticator.actor(ctx))));
    }

    /** Body: {@code features} (list) or {@code feature_service}, and {@code entities}: join key to values. */
    private void online(Context ctx) throws IOException {
        JsonNode body = Http.body(ctx);
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
        List<FeatureLookup.EntityValues> results = server.lookup(features, entities);
        ctx.contentType(Http.JSON);
        ApiJson.writeOnline(results, ctx.outputStream()); // straight into the response: no array, no copy
    }

    private static Instant instant(JsonNode body, String field) {
        try {
            return Instant.parse(Http.requiredText(body, field));
        } catch (DateTimeParseException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z", Map.of("field", field));
        }
    }
}

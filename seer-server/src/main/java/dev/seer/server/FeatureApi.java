package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.features.FeatureRegistry;
import dev.seer.features.HistoricalRetrieval;
import java.util.ArrayList;
import java.util.Map;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Feature definitions over HTTP. Plan and apply take the path of a repository on the server's
 * machine (the CLI sends an absolute path), so the server reads the same files the CLI names.
 */
final class FeatureApi {
    private final FeatureRegistry registry;
    private final HistoricalRetrieval historical;
    private final dev.seer.features.ConsistencyCheck consistency;
    private final java.time.Clock clock;

    FeatureApi(FeatureRegistry registry, HistoricalRetrieval historical, dev.seer.features.ConsistencyCheck consistency,
            java.time.Clock clock) {
        this.registry = registry;
        this.historical = historical;
        this.consistency = consistency;
        this.clock = clock;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/features/plan", this::plan, ADMIN, SCIENTIST),
                ApiRoute.post("/api/v1/features/apply", this::apply, ADMIN, SCIENTIST),
                ApiRoute.get("/api/v1/features/views", this::views, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/features/views/{name}", this::view, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/features/views/{name}/consistency", this::consistency, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.post("/api/v1/features/historical", this::historical, ADMIN, SCIENTIST));
    }

    private void plan(Context ctx) {
        Http.json(ctx, ApiJson.changes(registry.plan(Path.of(Http.requiredText(Http.body(ctx), "path")))));
    }

    private void apply(Context ctx) {
        Path path = Path.of(Http.requiredText(Http.body(ctx), "path"));
        Http.json(ctx, ApiJson.changes(registry.apply(path, Authenticator.actor(ctx))));
    }

    /** Body: {@code entities} and {@code out} (paths on the server's machine), {@code features}, {@code filter_by_created_timestamp}. */
    private void historical(Context ctx) {
        JsonNode body = Http.body(ctx);
        List<String> features = new ArrayList<>();
        body.path("features").forEach(f -> features.add(f.asText()));
        if (features.isEmpty()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Field [features] must list view:feature references"
                    + " or name one feature service", Map.of("field", "features"));
        }
        HistoricalRetrieval.Report report = historical.run(Path.of(Http.requiredText(body, "entities")), features,
                Path.of(Http.requiredText(body, "out")), body.path("filter_by_created_timestamp").asBoolean(false));
        Http.json(ctx, ApiJson.historical(report));
    }

    /** Query: {@code sample} (entities, default 100), {@code at} (ISO time, default now). */
    private void consistency(Context ctx) {
        int sample = (int) Http.number(ctx, "sample", 100);
        java.time.Instant at = Http.instant(ctx, "at").orElse(clock.instant());
        Http.json(ctx, ApiJson.consistency(consistency.check(ctx.pathParam("name"), sample, at)));
    }

    private void views(Context ctx) {
        Http.json(ctx, ApiJson.catalogEntries(registry.views()));
    }

    private void view(Context ctx) {
        Optional<Integer> version = Http.query(ctx, "version").map(v -> (int) Http.number(ctx, "version", 0));
        Http.json(ctx, ApiJson.catalogEntry(registry.view(ctx.pathParam("name"), version)));
    }
}

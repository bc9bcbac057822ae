package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import dev.seer.features.FeatureRegistry;
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

    FeatureApi(FeatureRegistry registry) {
        this.registry = registry;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/v1/features/plan", this::plan, ADMIN, SCIENTIST),
                ApiRoute.post("/api/v1/features/apply", this::apply, ADMIN, SCIENTIST),
                ApiRoute.get("/api/v1/features/views", this::views, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/features/views/{name}", this::view, ADMIN, SCIENTIST, OPERATOR, AUDITOR));
    }

    private void plan(Context ctx) {
        Http.json(ctx, ApiJson.changes(registry.plan(Path.of(Http.requiredText(Http.body(ctx), "path")))));
    }

    private void apply(Context ctx) {
        Path path = Path.of(Http.requiredText(Http.body(ctx), "path"));
        Http.json(ctx, ApiJson.changes(registry.apply(path, Authenticator.actor(ctx))));
    }

    private void views(Context ctx) {
        Http.json(ctx, ApiJson.catalogEntries(registry.views()));
    }

    private void view(Context ctx) {
        Optional<Integer> version = Http.query(ctx, "version").map(v -> (int) Http.number(ctx, "version", 0));
        Http.json(ctx, ApiJson.catalogEntry(registry.view(ctx.pathParam("name"), version)));
    }
}

package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.PUBLIC;

import dev.seer.core.Json;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.util.List;

/** Health and metrics. */
final class SystemApi {
    private final PrometheusMeterRegistry registry;

    SystemApi(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/healthz", this::health, PUBLIC),
                ApiRoute.get("/metrics", this::metrics, ADMIN, OPERATOR));
    }

    private void health(Context ctx) {
        Http.json(ctx, Json.object().put("status", "ok"));
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }
}

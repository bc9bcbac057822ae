package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.PUBLIC;

import dev.seer.core.Json;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/** Health and metrics. */
final class SystemApi {
    private final PrometheusMeterRegistry registry;

    private final java.util.function.Supplier<dev.seer.features.stream.Streaming.Status> streamingStatus;

    SystemApi(PrometheusMeterRegistry registry, java.util.function.Supplier<dev.seer.features.stream.Streaming.Status> streamingStatus) {
        this.registry = registry;
        this.streamingStatus = streamingStatus;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/healthz", this::health, PUBLIC),
                ApiRoute.get("/readyz", this::ready, PUBLIC),
                ApiRoute.get("/metrics", this::metrics, ADMIN, OPERATOR));
    }

    private void health(Context ctx) {
        Http.json(ctx, Json.object().put("status", "ok"));
    }

    /** Ready unless a part the home needs is failing (today: streaming, while its broker is unreachable). */
    private void ready(Context ctx) {
        dev.seer.features.stream.Streaming.Status streaming = streamingStatus.get();
        boolean ready = streaming.state() != dev.seer.features.stream.Streaming.State.FAILING;
        var body = Json.object().put("ready", ready);
        var part = body.putObject("streaming").put("state", streaming.state().name().toLowerCase(java.util.Locale.ROOT));
        if (!ready) {
            part.put("error", streaming.error()).put("failed_attempts", streaming.failedAttempts());
            streaming.nextAttempt().ifPresent(t -> part.put("next_attempt", t.toString()));
        }
        Http.json(ctx, ready ? 200 : 503, body);
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape());
    }
}

package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.PUBLIC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.seer.core.Json;
import dev.seer.features.stream.Streaming;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Health, readiness and metrics. */
public final class SystemOperations {
    public static final Operation<Codec.Empty, String> HEALTH = Operation
            .<Codec.Empty, String>get("system.health", "/healthz").roles(PUBLIC)
            .request(Codec.EMPTY)
            .response(Codec.of(status -> Json.object().put("status", status), node -> node.path("status").asText()))
            .handler((services, request, call) -> "ok");

    /** Ready (200) unless a part the home needs is failing (503; today: streaming, while its broker is unreachable). */
    public static final Operation<Codec.Empty, Streaming.Status> READY = Operation
            .<Codec.Empty, Streaming.Status>get("system.ready", "/readyz").roles(PUBLIC)
            .request(Codec.EMPTY).response(Codec.of(SystemOperations::readiness, SystemOperations::readiness))
            .status(status -> ready(status) ? 200 : 503)
            .handler((services, request, call) -> services.streaming().status());

    /** The Prometheus text format. */
    public static final Operation<Codec.Empty, String> METRICS = Operation
            .<Codec.Empty, String>get("system.metrics", "/metrics").roles(ADMIN, OPERATOR)
            .request(Codec.EMPTY).response(Codec.of(TextNode::valueOf, JsonNode::asText))
            .writer((ctx, text) -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(text))
            .handler((services, request, call) -> services.meters().scrape());

    static final List<Operation<?, ?>> ALL = List.of(HEALTH, READY, METRICS);

    private SystemOperations() {}

    private static boolean ready(Streaming.Status streaming) {
        return streaming.state() != Streaming.State.FAILING;
    }

    private static ObjectNode readiness(Streaming.Status streaming) {
        boolean ready = ready(streaming);
        ObjectNode body = Json.object().put("ready", ready);
        ObjectNode part = body.putObject("streaming").put("state", streaming.state().name().toLowerCase(Locale.ROOT));
        if (!ready) {
            part.put("error", streaming.error()).put("failed_attempts", streaming.failedAttempts());
            streaming.nextAttempt().ifPresent(t -> part.put("next_attempt", t.toString()));
        }
        return body;
    }

    private static Streaming.Status readiness(JsonNode node) {
        JsonNode part = node.path("streaming");
        JsonNode next = part.path("next_attempt");
        return new Streaming.Status(Streaming.State.valueOf(part.path("state").asText().toUpperCase(Locale.ROOT)),
                part.path("error").asText(""), part.path("failed_attempts").asInt(),
                next.isTextual() ? Optional.of(Instant.parse(next.asText())) : Optional.empty());
    }
}

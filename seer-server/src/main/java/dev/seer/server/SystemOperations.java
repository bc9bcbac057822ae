package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.PUBLIC;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.seer.core.Json;
import dev.seer.features.online.OnlineHealth;
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

    /** What readiness reports: streaming, and the online store as its guard last found it. */
    public record Readiness(Streaming.Status streaming, OnlineHealth online) {
        /**
         * Ready unless a part the home needs is failing: streaming while its broker is unreachable,
         * the online store while it is unreachable or being rebuilt.
         */
        public boolean ready() {
            return streaming.state() != Streaming.State.FAILING && online.ready();
        }
    }

    /** Ready (200) unless a part the home needs is failing (503, with the reason). */
    public static final Operation<Codec.Empty, Readiness> READY = Operation
            .<Codec.Empty, Readiness>get("system.ready", "/readyz").roles(PUBLIC)
            .request(Codec.EMPTY).response(Codec.of(SystemOperations::readiness, SystemOperations::readiness))
            .status(readiness -> readiness.ready() ? 200 : 503)
            .handler((services, request, call) -> new Readiness(services.streaming().status(), services.featureServer().health()));

    /** The Prometheus text format. */
    public static final Operation<Codec.Empty, String> METRICS = Operation
            .<Codec.Empty, String>get("system.metrics", "/metrics").roles(ADMIN, OPERATOR)
            .request(Codec.EMPTY).response(Codec.of(TextNode::valueOf, JsonNode::asText))
            .writer((ctx, text) -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(text))
            .handler((services, request, call) -> services.metrics().scrape());

    static final List<Operation<?, ?>> ALL = List.of(HEALTH, READY, METRICS);

    private SystemOperations() {}

    private static ObjectNode readiness(Readiness readiness) {
        ObjectNode body = Json.object().put("ready", readiness.ready());
        Streaming.Status streaming = readiness.streaming();
        ObjectNode part = body.putObject("streaming").put("state", streaming.state().name().toLowerCase(Locale.ROOT));
        if (streaming.state() == Streaming.State.FAILING) {
            part.put("error", streaming.error()).put("failed_attempts", streaming.failedAttempts());
            streaming.nextAttempt().ifPresent(t -> part.put("next_attempt", t.toString()));
        }
        OnlineHealth online = readiness.online();
        body.putObject("online").put("state", online.state().name().toLowerCase(Locale.ROOT)).put("reason", online.reason())
                .put("generation", online.generation()).put("since", online.since().toString());
        return body;
    }

    private static Readiness readiness(JsonNode node) {
        JsonNode part = node.path("streaming");
        JsonNode next = part.path("next_attempt");
        Streaming.Status streaming = new Streaming.Status(Streaming.State.valueOf(part.path("state").asText()
                .toUpperCase(Locale.ROOT)), part.path("error").asText(""), part.path("failed_attempts").asInt(),
                next.isTextual() ? Optional.of(Instant.parse(next.asText())) : Optional.empty());
        JsonNode online = node.path("online");
        return new Readiness(streaming, new OnlineHealth(OnlineHealth.State.valueOf(online.path("state").asText()
                .toUpperCase(Locale.ROOT)), online.path("reason").asText(), online.path("generation").asLong(),
                Instant.parse(online.path("since").asText())));
    }
}

package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.features.stream.DeadLetter;
import dev.seer.features.stream.Pusher;
import dev.seer.features.stream.Streaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Streaming: push ingestion into a push source's topic, its dead letters, and its status. */
public final class StreamOperations {
    /**
     * Records for a push source: the body is one record, a list of records, or
     * {@code {"records": [...]}}, passed to the pusher as it came.
     */
    public record Push(String source, JsonNode body) {}

    /** Records stream ingestion refused, oldest first; {@code source} empty for all. */
    public record DeadLetters(Optional<String> source, int limit) {}

    /** Answered after the broker acknowledged every record. */
    public static final Operation<Push, Pusher.Result> PUSH = Operation
            .<Push, Pusher.Result>post("push", "/api/v1/push/{source}").roles(ADMIN, SCIENTIST, OPERATOR).bodyField("body")
            .request(Codec.of(p -> Json.object().put("source", p.source()).set("body", p.body()),
                    node -> new Push(node.path("source").asText(), node.get("body"))))
            .response(Codec.of(StreamOperations::pushed, StreamOperations::pushed))
            .handler((services, push, call) -> {
                Pusher.checkSize(push.body()); // too many records is the caller's error, told even while the broker is down
                return services.streaming().pusher().push(push.source(), push.body());
            });

    public static final Operation<DeadLetters, List<DeadLetter>> DEAD_LETTERS = Operation
            .<DeadLetters, List<DeadLetter>>get("stream.dead-letters", "/api/v1/dead-letters")
            .roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.of(StreamOperations::deadLetters, StreamOperations::deadLetters))
            .response(Codec.of(ApiJson::deadLetters, ApiJson::deadLetters))
            // starts the home's broker for the call, if it has one
            .handler((services, d, call) -> services.streaming().deadLetters(d.source(), Math.max(1, d.limit())));

    /** Streaming as the server (or this process) sees it: its state and last error, and each source's status. */
    public record Report(Streaming.State state, String error, List<Streaming.SourceStatus> sources) {
        public Report {
            requireNonNull(state, "state is null");
            error = error == null ? "" : error; // an exception without a message
            sources = List.copyOf(sources);
        }
    }

    /** Streaming as the server (or this process) sees it: state, and per source lag and freshness. */
    public static final Operation<Codec.Empty, Report> STATUS = Operation
            .<Codec.Empty, Report>get("stream.status", "/api/v1/streaming/status").roles(ADMIN, SCIENTIST, OPERATOR, AUDITOR)
            .request(Codec.EMPTY).response(Codec.of(ApiJson::streamingStatus, ApiJson::streamingStatus))
            .handler((services, request, call) -> {
                Streaming.Status status = services.streaming().status();
                return new Report(status.state(), status.error(), services.streaming().sourceStatus());
            });

    static final List<Operation<?, ?>> ALL = List.of(PUSH, DEAD_LETTERS, STATUS);

    private StreamOperations() {}

    private static ObjectNode pushed(Pusher.Result result) {
        ObjectNode out = Json.object().put("source", result.source()).put("topic", result.topic())
                .put("accepted", result.accepted());
        ObjectNode offsets = out.putObject("last_offsets");
        result.lastOffsets().forEach((partition, offset) -> offsets.put(Integer.toString(partition), offset));
        return out;
    }

    private static Pusher.Result pushed(JsonNode node) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        node.path("last_offsets").fields().forEachRemaining(e -> offsets.put(Integer.parseInt(e.getKey()),
                e.getValue().asLong()));
        return new Pusher.Result(node.path("source").asText(), node.path("topic").asText(), node.path("accepted").asInt(),
                offsets);
    }

    private static ObjectNode deadLetters(DeadLetters d) {
        ObjectNode node = Json.object().put("limit", Integer.toString(d.limit()));
        d.source().ifPresent(s -> node.put("source", s));
        return node;
    }

    private static DeadLetters deadLetters(JsonNode node) {
        return new DeadLetters(Fields.optional(node, "source"), Fields.queryInt(node, "limit", 100));
    }
}

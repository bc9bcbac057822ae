package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.features.stream.Pusher;
import dev.seer.features.stream.Streaming;
import io.javalin.http.Context;
import java.util.List;

/** Push ingestion: records over HTTP into a push source's topic. */
final class PushApi {
    private final Streaming streaming;

    PushApi(Streaming streaming) {
        this.streaming = streaming;
    }

    List<ApiRoute> routes() {
        return List.of(ApiRoute.post("/api/v1/push/{source}", this::push, ADMIN, SCIENTIST, OPERATOR),
                ApiRoute.get("/api/v1/dead-letters", this::deadLetters, ADMIN, SCIENTIST, OPERATOR, AUDITOR),
                ApiRoute.get("/api/v1/streaming/status", this::status, ADMIN, SCIENTIST, OPERATOR, AUDITOR));
    }

    private void status(Context ctx) {
        Http.json(ctx, ApiJson.streamingStatus(streaming.status(), streaming.sourceStatus()));
    }

    /** Query: optional {@code source}, {@code limit} (default 100). */
    private void deadLetters(Context ctx) {
        int limit = Http.query(ctx, "limit").map(Integer::parseInt).orElse(100);
        Http.json(ctx, ApiJson.deadLetters(streaming.deadLetters(Http.query(ctx, "source"), Math.max(1, limit))));
    }

    /** Body: one record, a list of records, or {@code {"records": [...]}}; answered after the broker acknowledged all. */
    private void push(Context ctx) {
        JsonNode body = Json.parse(ctx.body());
        Pusher.checkSize(body); // too many records is the caller's error, told even while the broker is down
        Pusher.Result result = streaming.pusher().push(ctx.pathParam("source"), body);
        ObjectNode out = Json.object().put("source", result.source()).put("topic", result.topic())
                .put("accepted", result.accepted());
        ObjectNode offsets = out.putObject("last_offsets");
        result.lastOffsets().forEach((partition, offset) -> offsets.put(Integer.toString(partition), offset));
        Http.json(ctx, out);
    }
}

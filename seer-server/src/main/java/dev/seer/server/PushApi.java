package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.streaming.Pusher;
import dev.seer.streaming.Streaming;
import io.javalin.http.Context;
import java.util.List;

/** Push ingestion: records over HTTP into a push source's topic. */
final class PushApi {
    private final Streaming streaming;

    PushApi(Streaming streaming) {
        this.streaming = streaming;
    }

    List<ApiRoute> routes() {
        return List.of(ApiRoute.post("/api/v1/push/{source}", this::push, ADMIN, SCIENTIST, OPERATOR));
    }

    /** Body: one record, a list of records, or {@code {"records": [...]}}; answered after the broker acknowledged all. */
    private void push(Context ctx) {
        JsonNode body = Json.parse(ctx.body());
        Pusher.Result result = streaming.pusher().push(ctx.pathParam("source"), body);
        ObjectNode out = Json.object().put("source", result.source()).put("topic", result.topic())
                .put("accepted", result.accepted());
        ObjectNode offsets = out.putObject("last_offsets");
        result.lastOffsets().forEach((partition, offset) -> offsets.put(Integer.toString(partition), offset));
        Http.json(ctx, out);
    }
}

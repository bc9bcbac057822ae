package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import io.javalin.http.Context;
import java.util.Map;

/** Small helpers of the HTTP layer: reading a JSON body, writing JSON answers and errors. */
final class Http {
    static final String JSON = "application/json";
    static final String CSV = "text/csv";
    static final String PARQUET = "application/vnd.apache.parquet";

    private Http() {}

    static void json(Context ctx, int status, Object value) {
        ctx.status(status).contentType(JSON).result(value instanceof String s ? s : Json.write(value));
    }

    static void json(Context ctx, Object value) {
        json(ctx, 200, value);
    }

    /** The request body as a JSON object; an empty body is an empty object. */
    static JsonNode body(Context ctx) {
        if (ctx.isMultipartFormData()) {
            throw new SeerException(ServerErrorCode.UPLOAD_INVALID, "Route [" + ctx.method() + " " + ctx.path()
                    + "] takes a JSON body, not files", Map.of());
        }
        String text = ctx.body();
        if (text.isBlank()) {
            return Json.object();
        }
        JsonNode node = Json.parse(text);
        if (!node.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "The request body must be a JSON object", Map.of());
        }
        return node;
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT,
                    "Field [" + field + "] is required and must be a non-empty string", Map.of("field", field));
        }
        return value.asText();
    }

    static ObjectNode error(SeerException e) {
        ObjectNode error = Json.object();
        error.put("code", e.errorCode().code());
        error.put("message", e.getMessage());
        error.set("details", Json.mapper().valueToTree(e.details()));
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }
}

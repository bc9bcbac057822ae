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
    static final String NDJSON = "application/x-ndjson";

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
        byte[] bytes = bodyBytes(ctx);
        if (isBlank(bytes)) {
            return Json.object();
        }
        JsonNode node = Json.parse(bytes);
        if (!node.isObject()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "The request body must be a JSON object", Map.of());
        }
        return node;
    }

    /**
     * The request body, read once into an array of its declared length. Javalin's own reading
     * copies every body through two 8 KiB buffers: on the online route that was a fifth of what a
     * request allocated (issue 12, JFR). The size limit is Javalin's, with the same 413.
     */
    static byte[] bodyBytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > SeerServer.MAX_JSON_BODY_BYTES) {
            throw tooLarge();
        }
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] bytes = declared >= 0 ? in.readNBytes((int) declared) : in.readNBytes((int) SeerServer.MAX_JSON_BODY_BYTES + 1);
            if (bytes.length > SeerServer.MAX_JSON_BODY_BYTES) {
                throw tooLarge();
            }
            return bytes;
        } catch (java.io.IOException e) {
            throw new SeerException(ServerErrorCode.BAD_REQUEST, "The request body could not be read: " + e.getMessage(),
                    Map.of());
        }
    }

    /** How much of a refused body is read and dropped before the connection is let go. */
    private static final long DISCARD_LIMIT_BYTES = 4 * SeerServer.MAX_JSON_BODY_BYTES;

    /**
     * Reads and drops what is left of a body refused with 413, up to {@link #DISCARD_LIMIT_BYTES}.
     * A server that closes a connection with unread bytes in its receive buffer makes the kernel
     * send a reset, and the reset destroys the 413 in the client's buffer before the client reads
     * it: the client sees "no bytes", not the error (seen in CI on an 11 MiB body). Reading the
     * rest is the "lingering close" of nginx and Apache; past the bound the connection is closed
     * anyway, so a client cannot make the server read without end.
     */
    static void discardUnread(Context ctx) {
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[64 * 1024];
            long read = 0;
            for (int n; read < DISCARD_LIMIT_BYTES && (n = in.read(sink)) >= 0; ) {
                read += n;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // the body was consumed another way, or the client went: nothing left to protect
        }
    }

    static SeerException tooLarge() {
        return new SeerException(ServerErrorCode.REQUEST_TOO_LARGE, "The request body is larger than the "
                + SeerServer.MAX_JSON_BODY_BYTES / (1024 * 1024) + " MiB a JSON body may be; send files as uploads",
                Map.of("limit_bytes", SeerServer.MAX_JSON_BODY_BYTES));
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
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

package dev.seer.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer to a request Jetty refuses before any route sees it: a path with an encoded NUL or
 * an ambiguous separator, a header too large. Jetty wrote an HTML page and then closed the
 * connection without saying so ({@code Connection: close}), so a client that keeps connections
 * alive sent its next request into a closed socket; the JDK's client retries only idempotent
 * requests, and a POST failed with no answer at all. Here the answer has Seer's error shape and
 * MLflow's fields, and says the connection closes.
 */
final class JettyErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        SeerException error = code >= 500
                // An escaped failure or a server stopping: its message (an exception's text) stays in the log.
                ? new SeerException(code == 503 ? ServerErrorCode.SERVER_UNREACHABLE : ServerErrorCode.INTERNAL,
                        "The server could not handle the request (status " + code + "); see the server log",
                        Map.of("status", code))
                : new SeerException(ServerErrorCode.BAD_REQUEST, "The request was refused before routing ("
                        + (message == null || message.isBlank() ? "status " + code : message) + "): its path holds an"
                        + " encoded NUL, an ambiguous separator or segment, or a header is too large",
                        Map.of("status", code));
        // Jetty has replaced the refused URI (it reads "/badMessage"), so whether the request was
        // for MLflow's API is unknown: the body carries both shapes, MLflow's fields beside Seer's.
        ObjectNode body = MlflowJson.error(error).json();
        body.setAll(Http.error(error));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        response.write(true, ByteBuffer.wrap(Json.write(body).getBytes(StandardCharsets.UTF_8)), callback);
    }
}

package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.server.Operation;
import dev.seer.server.ServerErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The CLI talking to the server that owns the home: every operation through one generic exchange. */
final class RemoteBackend implements Backend {
    private final String url;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RemoteBackend(String url, String token) {
        this.url = url;
        this.token = token;
    }

    /**
     * Sends one operation: path fields into the path (URL-encoded), the other fields as the query
     * of a GET or DELETE or the JSON body of a POST. Input files (local paths in the request) are
     * uploaded and an output, if the request names one, downloaded to that local path: the server
     * sees no path of this machine.
     */
    @Override
    public <I, O> O call(Operation<I, O> operation, I request, Consumer<String> progress) {
        ObjectNode body = operation.encodeRequest(request);
        String path = path(operation, body);
        String method = operation.method().name();
        if (operation.bodyField().isPresent()) {
            return operation.decodeResponse(send(method, path, body.get(operation.bodyField().get())));
        }
        if (operation.method() != Operation.Method.POST) {
            return operation.decodeResponse(send(method, path + query(body), null));
        }
        if (operation.inputs().isEmpty() && operation.outputs().isEmpty()) {
            return operation.decodeResponse(send(method, path, body));
        }
        Upload upload = new Upload(body);
        for (Operation.FileInput input : operation.inputs()) {
            if (body.hasNonNull(input.field())) {
                Operation.FileInput.Upload files = input.upload(Path.of(body.remove(input.field()).asText()));
                files.fields().forEach(body::put);
                files.parts().forEach(part -> upload.file(part.part(), part.filename(), part.file()));
            }
        }
        Optional<String> output = operation.outputs().stream().map(Operation.FileOutput::field).filter(body::hasNonNull)
                .findFirst();
        if (output.isEmpty()) {
            return operation.decodeResponse(upload(method, path, upload));
        }
        Path out = Path.of(body.remove(output.get()).asText());
        ObjectNode answer = (ObjectNode) download(path, upload, out);
        return operation.decodeResponse(answer.put(output.get(), out.toString()));
    }

    /** The operation's path with its path fields, taken out of {@code body}, filled in. */
    private static String path(Operation<?, ?> operation, ObjectNode body) {
        String path = operation.path();
        for (String field : operation.pathFields()) {
            JsonNode value = body.remove(field);
            path = path.replace("{" + field + "}", URLEncoder.encode(value == null ? "" : value.asText(),
                    StandardCharsets.UTF_8));
        }
        return path;
    }

    private static String query(ObjectNode body) {
        StringBuilder query = new StringBuilder();
        body.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull()) {
                query.append(query.length() == 0 ? '?' : '&').append(field.getKey()).append('=')
                        .append(URLEncoder.encode(field.getValue().asText(), StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }


    @Override
    public String describe() {
        return "server " + url;
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return answer(exchange(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** A request with files: multipart when it has any, else its JSON alone. */
    private JsonNode upload(String method, String path, Upload upload) {
        HttpRequest.Builder request = request(path).method(method, upload.publisher())
                .header("Content-Type", upload.contentType());
        return answer(exchange(request, HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * Sends {@code upload} and writes the file the server answers with to {@code out} (through a
     * temporary file beside it, moved in once complete); returns the result from its header.
     */
    private JsonNode download(String path, Upload upload, Path out) {
        Path target = out.toAbsolutePath();
        Path partial;
        try {
            Files.createDirectories(target.getParent());
            partial = Files.createFile(target.resolveSibling("." + target.getFileName() + "." + System.nanoTime()
                    + ".partial"));
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Cannot write beside [" + out + "]: " + e.getMessage(),
                    Map.of("path", out.toString()), e);
        }
        try {
            HttpResponse<Path> response = exchange(request(path).POST(upload.publisher())
                    .header("Content-Type", upload.contentType()), HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() >= 400) {
                throw remoteError(response.statusCode(), Json.parse(Files.readString(partial)));
            }
            JsonNode result = Json.parse(response.headers().firstValue("Seer-Result").orElse("{}"));
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } catch (IOException e) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "Cannot write [" + out + "]: " + e.getMessage(),
                    Map.of("path", out.toString()), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // best effort: the partial file is named as such
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(10))
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request.build(), handler);
        } catch (IOException e) {
            throw new SeerException(ServerErrorCode.SERVER_UNREACHABLE, "Cannot reach the Seer server at [" + url
                    + "]: " + e.getMessage(), Map.of("url", url), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(ServerErrorCode.SERVER_UNREACHABLE, "Interrupted talking to [" + url + "]", Map.of());
        }
    }

    private static JsonNode answer(HttpResponse<String> response) {
        JsonNode answer = response.body().isBlank() ? Json.object() : Json.parse(response.body());
        if (response.statusCode() >= 400) {
            throw remoteError(response.statusCode(), answer);
        }
        return answer;
    }

    private static SeerException remoteError(int status, JsonNode answer) {
        JsonNode error = answer.path("error");
        ErrorCategory category = Arrays.stream(ErrorCategory.values())
                .filter(c -> c.httpStatus() == status).findFirst().orElse(ErrorCategory.INTERNAL);
        String code = error.path("code").asText("HTTP_" + status);
        Map<String, Object> details = Json.mapper().convertValue(error.path("details").isObject() ? error.path("details")
                : Json.object(), Json.mapper().getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        return new SeerException(new RemoteErrorCode(code, category), error.path("message").asText("HTTP " + status), details);
    }

    /** An error code as the server named it. */
    record RemoteErrorCode(String name, ErrorCategory category) implements ErrorCode {}

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 has no close; its threads are daemons.
    }
}

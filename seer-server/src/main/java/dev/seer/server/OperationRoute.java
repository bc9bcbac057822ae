package dev.seer.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one route adapter: serves any {@link Operation} over HTTP. It reads the request JSON,
 * merges in the path fields (and for GET and DELETE the query parameters), resolves file fields
 * through {@link RequestFiles} (so a server path reaches the file system only through
 * {@link ServerFiles}' allow-list), calls the handler as the token's actor, and answers with the
 * response codec, the operation's own writer, or the output file.
 */
final class OperationRoute<I, O> {
    private final Operation<I, O> operation;
    private final SeerServices services;
    private final ServerFiles files;
    private final Set<String> parts;
    private final boolean query;

    private OperationRoute(Operation<I, O> operation, SeerServices services, ServerFiles files) {
        this.operation = operation;
        this.services = services;
        this.files = files;
        this.parts = operation.inputs().stream().map(Operation.FileInput::part).collect(Collectors.toUnmodifiableSet());
        this.query = operation.method() != Operation.Method.POST;
    }

    static <I, O> ApiRoute of(Operation<I, O> operation, SeerServices services, ServerFiles files) {
        OperationRoute<I, O> route = new OperationRoute<>(operation, services, files);
        HandlerType method = switch (operation.method()) {
            case GET -> HandlerType.GET;
            case POST -> HandlerType.POST;
            case DELETE -> HandlerType.DELETE;
        };
        return new ApiRoute(method, operation.path(), operation.roles(), route::serve);
    }

    private void serve(Context ctx) throws IOException {
        if (operation.multipart()) {
            try (RequestFiles request = RequestFiles.receive(ctx, files, parts)) {
                serveFiles(ctx, request);
            }
            return;
        }
        ObjectNode body = body(ctx);
        O result = operation.handle(services, operation.decodeRequest(body), Call.of(ctx));
        Optional<Operation.Writer<O>> writer = operation.writer();
        if (writer.isPresent()) {
            writer.get().write(ctx, result);
        } else {
            Http.json(ctx, operation.status(result), operation.encodeResponse(result));
        }
    }

    /** The request JSON of an operation without files: body, then path fields and query parameters over it. */
    private ObjectNode body(Context ctx) {
        ObjectNode body;
        if (operation.bodyField().isPresent()) {
            body = Json.object();
            body.set(operation.bodyField().get(), Json.parse(Http.bodyBytes(ctx))); // one copy, the limit enforced
        } else {
            body = query ? Json.object() : (ObjectNode) Http.body(ctx);
        }
        merge(ctx, body);
        return body;
    }

    private void merge(Context ctx, ObjectNode body) {
        if (query) {
            for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
                if (!param.getValue().isEmpty() && !param.getValue().get(0).isBlank()) {
                    body.put(param.getKey(), param.getValue().get(0));
                }
            }
        }
        if (!operation.pathFields().isEmpty()) {
            for (String field : operation.pathFields()) {
                body.put(field, ctx.pathParam(field));
            }
        }
    }

    /** An operation with file fields: inputs resolved to uploads or checked server paths, an output left out sent back. */
    private void serveFiles(Context ctx, RequestFiles request) {
        ObjectNode body = (ObjectNode) request.body();
        merge(ctx, body);
        for (Operation.FileInput input : operation.inputs()) {
            input.resolve(request, body, services).ifPresent(path -> body.put(input.field(), path.toString()));
        }
        Optional<Path> download = Optional.empty();
        for (Operation.FileOutput output : operation.outputs()) {
            Optional<Path> named = request.outputPath(output.field());
            Path out = named.orElseGet(() -> request.scratch(output.scratchFile(body)));
            body.put(output.field(), out.toString());
            download = named.isPresent() ? download : Optional.of(out);
        }
        O result = operation.handle(services, operation.decodeRequest(body), Call.of(ctx));
        JsonNode answer = operation.encodeResponse(result);
        if (download.isPresent()) {
            operation.outputs().forEach(output -> ((ObjectNode) answer).remove(output.field()));
            request.send(download.get(), Operation.FileOutput.contentType(download.get()), answer);
        } else {
            Http.json(ctx, operation.status(result), answer);
        }
    }
}

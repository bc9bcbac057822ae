package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.Materializer;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.TreeHead;
import dev.seer.server.ApiJson;
import dev.seer.server.DatasetApi;
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
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The CLI talking to the server that owns the home. */
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
    public AuditPage audit(AuditQuery query) {
        Map<String, String> params = new LinkedHashMap<>();
        query.actor().ifPresent(v -> params.put("actor", v));
        query.action().ifPresent(v -> params.put("action", v));
        query.subjectType().ifPresent(v -> params.put("subject_type", v));
        query.subjectId().ifPresent(v -> params.put("subject_id", v));
        query.from().ifPresent(v -> params.put("from", v.toString()));
        query.to().ifPresent(v -> params.put("to", v.toString()));
        params.put("after", Long.toString(query.afterSeq()));
        params.put("limit", Integer.toString(query.limit()));
        StringBuilder path = new StringBuilder("/api/v1/audit?");
        params.forEach((k, v) -> path.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return ApiJson.page(send("GET", path.substring(0, path.length() - 1), null));
    }

    @Override
    public AuditVerification verify(Optional<TreeHead> against) {
        var body = Json.object();
        against.ifPresent(head -> body.set("against", ApiJson.treeHead(head)));
        return ApiJson.verification(send("POST", "/api/v1/audit/verify", body));
    }

    @Override
    public TreeHead checkpoint() {
        return ApiJson.treeHead(send("POST", "/api/v1/audit/checkpoint", Json.object()));
    }

    @Override
    public InclusionProof prove(long seq, Optional<Long> treeSize) {
        return ApiJson.proof(send("GET", "/api/v1/audit/" + seq + "/proof"
                + treeSize.map(size -> "?tree_size=" + size).orElse(""), null));
    }

    @Override
    public List<FeatureRegistry.Change> planFeatures(Path path) {
        return ApiJson.changes(upload("POST", "/api/v1/features/plan", RepositoryUpload.of(path)));
    }

    @Override
    public List<FeatureRegistry.Change> applyFeatures(Path path) {
        return ApiJson.changes(upload("POST", "/api/v1/features/apply", RepositoryUpload.of(path)));
    }

    @Override
    public List<CatalogEntry> featureViews() {
        return ApiJson.catalogEntries(send("GET", "/api/v1/features/views", null));
    }

    @Override
    public CatalogEntry featureView(String name, Optional<Integer> version) {
        return ApiJson.catalogEntry(send("GET", "/api/v1/features/views/" + URLEncoder.encode(name, StandardCharsets.UTF_8)
                + version.map(v -> "?version=" + v).orElse(""), null));
    }

    @Override
    public IngestReport ingest(String source, Optional<Path> file, java.util.function.Consumer<String> progress) {
        Upload upload = new Upload(Json.object());
        file.ifPresent(f -> upload.file("file", f.getFileName().toString(), f));
        return ApiJson.ingestReport(upload("POST", "/api/v1/ingest/" + URLEncoder.encode(source, StandardCharsets.UTF_8), upload));
    }

    /** The entity file is uploaded and the result downloaded to {@code out}: no path of this machine goes to the server. */
    @Override
    public PointInTimeRetrieval.Result historical(Path entities, List<String> features, Path out, boolean filterByCreated) {
        var body = Json.object().put("filter_by_created_timestamp", filterByCreated)
                .put("format", out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? "csv" : "parquet");
        var array = body.putArray("features");
        features.forEach(array::add);
        Upload upload = new Upload(body).file("entities", entities.getFileName().toString(), entities);
        ObjectNode report = (ObjectNode) download("/api/v1/features/historical", upload, out);
        report.put("out", out.toString());
        return ApiJson.historical(report);
    }

    @Override
    public Materializer.Report materialize(List<String> views, Optional<Instant> start, Instant end) {
        var body = Json.object().put("end", end.toString());
        start.ifPresent(s -> body.put("start", s.toString()));
        var array = body.putArray("views");
        views.forEach(array::add);
        return ApiJson.materialized(send("POST", "/api/v1/materialize", body));
    }

    @Override
    public List<FeatureLookup.EntityValues> online(List<String> features, Map<String, List<String>> entities) {
        var body = Json.object();
        var array = body.putArray("features");
        features.forEach(array::add);
        var given = body.putObject("entities");
        entities.forEach((key, values) -> {
            var column = given.putArray(key);
            values.forEach(column::add);
        });
        return ApiJson.online(send("POST", "/api/v1/features/online", body));
    }

    @Override
    public List<CatalogEntry> batches() {
        return ApiJson.catalogEntries(send("GET", "/api/v1/quarantine", null));
    }

    @Override
    public List<QuarantineRecord> quarantine(String batchId, int limit) {
        return ApiJson.quarantine(send("GET", "/api/v1/quarantine/" + URLEncoder.encode(batchId, StandardCharsets.UTF_8)
                + "?limit=" + limit, null));
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode consistency(String view, int sample, java.util.Optional<java.time.Instant> at) {
        return send("GET", "/api/v1/features/views/" + URLEncoder.encode(view, StandardCharsets.UTF_8) + "/consistency?sample="
                + sample + at.map(t -> "&at=" + URLEncoder.encode(t.toString(), StandardCharsets.UTF_8)).orElse(""), null);
    }

    @Override
    public com.fasterxml.jackson.databind.JsonNode streamingStatus() {
        return send("GET", "/api/v1/streaming/status", null);
    }

    @Override
    public List<dev.seer.features.stream.DeadLetter> deadLetters(java.util.Optional<String> source, int limit) {
        return ApiJson.deadLetters(send("GET", "/api/v1/dead-letters?limit=" + limit
                + source.map(s -> "&source=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).orElse(""), null));
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

    /**
     * The operation's input files (local paths in the request) are uploaded and its output, if
     * any, downloaded to the local path the request names; the server sees no local path.
     */
    @Override
    public JsonNode dataset(DatasetApi.Operation operation, JsonNode request, java.util.function.Consumer<String> progress) {
        ObjectNode body = request.deepCopy();
        Upload upload = new Upload(body);
        for (String field : operation.inputs()) {
            if (body.hasNonNull(field)) {
                Path file = Path.of(body.remove(field).asText());
                upload.file(field, file.getFileName().toString(), file);
            }
        }
        Optional<String> output = operation.outputs().stream().filter(body::hasNonNull).findFirst();
        if (output.isEmpty()) {
            return upload("POST", operation.path(), upload);
        }
        Path out = Path.of(body.remove(output.get()).asText());
        ObjectNode answer = (ObjectNode) download(operation.path(), upload, out);
        return answer.put(output.get(), out.toString());
    }

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 has no close; its threads are daemons.
    }
}

package dev.seer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.features.FeatureRegistry;
import dev.seer.features.FeatureServer;
import dev.seer.features.Materializer;
import java.time.Instant;
import dev.seer.features.HistoricalRetrieval;
import dev.seer.features.IngestReport;
import dev.seer.features.QuarantineRecord;
import java.nio.file.Path;
import dev.seer.core.SeerException;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.IssuedToken;
import dev.seer.metadata.TreeHead;
import dev.seer.server.ApiJson;
import dev.seer.server.ServerErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CLI talking to the server that owns the home. */
final class RemoteBackend implements Backend {
    private final String url;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    RemoteBackend(String url, String token) {
        this.url = url;
        this.token = token;
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
    public IssuedToken createToken(Role role, String name) {
        return ApiJson.issued(send("POST", "/api/v1/tokens", Json.object().put("role", role.id()).put("name", name)));
    }

    @Override
    public List<ApiToken> tokens() {
        return ApiJson.tokens(send("GET", "/api/v1/tokens", null));
    }

    @Override
    public ApiToken revokeToken(String idOrName) {
        return ApiJson.token(send("DELETE", "/api/v1/tokens/" + URLEncoder.encode(idOrName, StandardCharsets.UTF_8), null));
    }

    @Override
    public List<FeatureRegistry.Change> planFeatures(Path path) {
        return ApiJson.changes(send("POST", "/api/v1/features/plan", Json.object().put("path", absolute(path))));
    }

    @Override
    public List<FeatureRegistry.Change> applyFeatures(Path path) {
        return ApiJson.changes(send("POST", "/api/v1/features/apply", Json.object().put("path", absolute(path))));
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
        var body = Json.object();
        file.ifPresent(f -> body.put("file", absolute(f)));
        return ApiJson.ingestReport(send("POST", "/api/v1/ingest/" + URLEncoder.encode(source, StandardCharsets.UTF_8), body));
    }

    @Override
    public HistoricalRetrieval.Report historical(Path entities, List<String> features, Path out, boolean filterByCreated) {
        var body = Json.object().put("entities", absolute(entities)).put("out", absolute(out))
                .put("filter_by_created_timestamp", filterByCreated);
        var array = body.putArray("features");
        features.forEach(array::add);
        return ApiJson.historical(send("POST", "/api/v1/features/historical", body));
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
    public List<FeatureServer.EntityResult> online(List<String> features, Map<String, List<String>> entities) {
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
    public List<dev.seer.streaming.DeadLetter> deadLetters(java.util.Optional<String> source, int limit) {
        return ApiJson.deadLetters(send("GET", "/api/v1/dead-letters?limit=" + limit
                + source.map(s -> "&source=" + URLEncoder.encode(s, StandardCharsets.UTF_8)).orElse(""), null));
    }

    private static String absolute(Path path) {
        return path.toAbsolutePath().normalize().toString();
    }

    @Override
    public String describe() {
        return "server " + url;
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofMinutes(10))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SeerException(ServerErrorCode.SERVER_UNREACHABLE, "Cannot reach the Seer server at [" + url
                    + "]: " + e.getMessage(), Map.of("url", url), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SeerException(ServerErrorCode.SERVER_UNREACHABLE, "Interrupted talking to [" + url + "]", Map.of());
        }
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
    public JsonNode dataset(dev.seer.server.DatasetApi.Operation operation, JsonNode request,
            java.util.function.Consumer<String> progress) {
        return send("POST", operation.path(), request);
    }

    @Override
    public void close() {
        // java.net.http.HttpClient on Java 17 has no close; its threads are daemons.
    }
}

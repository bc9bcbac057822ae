package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.SplitSpec;
import io.javalin.http.Context;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Versioned datasets over HTTP: {@code POST /api/v1/datasets/<operation>} with a JSON body, one
 * route per {@link Operation}. The CLI, with no server, calls {@link #call} itself, so both
 * answer with the same JSON. Over HTTP an operation's {@link Operation#inputs() inputs} are
 * uploaded (multipart parts named by the field) or name paths inside the server's file roots,
 * and its {@link Operation#outputs() outputs}, when the request leaves them out, come back as
 * the response body (see {@link RequestFiles}).
 */
public final class DatasetApi {
    /** The operations, with the roles that may call them: reading for all who read data, writing for scientists. */
    public enum Operation {
        LIST(ADMIN, SCIENTIST, OPERATOR, AUDITOR),
        VERSIONS(ADMIN, SCIENTIST, OPERATOR, AUDITOR),
        SHOW(ADMIN, SCIENTIST, OPERATOR, AUDITOR),
        LINEAGE(ADMIN, SCIENTIST, OPERATOR, AUDITOR),
        DIFF(ADMIN, SCIENTIST, AUDITOR),
        EXPORT(ADMIN, SCIENTIST),
        CREATE(ADMIN, SCIENTIST),
        IMPORT(ADMIN, SCIENTIST),
        REPRODUCE(ADMIN, SCIENTIST, AUDITOR),
        VERIFY(ADMIN, OPERATOR, AUDITOR),
        GC(ADMIN, OPERATOR);

        private final ApiRole[] roles;

        Operation(ApiRole... roles) {
            this.roles = roles;
        }

        public String path() {
            return "/api/v1/datasets/" + name().toLowerCase(Locale.ROOT);
        }

        /** The request fields that name a file the operation reads. */
        public Set<String> inputs() {
            return switch (this) {
                case CREATE -> Set.of("entities");
                case IMPORT -> Set.of("file");
                default -> Set.of();
            };
        }

        /** The request fields that name a file the operation writes (Parquet). */
        public Set<String> outputs() {
            return this == EXPORT ? Set.of("out") : Set.of();
        }
    }

    private final DatasetStore datasets;
    private final ServerFiles files;

    DatasetApi(DatasetStore datasets, ServerFiles files) {
        this.datasets = datasets;
        this.files = files;
    }

    List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>();
        for (Operation operation : Operation.values()) {
            routes.add(ApiRoute.post(operation.path(), ctx -> serve(ctx, operation), operation.roles));
        }
        return routes;
    }

    /** One operation over HTTP: its file fields resolved to uploads or checked server paths, an output left out sent back. */
    private void serve(Context ctx, Operation operation) {
        try (RequestFiles request = RequestFiles.receive(ctx, files, operation.inputs())) {
            ObjectNode body = request.body().deepCopy();
            for (String field : operation.inputs()) {
                request.input(field).ifPresent(path -> body.put(field, path.toString()));
            }
            Optional<Path> download = Optional.empty();
            for (String field : operation.outputs()) {
                Optional<Path> named = request.outputPath(field);
                Path out = named.orElseGet(() -> request.scratch(field + ".parquet"));
                body.put(field, out.toString());
                download = named.isPresent() ? download : Optional.of(out);
            }
            JsonNode result = call(datasets, operation, body, Authenticator.actor(ctx), message -> { });
            if (download.isPresent()) {
                operation.outputs().forEach(((ObjectNode) result)::remove);
                request.send(download.get(), Http.PARQUET, result);
            } else {
                Http.json(ctx, result);
            }
        }
    }

    /** Runs one operation; {@code progress} hears the steps of long ones. */
    public static JsonNode call(DatasetStore datasets, Operation operation, JsonNode request, String actor,
            Consumer<String> progress) {
        return switch (operation) {
            case LIST -> versions(datasets.list());
            case VERSIONS -> versions(datasets.versions(text(request, "name")));
            case SHOW -> version(datasets.get(ref(request, "dataset")));
            case LINEAGE -> datasets.lineage(ref(request, "dataset"));
            case DIFF -> datasets.diff(ref(request, "a"), ref(request, "b"), texts(request, "key"));
            case EXPORT -> Json.object().put("out", datasets.export(ref(request, "dataset"), optional(request, "split"),
                    Path.of(text(request, "out"))).toString());
            case CREATE -> written(datasets.create(text(request, "name"), new DatasetStore.CreateRequest(
                    Path.of(text(request, "entities")), texts(request, "features"), optional(request, "label"),
                    request.path("filter_by_created_timestamp").asBoolean(), split(request)), actor, progress));
            case IMPORT -> written(datasets.importFile(text(request, "name"), new DatasetStore.ImportRequest(
                    Path.of(text(request, "file")), texts(request, "key"), optional(request, "label"), split(request)),
                    actor, progress));
            case REPRODUCE -> reproduction(datasets.reproduce(ref(request, "dataset"), progress));
            case VERIFY -> verification(datasets.verify(progress));
            case GC -> garbage(datasets.gc(request.path("dry_run").asBoolean(), actor));
        };
    }

    /** The request of a split: {@code split: {method: key|time, columns: [...], fractions: "0.8,0.1,0.1"}}. */
    public static ObjectNode splitJson(String method, List<String> columns, String fractions) {
        ObjectNode split = Json.object().put("method", method).put("fractions", fractions);
        columns.forEach(split.putArray("columns")::add);
        return split;
    }

    private static Optional<SplitSpec> split(JsonNode request) {
        JsonNode split = request.path("split");
        if (!split.isObject()) {
            return Optional.empty();
        }
        String method = split.path("method").asText();
        SplitSpec.Method parsed = switch (method) {
            case "key" -> SplitSpec.Method.KEY;
            case "time" -> SplitSpec.Method.TIME;
            default -> throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[split.method] must be key or time, not ["
                    + method + "]", Map.of("field", "split.method"));
        };
        return Optional.of(SplitSpec.parse(parsed, texts(split, "columns"), split.path("fractions").asText("0.8,0.1,0.1")));
    }

    private static ObjectNode version(DatasetVersion version) {
        ObjectNode node = Json.object().put("dataset", version.toString()).put("name", version.name())
                .put("version", version.version()).put("created", version.created().toString())
                .put("created_by", version.createdBy());
        node.set("manifest", version.manifest().toJson()); // the codec's form, as the catalog records it
        return node;
    }

    private static ArrayNode versions(List<DatasetVersion> versions) {
        ArrayNode array = Json.mapper().createArrayNode();
        versions.forEach(v -> array.add(version(v)));
        return array;
    }

    private static ObjectNode written(DatasetStore.Written written) {
        return version(written.version()).put("created_new_version", written.created()).put("bytes_stored",
                written.bytesStored());
    }

    private static ObjectNode reproduction(DatasetStore.Reproduction r) {
        ObjectNode node = Json.object().put("dataset", r.dataset()).put("same", r.same()).put("recorded_hash", r.recordedHash())
                .put("reproduced_hash", r.reproducedHash());
        node.set("recorded_splits", Json.mapper().valueToTree(r.recordedSplits()));
        node.set("reproduced_splits", Json.mapper().valueToTree(r.reproducedSplits()));
        return node;
    }

    private static ObjectNode verification(DatasetStore.Verification v) {
        ObjectNode node = Json.object().put("ok", v.ok()).put("objects", v.objects()).put("bytes", v.bytes());
        ArrayNode problems = node.putArray("problems");
        v.problems().forEach(p -> {
            ObjectNode problem = problems.addObject().put("object", p.object()).put("message", p.message());
            p.usedBy().forEach(problem.putArray("used_by")::add);
        });
        return node;
    }

    private static ObjectNode garbage(DatasetStore.GarbageReport g) {
        ObjectNode node = Json.object().put("dry_run", g.dryRun()).put("bytes", g.bytes());
        g.objects().forEach(node.putArray("objects")::add);
        g.leftovers().forEach(node.putArray("leftovers")::add);
        return node;
    }

    private static DatasetRef ref(JsonNode request, String field) {
        return DatasetRef.parse(text(request, field));
    }

    private static String text(JsonNode request, String field) {
        return Http.requiredText(request, field);
    }

    private static Optional<String> optional(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    /** A list of strings; absent is empty, anything but a list of strings is refused, naming the field. */
    private static List<String> texts(JsonNode request, String field) {
        JsonNode array = request.path(field);
        List<String> texts = new ArrayList<>();
        if (array.isMissingNode() || array.isNull()) {
            return texts;
        }
        if (!array.isArray()) {
            throw new SeerException(CoreErrorCode.INVALID_ARGUMENT, "[" + field + "] must be a list of strings", Map.of("field",
                    field));
        }
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}

package dev.seer.server;

import static dev.seer.server.ApiJson.list;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.CoreErrorCode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The JSON of MLflow's REST API ({@code /api/2.0/mlflow/...}), both ways, with MLflow's field
 * names as its protos ({@code service.proto}, {@code model_registry.proto},
 * {@code mlflow_artifacts.proto}) and its protobuf JSON mapping have them: ids and versions as
 * strings, times in epoch milliseconds, tags and params as {@code [{key, value}]}, NaN and
 * infinities as {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. Numbers in requests are
 * read as JSON numbers or strings (the Java client sends int64 values as strings).
 *
 * <p>What MLflow's messages do not carry is not on this wire: a run's provenance, a version's
 * {@link VersionDetails} and checks. Read back, a run has no provenance (its parent comes from the
 * {@code mlflow.parentRunId} tag) and a version {@link VersionDetails#NONE} and no checks.
 */
final class MlflowJson {
    /** MLflow's only stage now that stages are deprecated; Seer has aliases instead. */
    static final String STAGE_NONE = "None";
    /** A version Seer stores is complete when created. */
    static final String READY = "READY";

    private MlflowJson() {}

    /** One page of a search: its items and, unless it is the last page, the token of the next. */
    record Page<T>(List<T> items, Optional<String> nextPageToken) {
        Page {
            items = List.copyOf(items);
        }
    }

    /** MLflow's {@code RunInfo}: a run without its data, as {@code runs/update} answers. */
    record RunInfo(String runId, String experimentId, String name, String userId, RunStatus status, Instant started,
            Optional<Instant> ended, Lifecycle lifecycle, String artifactUri) {
        static RunInfo of(Run r) {
            return new RunInfo(r.id(), r.experimentId(), r.name(), r.userId(), r.status(), r.started(), r.ended(),
                    r.lifecycle(), r.artifactUri());
        }
    }

    /** A registered model with its latest version per stage (MLflow's {@code latest_versions}). */
    record ModelAnswer(RegisteredModel model, List<ModelVersion> latest) {
        ModelAnswer {
            latest = List.copyOf(latest);
        }
    }

    /** One entry of an artifact listing, MLflow's {@code FileInfo}: the size only for a file. */
    record FileInfo(String path, boolean directory, OptionalLong size) {}

    // ---- experiments

    static ObjectNode experiment(Experiment e) {
        ObjectNode node = Json.object().put("experiment_id", e.id()).put("name", e.name())
                .put("artifact_location", e.artifactLocation()).put("lifecycle_stage", e.lifecycle().id())
                .put("last_update_time", e.lastUpdated().toEpochMilli()).put("creation_time", e.created().toEpochMilli());
        node.set("tags", keyValues(e.tags()));
        return node;
    }

    static Experiment experiment(JsonNode node) {
        return new Experiment(text(node, "experiment_id"), text(node, "name"), text(node, "artifact_location"),
                Lifecycle.parse(text(node, "lifecycle_stage")), instant(node, "creation_time"), instant(node, "last_update_time"),
                keyValues(node.get("tags")));
    }

    // ---- runs

    static ObjectNode run(Run r) {
        ObjectNode node = Json.object();
        node.set("info", runInfo(RunInfo.of(r)));
        ObjectNode data = node.putObject("data");
        data.set("metrics", list(r.metrics(), MlflowJson::metric));
        data.set("params", keyValues(r.params()));
        data.set("tags", keyValues(r.tags()));
        return node;
    }

    static Run run(JsonNode node) {
        RunInfo info = runInfo(node.path("info"));
        JsonNode data = node.path("data");
        Map<String, String> tags = keyValues(data.get("tags"));
        return new Run(info.runId(), info.experimentId(), info.name(), info.userId(), info.status(), info.started(),
                info.ended(), info.lifecycle(), info.artifactUri(), Optional.ofNullable(tags.get(TrackingStore.PARENT_TAG)),
                keyValues(data.get("params")), tags, list(data.get("metrics"), MlflowJson::metric), Optional.empty());
    }

    static ObjectNode runInfo(RunInfo r) {
        ObjectNode node = Json.object().put("run_id", r.runId()).put("run_uuid", r.runId()).put("run_name", r.name())
                .put("experiment_id", r.experimentId()).put("user_id", r.userId()).put("status", r.status().name())
                .put("start_time", r.started().toEpochMilli());
        r.ended().ifPresent(end -> node.put("end_time", end.toEpochMilli()));
        return node.put("artifact_uri", r.artifactUri()).put("lifecycle_stage", r.lifecycle().id());
    }

    static RunInfo runInfo(JsonNode node) {
        return new RunInfo(text(node, "run_id"), text(node, "experiment_id"), text(node, "run_name"),
                optionalText(node, "user_id").orElse(""), RunStatus.parse(text(node, "status")), instant(node, "start_time"),
                node.has("end_time") ? Optional.of(instant(node, "end_time")) : Optional.empty(),
                Lifecycle.parse(text(node, "lifecycle_stage")), text(node, "artifact_uri"));
    }

    static ObjectNode metric(Metric m) {
        ObjectNode node = Json.object().put("key", m.key());
        if (Double.isFinite(m.value())) {
            node.put("value", m.value());
        } else {
            node.put("value", Double.isNaN(m.value()) ? "NaN" : m.value() > 0 ? "Infinity" : "-Infinity");
        }
        return node.put("timestamp", m.timestamp()).put("step", m.step());
    }

    /** A metric as MLflow sends one: value a number or a string, timestamp and step numbers or strings, step 0 if absent. */
    static Metric metric(JsonNode node) {
        return new Metric(text(node, "key"), decimal(node, "value"), number(node, "timestamp").orElseThrow(
                () -> missing("timestamp")), number(node, "step").orElse(0));
    }

    // ---- registered models and versions

    static ObjectNode model(ModelAnswer answer) {
        RegisteredModel m = answer.model();
        ObjectNode node = Json.object().put("name", m.name()).put("creation_timestamp", m.created().toEpochMilli())
                .put("last_updated_timestamp", m.updated().toEpochMilli()).put("description", m.description());
        if (!answer.latest().isEmpty()) {
            node.set("latest_versions", list(answer.latest(), MlflowJson::version));
        }
        node.set("tags", keyValues(m.tags()));
        ArrayNode aliases = node.putArray("aliases");
        new TreeMap<>(m.aliases()).forEach((alias, version) -> aliases.addObject().put("alias", alias)
                .put("version", Integer.toString(version)));
        return node;
    }

    static ModelAnswer model(JsonNode node) {
        Map<String, Integer> aliases = new LinkedHashMap<>();
        node.path("aliases").forEach(a -> aliases.put(text(a, "alias"), Integer.parseInt(text(a, "version"))));
        RegisteredModel model = new RegisteredModel(text(node, "name"), optionalText(node, "description").orElse(""),
                instant(node, "creation_timestamp"), instant(node, "last_updated_timestamp"), keyValues(node.get("tags")),
                aliases);
        return new ModelAnswer(model, list(node.get("latest_versions"), MlflowJson::version));
    }

    static ObjectNode version(ModelVersion v) {
        ObjectNode node = Json.object().put("name", v.name()).put("version", Integer.toString(v.version()))
                .put("creation_timestamp", v.created().toEpochMilli()).put("last_updated_timestamp", v.updated().toEpochMilli())
                .put("user_id", v.userId()).put("current_stage", STAGE_NONE).put("description", v.description())
                .put("source", v.source());
        v.runId().ifPresent(run -> node.put("run_id", run));
        node.put("status", READY);
        node.set("tags", keyValues(v.tags()));
        v.aliases().stream().sorted().forEach(node.putArray("aliases")::add);
        return node;
    }

    static ModelVersion version(JsonNode node) {
        List<String> aliases = new ArrayList<>();
        node.path("aliases").forEach(a -> aliases.add(a.asText()));
        return new ModelVersion(text(node, "name"), Integer.parseInt(text(node, "version")),
                instant(node, "creation_timestamp"), instant(node, "last_updated_timestamp"),
                optionalText(node, "description").orElse(""), optionalText(node, "user_id").orElse(""), text(node, "source"),
                optionalText(node, "run_id"), VersionDetails.NONE, keyValues(node.get("tags")), aliases, List.of());
    }

    // ---- artifacts

    static ObjectNode files(List<FileInfo> files) {
        ObjectNode node = Json.object();
        if (!files.isEmpty()) { // protobuf's JSON leaves an empty repeated field out
            ArrayNode array = node.putArray("files");
            for (FileInfo f : files) {
                ObjectNode file = array.addObject().put("path", f.path()).put("is_dir", f.directory());
                f.size().ifPresent(size -> file.put("file_size", size));
            }
        }
        return node;
    }

    static List<FileInfo> files(JsonNode node) {
        return list(node.get("files"), f -> new FileInfo(text(f, "path"), f.path("is_dir").asBoolean(),
                f.has("file_size") ? OptionalLong.of(f.get("file_size").asLong()) : OptionalLong.empty()));
    }

    // ---- pages and lists

    static <T> ObjectNode page(String field, Page<T> page, Function<T, ObjectNode> encode) {
        ObjectNode node = Json.object();
        node.set(field, list(page.items(), encode));
        page.nextPageToken().ifPresent(token -> node.put("next_page_token", token)); // none on the last page
        return node;
    }

    static <T> Page<T> page(JsonNode node, String field, Function<JsonNode, T> decode) {
        return new Page<>(list(node.get(field), decode), optionalText(node, "next_page_token"));
    }

    /** Tags or params: {@code [{"key", "value"}]}, by key. */
    static ArrayNode keyValues(Map<String, String> map) {
        ArrayNode array = Json.mapper().createArrayNode();
        new TreeMap<>(map).forEach((k, v) -> array.addObject().put("key", k).put("value", v));
        return array;
    }

    static Map<String, String> keyValues(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isArray()) {
            node.forEach(kv -> map.put(text(kv, "key"), optionalText(kv, "value").orElse("")));
        } else if (node != null && !node.isNull() && !node.isMissingNode()) {
            throw invalid("[tags] and [params] are lists of {\"key\", \"value\"}", "tags");
        }
        return map;
    }

    // ---- reading request fields

    static String text(JsonNode node, String field) {
        return optionalText(node, field).orElseThrow(() -> missing(field));
    }

    static Optional<String> optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return Optional.empty();
        }
        String text = value.asText();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** An int64 field, as a JSON number or a string of digits. */
    static OptionalLong number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return OptionalLong.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return OptionalLong.of(value.asLong());
        }
        try {
            return OptionalLong.of(Long.parseLong(value.asText().trim()));
        } catch (NumberFormatException e) {
            throw invalid("[" + field + "] value [" + shown(value.asText()) + "] is not a whole number", field);
        }
    }

    /** A double field: a JSON number, or a string holding one (with {@code NaN} and infinities). */
    static double decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw missing(field);
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        try {
            return Double.parseDouble(value.asText().trim());
        } catch (NumberFormatException e) {
            throw invalid("[" + field + "] value [" + shown(value.asText()) + "] is not a number", field);
        }
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.ofEpochMilli(number(node, field).orElseThrow(() -> missing(field)));
    }


    private static String shown(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "...";
    }

    static SeerException missing(String field) {
        return invalid("Missing value for required parameter '" + field + "'", field);
    }

    static SeerException invalid(String message, String field) {
        return new SeerException(CoreErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }

    // ---- errors

    /**
     * A Seer error in MLflow's shape, {@code {"error_code", "message"}}, with the status MLflow
     * gives that code, except {@code INVALID_STATE}: MLflow answers it with 500, which tells a
     * client to retry a refusal that will not change, so Seer keeps its 409 (the category's).
     */
    record Error(int status, String code, String message) {
        ObjectNode json() {
            return Json.object().put("error_code", code).put("message", message);
        }
    }

    static Error error(SeerException e) {
        String code = e.errorCode().code();
        return switch (e.category()) {
            case NOT_FOUND -> code.equals(ServerErrorCode.ROUTE_NOT_FOUND.code())
                    ? new Error(404, "ENDPOINT_NOT_FOUND", e.getMessage())
                    : new Error(404, "RESOURCE_DOES_NOT_EXIST", e.getMessage());
            case USER_ERROR -> new Error(400, "INVALID_PARAMETER_VALUE", e.getMessage());
            // MLflow has no code for a body over the limit; the status says it, as on Seer's own API
            case TOO_LARGE -> new Error(ErrorCategory.TOO_LARGE.httpStatus(), "INVALID_PARAMETER_VALUE", e.getMessage());
            case CONFLICT -> code.equals("ALREADY_EXISTS")
                    ? new Error(400, "RESOURCE_ALREADY_EXISTS", e.getMessage())
                    : new Error(ErrorCategory.CONFLICT.httpStatus(), "INVALID_STATE", e.getMessage());
            case UNAUTHORISED -> new Error(401, "UNAUTHENTICATED", e.getMessage());
            case FORBIDDEN -> new Error(403, "PERMISSION_DENIED", e.getMessage());
            case UNAVAILABLE -> new Error(503, "TEMPORARILY_UNAVAILABLE", e.getMessage());
            case BUSY -> new Error(ErrorCategory.BUSY.httpStatus(), "REQUEST_LIMIT_EXCEEDED", e.getMessage());
            case INTERNAL -> new Error(500, "INTERNAL_ERROR", "Internal error [" + code + "]; see the server log");
        };
    }

    /** Whether a request path is MLflow's API, whose errors take MLflow's shape. */
    static boolean isMlflowPath(String path) {
        return path.startsWith("/api/2.0/");
    }
}

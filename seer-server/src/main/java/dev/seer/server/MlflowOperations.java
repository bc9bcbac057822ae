package dev.seer.server;

import static dev.seer.server.ApiRole.ADMIN;
import static dev.seer.server.ApiRole.AUDITOR;
import static dev.seer.server.ApiRole.OPERATOR;
import static dev.seer.server.ApiRole.SCIENTIST;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.search.PageToken;
import dev.seer.registry.search.RunSearch;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MLflow's REST API over Seer's tracking and registry, so that MLflow's clients log runs and
 * register models against Seer with a Seer token: the paths, methods and JSON of MLflow's
 * {@code service.proto} and {@code model_registry.proto} (GET with query parameters for reads,
 * POST with a JSON body for writes), errors in MLflow's shape ({@link MlflowJson#error}).
 * Reading is for every role; logging, creating experiments and registering for admins and
 * scientists; moving aliases also for operators. A protected alias moves through MLflow's alias
 * API only onto a version whose check passed: MLflow's API has no override.
 *
 * <p>The artifact proxy's upload and download take and give raw bytes, not JSON, and are the
 * routes of {@link MlflowArtifacts}; its listing, JSON, is {@link #LIST_ARTIFACTS} here.
 */
public final class MlflowOperations {
    static final String API = "/api/2.0/mlflow/";
    private static final ApiRole[] READERS = {ADMIN, SCIENTIST, OPERATOR, AUDITOR};
    private static final ApiRole[] WRITERS = {ADMIN, SCIENTIST};
    /** MLflow's default page sizes: experiments and runs 1,000, registered models 100, model versions 200,000. */
    private static final int EXPERIMENTS_PAGE = 1000;
    private static final int RUNS_PAGE = 1000;
    private static final int MODELS_PAGE = 100;
    private static final int VERSIONS_PAGE = 200_000;
    private static final int HISTORY_PAGE = 25_000;
    /** MLflow's largest pages: registered models 1,000, model versions 200,000, the rest 50,000. */
    private static final int MODELS_LIMIT = 1000;
    private static final int VERSIONS_LIMIT = 200_000;

    /** {@code experiments/create}. */
    public record CreateExperiment(String name, Optional<String> artifactLocation, Map<String, String> tags) {}

    /** {@code experiments/search}: MLflow's filter on name, times and tags ({@link MlflowExperimentFilter}). */
    public record SearchExperiments(int maxResults, Optional<String> pageToken, Optional<String> filter, ViewType viewType,
            List<String> orderBy) {}

    /** {@code runs/create}. */
    public record CreateRun(String experimentId, Optional<String> userId, OptionalLong startTime, Optional<String> runName,
            Map<String, String> tags) {}

    /** {@code runs/update}. */
    public record UpdateRun(String runId, Optional<RunStatus> status, OptionalLong endTime, Optional<String> runName) {}

    /** {@code runs/log-parameter} and {@code runs/set-tag}: a key and value of a run. */
    public record KeyValue(String runId, String key, String value) {}

    /** {@code experiments/set-experiment-tag}. */
    public record ExperimentTag(String experimentId, String key, String value) {}

    /** {@code runs/delete-tag}. */
    public record RunKey(String runId, String key) {}

    /** {@code runs/log-metric}. */
    public record LogMetric(String runId, Metric metric) {}

    /** {@code runs/log-batch}. */
    public record LogBatch(String runId, TrackingStore.Batch batch) {}

    /** {@code runs/search}. */
    public record SearchRuns(List<String> experimentIds, String filter, ViewType viewType, int maxResults,
            List<String> orderBy, Optional<String> pageToken) {}

    /** {@code metrics/get-history}. */
    public record MetricHistory(String runId, String key, int maxResults, Optional<String> pageToken) {}

    /** {@code registered-models/create}. */
    public record CreateModel(String name, String description, Map<String, String> tags) {}

    /** {@code registered-models/search} and {@code model-versions/search}. */
    public record Search(Optional<String> filter, int maxResults, Optional<String> pageToken) {}

    /** {@code registered-models/get-latest-versions}: the stages asked (only {@code None} holds versions in Seer). */
    public record LatestVersions(String name, List<String> stages) {}

    /** {@code model-versions/create}. */
    public record CreateVersion(String name, String source, Optional<String> runId, String description,
            Map<String, String> tags) {}

    /** A model version by name and number. */
    public record VersionRef(String name, int version) {}

    /** {@code registered-models/alias} (POST): points {@code alias} at {@code version}. */
    public record SetAlias(String name, String alias, int version) {}

    /** {@code registered-models/alias} (GET, DELETE). */
    public record AliasRef(String name, String alias) {}

    private static final Codec<Codec.Empty> EMPTY_ANSWER = Codec.EMPTY;

    // ---- experiments

    public static final Operation<CreateExperiment, String> CREATE_EXPERIMENT = Operation
            .<CreateExperiment, String>post("mlflow.experiments.create", API + "experiments/create").roles(WRITERS)
            .request(Codec.of(e -> {
                ObjectNode node = Json.object().put("name", e.name());
                e.artifactLocation().ifPresent(a -> node.put("artifact_location", a));
                node.set("tags", MlflowJson.keyValues(e.tags()));
                return node;
            }, node -> new CreateExperiment(MlflowJson.text(node, "name"), MlflowJson.optionalText(node, "artifact_location"),
                    MlflowJson.keyValues(node.get("tags")))))
            .response(Codec.of(id -> Json.object().put("experiment_id", id), node -> MlflowJson.text(node, "experiment_id")))
            .handler((services, e, call) -> {
                if (e.artifactLocation().isPresent()) {
                    throw MlflowJson.invalid("Seer keeps artifacts itself; [artifact_location] cannot be chosen",
                            "artifact_location");
                }
                return services.tracking().createExperiment(e.name(), Optional.empty(), e.tags(), call.actor()).id();
            });

    public static final Operation<String, Experiment> GET_EXPERIMENT = Operation
            .<String, Experiment>get("mlflow.experiments.get", API + "experiments/get").roles(READERS)
            .request(Codec.of(id -> Json.object().put("experiment_id", id), node -> MlflowJson.text(node, "experiment_id")))
            .response(experimentAnswer())
            .handler((services, id, call) -> services.tracking().experiment(id));

    public static final Operation<String, Experiment> GET_EXPERIMENT_BY_NAME = Operation
            .<String, Experiment>get("mlflow.experiments.get-by-name", API + "experiments/get-by-name").roles(READERS)
            .request(Codec.of(name -> Json.object().put("experiment_name", name),
                    node -> MlflowJson.text(node, "experiment_name")))
            .response(experimentAnswer())
            .handler((services, name, call) -> services.tracking().experimentByName(name).orElseThrow(
                    () -> new SeerException(RegistryErrorCode.NOT_FOUND, "Could not find experiment with name [" + name + "]",
                            Map.of("experiment", name))));

    public static final Operation<SearchExperiments, MlflowJson.Page<Experiment>> SEARCH_EXPERIMENTS = Operation
            .<SearchExperiments, MlflowJson.Page<Experiment>>post("mlflow.experiments.search", API + "experiments/search")
            .roles(READERS)
            .request(Codec.of(s -> {
                ObjectNode node = Json.object().put("max_results", s.maxResults()).put("view_type", s.viewType().name());
                s.pageToken().ifPresent(t -> node.put("page_token", t));
                s.filter().ifPresent(f -> node.put("filter", f));
                s.orderBy().forEach(node.putArray("order_by")::add);
                return node;
            }, node -> new SearchExperiments(maxResults(node, EXPERIMENTS_PAGE, RunSearch.MAX_RESULTS_LIMIT),
                    MlflowJson.optionalText(node, "page_token"), MlflowJson.optionalText(node, "filter"),
                    viewType(node, "view_type"), texts(node, "order_by"))))
            .response(Codec.of(p -> MlflowJson.page("experiments", p, MlflowJson::experiment),
                    node -> MlflowJson.page(node, "experiments", MlflowJson::experiment)))
            .handler((services, s, call) -> {
                Predicate<Experiment> matches = MlflowExperimentFilter.parse(s.filter());
                List<Experiment> matching = services.tracking().experiments(s.viewType() != ViewType.ACTIVE_ONLY).stream()
                        .filter(e -> s.viewType() != ViewType.DELETED_ONLY || e.lifecycle() == Lifecycle.DELETED)
                        .filter(matches).sorted(MlflowExperimentFilter.order(s.orderBy())).toList();
                return page(matching, s.maxResults(), s.pageToken());
            });

    public static final Operation<ExperimentTag, Codec.Empty> SET_EXPERIMENT_TAG = Operation
            .<ExperimentTag, Codec.Empty>post("mlflow.experiments.set-experiment-tag", API + "experiments/set-experiment-tag")
            .roles(WRITERS)
            .request(Codec.of(t -> Json.object().put("experiment_id", t.experimentId()).put("key", t.key())
                    .put("value", t.value()), node -> new ExperimentTag(MlflowJson.text(node, "experiment_id"),
                    MlflowJson.text(node, "key"), MlflowJson.optionalText(node, "value").orElse(""))))
            .response(EMPTY_ANSWER)
            .handler((services, t, call) -> {
                services.tracking().setExperimentTag(t.experimentId(), t.key(), t.value(), call.actor());
                return Codec.Empty.REQUEST;
            });

    // ---- runs

    public static final Operation<CreateRun, Run> CREATE_RUN = Operation
            .<CreateRun, Run>post("mlflow.runs.create", API + "runs/create").roles(WRITERS)
            .request(Codec.of(r -> {
                ObjectNode node = Json.object().put("experiment_id", r.experimentId());
                r.userId().ifPresent(u -> node.put("user_id", u));
                r.startTime().ifPresent(t -> node.put("start_time", t));
                r.runName().ifPresent(n -> node.put("run_name", n));
                node.set("tags", MlflowJson.keyValues(r.tags()));
                return node;
            }, node -> new CreateRun(MlflowJson.optionalText(node, "experiment_id").orElse(TrackingStore.DEFAULT_EXPERIMENT),
                    MlflowJson.optionalText(node, "user_id"), MlflowJson.number(node, "start_time"),
                    MlflowJson.optionalText(node, "run_name"), MlflowJson.keyValues(node.get("tags")))))
            .response(runAnswer())
            .handler((services, r, call) -> services.tracking().createRun(new TrackingStore.NewRun(r.experimentId(),
                    r.runName(), r.userId().orElse(call.actor()), r.startTime().isPresent()
                    ? Optional.of(Instant.ofEpochMilli(r.startTime().getAsLong())) : Optional.empty(), r.tags(),
                    Optional.empty(), Optional.empty()), call.actor()));

    public static final Operation<String, Run> GET_RUN = Operation
            .<String, Run>get("mlflow.runs.get", API + "runs/get").roles(READERS)
            .request(Codec.of(id -> Json.object().put("run_id", id), MlflowOperations::runId))
            .response(runAnswer())
            .handler((services, id, call) -> services.tracking().run(id));

    public static final Operation<UpdateRun, MlflowJson.RunInfo> UPDATE_RUN = Operation
            .<UpdateRun, MlflowJson.RunInfo>post("mlflow.runs.update", API + "runs/update").roles(WRITERS)
            .request(Codec.of(u -> {
                ObjectNode node = Json.object().put("run_id", u.runId());
                u.status().ifPresent(s -> node.put("status", s.name()));
                u.endTime().ifPresent(t -> node.put("end_time", t));
                u.runName().ifPresent(n -> node.put("run_name", n));
                return node;
            }, node -> new UpdateRun(runId(node), MlflowJson.optionalText(node, "status").map(RunStatus::parse),
                    MlflowJson.number(node, "end_time"), MlflowJson.optionalText(node, "run_name"))))
            .response(Codec.of(info -> {
                ObjectNode node = Json.object();
                node.set("run_info", MlflowJson.runInfo(info));
                return node;
            }, node -> MlflowJson.runInfo(node.path("run_info"))))
            .handler((services, u, call) -> MlflowJson.RunInfo.of(services.tracking().updateRun(u.runId(), u.status(),
                    u.endTime().isPresent() ? Optional.of(Instant.ofEpochMilli(u.endTime().getAsLong())) : Optional.empty(),
                    u.runName(), call.actor())));

    public static final Operation<KeyValue, Codec.Empty> LOG_PARAMETER = Operation
            .<KeyValue, Codec.Empty>post("mlflow.runs.log-parameter", API + "runs/log-parameter").roles(WRITERS)
            .request(keyValue()).response(EMPTY_ANSWER)
            .handler((services, p, call) -> {
                services.tracking().logBatch(p.runId(), new TrackingStore.Batch(List.of(), Map.of(p.key(), p.value()),
                        Map.of()), call.actor());
                return Codec.Empty.REQUEST;
            });

    public static final Operation<KeyValue, Codec.Empty> SET_TAG = Operation
            .<KeyValue, Codec.Empty>post("mlflow.runs.set-tag", API + "runs/set-tag").roles(WRITERS)
            .request(keyValue()).response(EMPTY_ANSWER)
            .handler((services, t, call) -> {
                services.tracking().logBatch(t.runId(), new TrackingStore.Batch(List.of(), Map.of(), Map.of(t.key(),
                        t.value())), call.actor());
                return Codec.Empty.REQUEST;
            });

    public static final Operation<RunKey, Codec.Empty> DELETE_TAG = Operation
            .<RunKey, Codec.Empty>post("mlflow.runs.delete-tag", API + "runs/delete-tag").roles(WRITERS)
            .request(Codec.of(k -> Json.object().put("run_id", k.runId()).put("key", k.key()),
                    node -> new RunKey(runId(node), MlflowJson.text(node, "key"))))
            .response(EMPTY_ANSWER)
            .handler((services, k, call) -> {
                services.tracking().deleteTag(k.runId(), k.key(), call.actor());
                return Codec.Empty.REQUEST;
            });

    public static final Operation<String, Codec.Empty> DELETE_RUN = lifecycle("mlflow.runs.delete", "runs/delete",
            Lifecycle.DELETED);

    public static final Operation<String, Codec.Empty> RESTORE_RUN = lifecycle("mlflow.runs.restore", "runs/restore",
            Lifecycle.ACTIVE);

    public static final Operation<LogMetric, Codec.Empty> LOG_METRIC = Operation
            .<LogMetric, Codec.Empty>post("mlflow.runs.log-metric", API + "runs/log-metric").roles(WRITERS)
            .request(Codec.of(m -> MlflowJson.metric(m.metric()).put("run_id", m.runId()),
                    node -> new LogMetric(runId(node), MlflowJson.metric(node))))
            .response(EMPTY_ANSWER)
            .handler((services, m, call) -> {
                services.tracking().logBatch(m.runId(), new TrackingStore.Batch(List.of(m.metric()), Map.of(), Map.of()),
                        call.actor());
                return Codec.Empty.REQUEST;
            });

    public static final Operation<LogBatch, Codec.Empty> LOG_BATCH = Operation
            .<LogBatch, Codec.Empty>post("mlflow.runs.log-batch", API + "runs/log-batch").roles(WRITERS)
            .request(Codec.of(b -> {
                ObjectNode node = Json.object().put("run_id", b.runId());
                node.set("metrics", ApiJson.list(b.batch().metrics(), MlflowJson::metric));
                node.set("params", keyValuesInOrder(b.batch().params()));
                node.set("tags", keyValuesInOrder(b.batch().tags()));
                return node;
            }, node -> new LogBatch(runId(node), new TrackingStore.Batch(ApiJson.list(node.get("metrics"),
                    MlflowJson::metric), MlflowJson.keyValues(node.get("params")), MlflowJson.keyValues(node.get("tags"))))))
            .response(EMPTY_ANSWER)
            .handler((services, b, call) -> {
                services.tracking().logBatch(b.runId(), b.batch(), call.actor());
                return Codec.Empty.REQUEST;
            });

    public static final Operation<SearchRuns, MlflowJson.Page<Run>> SEARCH_RUNS = Operation
            .<SearchRuns, MlflowJson.Page<Run>>post("mlflow.runs.search", API + "runs/search").roles(READERS)
            .request(Codec.of(s -> {
                ObjectNode node = Json.object();
                s.experimentIds().forEach(node.putArray("experiment_ids")::add);
                node.put("filter", s.filter()).put("run_view_type", s.viewType().name()).put("max_results", s.maxResults());
                s.orderBy().forEach(node.putArray("order_by")::add);
                s.pageToken().ifPresent(t -> node.put("page_token", t));
                return node;
            }, node -> new SearchRuns(texts(node, "experiment_ids"), MlflowJson.optionalText(node, "filter").orElse(""),
                    viewType(node, "run_view_type"), maxResults(node, RUNS_PAGE, RunSearch.MAX_RESULTS_LIMIT), texts(node, "order_by"),
                    MlflowJson.optionalText(node, "page_token"))))
            .response(Codec.of(p -> MlflowJson.page("runs", p, MlflowJson::run),
                    node -> MlflowJson.page(node, "runs", MlflowJson::run)))
            .handler((services, s, call) -> {
                List<Long> experiments = new ArrayList<>();
                for (String id : s.experimentIds()) {
                    experiments.add(experimentKey(id));
                }
                RunSearch.RunPage found = RunSearch.of(experiments, s.filter(), s.orderBy(), s.viewType(),
                        s.pageToken().orElse(""), s.maxResults()).execute(services.database());
                return new MlflowJson.Page<>(services.tracking().runs(found.runIds()), found.nextPageToken());
            });

    public static final Operation<MetricHistory, MlflowJson.Page<Metric>> METRIC_HISTORY = Operation
            .<MetricHistory, MlflowJson.Page<Metric>>get("mlflow.metrics.get-history", API + "metrics/get-history")
            .roles(READERS)
            .request(Codec.of(h -> {
                ObjectNode node = Json.object().put("run_id", h.runId()).put("metric_key", h.key())
                        .put("max_results", Integer.toString(h.maxResults()));
                h.pageToken().ifPresent(t -> node.put("page_token", t));
                return node;
            }, node -> new MetricHistory(runId(node), MlflowJson.text(node, "metric_key"), maxResults(node, HISTORY_PAGE, RunSearch.MAX_RESULTS_LIMIT),
                    MlflowJson.optionalText(node, "page_token"))))
            .response(Codec.of(p -> MlflowJson.page("metrics", p, MlflowJson::metric),
                    node -> MlflowJson.page(node, "metrics", MlflowJson::metric)))
            .handler((services, h, call) -> page(services.tracking().metricHistory(h.runId(), h.key()), h.maxResults(),
                    h.pageToken()));

    // ---- registered models

    public static final Operation<CreateModel, MlflowJson.ModelAnswer> CREATE_MODEL = Operation
            .<CreateModel, MlflowJson.ModelAnswer>post("mlflow.registered-models.create", API + "registered-models/create")
            .roles(WRITERS)
            .request(Codec.of(m -> {
                ObjectNode node = Json.object().put("name", m.name()).put("description", m.description());
                node.set("tags", MlflowJson.keyValues(m.tags()));
                return node;
            }, node -> new CreateModel(MlflowJson.text(node, "name"), MlflowJson.optionalText(node, "description").orElse(""),
                    MlflowJson.keyValues(node.get("tags")))))
            .response(modelAnswer())
            .handler((services, m, call) -> new MlflowJson.ModelAnswer(services.models().createModel(m.name(),
                    m.description(), m.tags(), call.actor()), List.of()));

    public static final Operation<String, MlflowJson.ModelAnswer> GET_MODEL = Operation
            .<String, MlflowJson.ModelAnswer>get("mlflow.registered-models.get", API + "registered-models/get")
            .roles(READERS)
            .request(Codec.of(name -> Json.object().put("name", name), node -> MlflowJson.text(node, "name")))
            .response(modelAnswer())
            .handler((services, name, call) -> withLatest(services, services.models().model(name)));

    public static final Operation<Search, MlflowJson.Page<MlflowJson.ModelAnswer>> SEARCH_MODELS = Operation
            .<Search, MlflowJson.Page<MlflowJson.ModelAnswer>>get("mlflow.registered-models.search",
                    API + "registered-models/search").roles(READERS)
            .request(search(MODELS_PAGE, MODELS_LIMIT))
            .response(Codec.of(p -> MlflowJson.page("registered_models", p, MlflowJson::model),
                    node -> MlflowJson.page(node, "registered_models", MlflowJson::model)))
            .handler((services, s, call) -> {
                Predicate<String> names = NameFilter.parse(s.filter(), "name");
                MlflowJson.Page<RegisteredModel> models = page(services.models().models().stream()
                        .filter(m -> names.test(m.name())).toList(), s.maxResults(), s.pageToken());
                return new MlflowJson.Page<>(models.items().stream().map(m -> withLatest(services, m)).toList(),
                        models.nextPageToken());
            });

    public static final Operation<LatestVersions, List<ModelVersion>> LATEST_VERSIONS = latestVersions(
            Operation.get("mlflow.registered-models.get-latest-versions", API + "registered-models/get-latest-versions"));

    /** The same as {@link #LATEST_VERSIONS}: MLflow serves it on both methods (the Java client GETs, Python POSTs). */
    public static final Operation<LatestVersions, List<ModelVersion>> LATEST_VERSIONS_POST = latestVersions(
            Operation.post("mlflow.registered-models.get-latest-versions.post",
                    API + "registered-models/get-latest-versions"));

    // ---- model versions

    public static final Operation<CreateVersion, ModelVersion> CREATE_VERSION = Operation
            .<CreateVersion, ModelVersion>post("mlflow.model-versions.create", API + "model-versions/create").roles(WRITERS)
            .request(Codec.of(v -> {
                ObjectNode node = Json.object().put("name", v.name()).put("source", v.source())
                        .put("description", v.description());
                v.runId().ifPresent(r -> node.put("run_id", r));
                node.set("tags", MlflowJson.keyValues(v.tags()));
                return node;
            }, node -> new CreateVersion(MlflowJson.text(node, "name"), MlflowJson.text(node, "source"),
                    MlflowJson.optionalText(node, "run_id"), MlflowJson.optionalText(node, "description").orElse(""),
                    MlflowJson.keyValues(node.get("tags")))))
            .response(versionAnswer())
            .handler((services, v, call) -> createVersion(services, v, call));

    public static final Operation<VersionRef, ModelVersion> GET_VERSION = Operation
            .<VersionRef, ModelVersion>get("mlflow.model-versions.get", API + "model-versions/get").roles(READERS)
            .request(versionRef())
            .response(versionAnswer())
            .handler((services, v, call) -> services.models().version(v.name(), v.version()));

    public static final Operation<Search, MlflowJson.Page<ModelVersion>> SEARCH_VERSIONS = Operation
            .<Search, MlflowJson.Page<ModelVersion>>get("mlflow.model-versions.search", API + "model-versions/search")
            .roles(READERS)
            .request(search(VERSIONS_PAGE, VERSIONS_LIMIT))
            .response(Codec.of(p -> MlflowJson.page("model_versions", p, MlflowJson::version),
                    node -> MlflowJson.page(node, "model_versions", MlflowJson::version)))
            .handler((services, s, call) -> searchVersions(services, s));

    public static final Operation<VersionRef, String> DOWNLOAD_URI = Operation
            .<VersionRef, String>get("mlflow.model-versions.get-download-uri", API + "model-versions/get-download-uri")
            .roles(READERS)
            .request(versionRef())
            .response(Codec.of(uri -> Json.object().put("artifact_uri", uri), node -> MlflowJson.text(node, "artifact_uri")))
            .handler((services, v, call) -> downloadUri(services, services.models().version(v.name(), v.version())));

    // ---- aliases

    public static final Operation<SetAlias, Codec.Empty> SET_ALIAS = Operation
            .<SetAlias, Codec.Empty>post("mlflow.registered-models.alias.set", API + "registered-models/alias")
            .roles(ADMIN, SCIENTIST, OPERATOR)
            .request(Codec.of(a -> Json.object().put("name", a.name()).put("alias", a.alias())
                    .put("version", Integer.toString(a.version())), node -> new SetAlias(MlflowJson.text(node, "name"),
                    MlflowJson.text(node, "alias"), version(node))))
            .response(EMPTY_ANSWER)
            .handler((services, a, call) -> {
                try {
                    services.models().setAlias(a.name(), a.alias(), a.version(), "set through MLflow's API", Optional.empty(),
                            call.actor());
                } catch (SeerException e) {
                    throw protectedAlias(e);
                }
                return Codec.Empty.REQUEST;
            });

    public static final Operation<AliasRef, Codec.Empty> DELETE_ALIAS = Operation
            .<AliasRef, Codec.Empty>delete("mlflow.registered-models.alias.delete", API + "registered-models/alias")
            .roles(ADMIN, SCIENTIST, OPERATOR)
            .request(aliasRef()).response(EMPTY_ANSWER)
            .handler((services, a, call) -> {
                try {
                    services.models().removeAlias(a.name(), a.alias(), "deleted through MLflow's API", Optional.empty(),
                            call.actor());
                } catch (SeerException e) {
                    throw protectedAlias(e);
                }
                return Codec.Empty.REQUEST;
            });

    public static final Operation<AliasRef, ModelVersion> GET_ALIAS = Operation
            .<AliasRef, ModelVersion>get("mlflow.registered-models.alias.get", API + "registered-models/alias")
            .roles(READERS)
            .request(aliasRef())
            .response(versionAnswer())
            .handler((services, a, call) -> services.models().byAlias(a.name(), a.alias()));

    // ---- artifacts: the listing (upload and download are raw bytes, see MlflowArtifacts)

    public static final Operation<String, List<MlflowJson.FileInfo>> LIST_ARTIFACTS = Operation
            .<String, List<MlflowJson.FileInfo>>get("mlflow-artifacts.list", MlflowArtifacts.ROOT).roles(READERS)
            .request(Codec.of(path -> Json.object().put("path", path), node -> MlflowJson.text(node, "path")))
            .response(Codec.of(MlflowJson::files, MlflowJson::files))
            .handler((services, path, call) -> listArtifacts(services, path));

    static final List<Operation<?, ?>> ALL = List.of(CREATE_EXPERIMENT, GET_EXPERIMENT, GET_EXPERIMENT_BY_NAME,
            SEARCH_EXPERIMENTS, SET_EXPERIMENT_TAG, CREATE_RUN, GET_RUN, UPDATE_RUN, LOG_PARAMETER, SET_TAG, DELETE_TAG,
            DELETE_RUN, RESTORE_RUN, LOG_METRIC, LOG_BATCH, SEARCH_RUNS,
            METRIC_HISTORY, CREATE_MODEL, GET_MODEL, SEARCH_MODELS, LATEST_VERSIONS, LATEST_VERSIONS_POST, CREATE_VERSION,
            GET_VERSION, SEARCH_VERSIONS, DOWNLOAD_URI, SET_ALIAS, DELETE_ALIAS, GET_ALIAS, LIST_ARTIFACTS);

    private MlflowOperations() {}

    // ---- handlers

    private static MlflowJson.ModelAnswer withLatest(SeerServices services, RegisteredModel model) {
        List<ModelVersion> versions = services.models().versions(model.name());
        return new MlflowJson.ModelAnswer(model, versions.isEmpty() ? List.of() : List.of(versions.get(versions.size() - 1)));
    }

    /**
     * Registers a version as MLflow does: the source is kept as given. A {@code runs:/RUN/path}
     * source names its run, which must exist (and match {@code run_id} when both are given); the
     * version carries {@link VersionDetails#NONE}: Seer's checked registration is its own API's.
     */
    private static ModelVersion createVersion(SeerServices services, CreateVersion v, Call call) {
        Optional<String> sourceRun = sourceRun(v.source());
        if (sourceRun.isPresent() && v.runId().isPresent() && !sourceRun.get().equals(v.runId().get())) {
            throw MlflowJson.invalid("[source] " + v.source() + " names run [" + sourceRun.get() + "], not [run_id] "
                    + v.runId().get(), "source");
        }
        Optional<String> runId = v.runId().or(() -> sourceRun);
        runId.ifPresent(id -> services.tracking().run(id)); // refuses a run that does not exist
        ModelRegistration.refuseOnline(services, v.name());
        return services.models().createVersion(v.name(), new ModelRegistry.NewVersion(v.source(), runId, v.description(),
                VersionDetails.NONE, v.tags()), call.actor());
    }

    private static final Pattern RUNS_SOURCE = Pattern.compile("runs:/([0-9a-f]{32})(/.*)?");

    /** The run of a {@code runs:/RUN/path} source; a {@code runs:/} source of another form is refused. */
    static Optional<String> sourceRun(String source) {
        if (!source.startsWith("runs:/")) {
            return Optional.empty();
        }
        Matcher m = RUNS_SOURCE.matcher(source);
        if (!m.matches()) {
            throw MlflowJson.invalid("[source] " + source + " is not runs:/<32-hex run id>/<path>", "source");
        }
        if (m.group(2) != null && m.group(2).length() > 1) {
            ArtifactPath.of(m.group(2).substring(1)); // the same rules as any artifact path
        }
        return Optional.of(m.group(1));
    }

    /** Where a version's files are for a client: a run's model under the run's artifact URI, any other source as given. */
    static String downloadUri(SeerServices services, ModelVersion version) {
        Optional<String> run = sourceRun(version.source());
        if (run.isEmpty()) {
            return version.source();
        }
        String rest = version.source().substring(("runs:/" + run.get()).length());
        return services.tracking().run(run.get()).artifactUri() + rest;
    }

    private static MlflowJson.Page<ModelVersion> searchVersions(SeerServices services, Search s) {
        VersionFilter filter = VersionFilter.parse(s.filter());
        List<RegisteredModel> models = filter.name().map(n -> {
            try {
                return List.of(services.models().model(n));
            } catch (SeerException e) {
                if (e.errorCode() == RegistryErrorCode.NOT_FOUND) {
                    return List.<RegisteredModel>of();
                }
                throw e;
            }
        }).orElseGet(() -> services.models().models());
        List<ModelVersion> versions = new ArrayList<>();
        for (RegisteredModel model : models) {
            services.models().versions(model.name()).stream().filter(v -> filter.runId().isEmpty()
                    || v.runId().equals(filter.runId())).forEach(versions::add);
        }
        versions.sort(Comparator.comparing(ModelVersion::name).thenComparing(ModelVersion::version, Comparator.reverseOrder()));
        return page(versions, s.maxResults(), s.pageToken());
    }

    private static SeerException protectedAlias(SeerException e) {
        if (e.errorCode() != RegistryErrorCode.INVALID_STATE) {
            return e;
        }
        return new SeerException(RegistryErrorCode.INVALID_STATE, e.getMessage() + ". MLflow's alias API has no override:"
                + " an admin may override through Seer's API (POST /api/v1/models/{model}/aliases/{alias})", e.details());
    }

    private static List<MlflowJson.FileInfo> listArtifacts(SeerServices services, String path) {
        MlflowArtifacts.Location location = MlflowArtifacts.Location.parse(services, path, true);
        List<MlflowJson.FileInfo> files = new ArrayList<>();
        for (ArtifactStore.Entry entry : services.artifacts().list(location.runId(), location.path())) {
            List<String> segments = entry.path().segments();
            String name = segments.get(segments.size() - 1); // MLflow lists names relative to the listed directory
            files.add(new MlflowJson.FileInfo(name, entry.directory(), entry.directory() ? OptionalLong.empty()
                    : OptionalLong.of(entry.bytes())));
        }
        return files;
    }

    /** A page of an in-memory list by MLflow's offset token. */
    private static <T> MlflowJson.Page<T> page(List<T> all, int maxResults, Optional<String> pageToken) {
        int offset = PageToken.decode(pageToken.orElse(""));
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + maxResults, all.size());
        return new MlflowJson.Page<>(all.subList(from, to), to < all.size() ? Optional.of(PageToken.encode(to))
                : Optional.empty());
    }

    // ---- codecs and fields

    private static Codec<Experiment> experimentAnswer() {
        return Codec.of(e -> {
            ObjectNode node = Json.object();
            node.set("experiment", MlflowJson.experiment(e));
            return node;
        }, node -> MlflowJson.experiment(node.path("experiment")));
    }

    private static Codec<Run> runAnswer() {
        return Codec.of(r -> {
            ObjectNode node = Json.object();
            node.set("run", MlflowJson.run(r));
            return node;
        }, node -> MlflowJson.run(node.path("run")));
    }

    private static Codec<MlflowJson.ModelAnswer> modelAnswer() {
        return Codec.of(m -> {
            ObjectNode node = Json.object();
            node.set("registered_model", MlflowJson.model(m));
            return node;
        }, node -> MlflowJson.model(node.path("registered_model")));
    }

    private static Codec<ModelVersion> versionAnswer() {
        return Codec.of(v -> {
            ObjectNode node = Json.object();
            node.set("model_version", MlflowJson.version(v));
            return node;
        }, node -> MlflowJson.version(node.path("model_version")));
    }

    /** {@code runs/delete} and {@code runs/restore}: the run is kept either way, only its lifecycle changes. */
    private static Operation<String, Codec.Empty> lifecycle(String name, String path, Lifecycle lifecycle) {
        return Operation.<String, Codec.Empty>post(name, API + path).roles(WRITERS)
                .request(Codec.of(id -> Json.object().put("run_id", id), MlflowOperations::runId))
                .response(EMPTY_ANSWER)
                .handler((services, id, call) -> {
                    services.tracking().setLifecycle(id, lifecycle, call.actor());
                    return Codec.Empty.REQUEST;
                });
    }

    private static Codec<KeyValue> keyValue() {
        return Codec.of(kv -> Json.object().put("run_id", kv.runId()).put("key", kv.key()).put("value", kv.value()),
                node -> new KeyValue(runId(node), MlflowJson.text(node, "key"), MlflowJson.optionalText(node, "value")
                        .orElse("")));
    }

    private static Codec<Search> search(int defaultPage, int limit) {
        return Codec.of(s -> {
            ObjectNode node = Json.object().put("max_results", Integer.toString(s.maxResults()));
            s.filter().ifPresent(f -> node.put("filter", f));
            s.pageToken().ifPresent(t -> node.put("page_token", t));
            return node;
        }, node -> new Search(MlflowJson.optionalText(node, "filter"), maxResults(node, defaultPage, limit),
                MlflowJson.optionalText(node, "page_token")));
    }

    private static Codec<VersionRef> versionRef() {
        return Codec.of(v -> Json.object().put("name", v.name()).put("version", Integer.toString(v.version())),
                node -> new VersionRef(MlflowJson.text(node, "name"), version(node)));
    }

    private static Codec<AliasRef> aliasRef() {
        return Codec.of(a -> Json.object().put("name", a.name()).put("alias", a.alias()),
                node -> new AliasRef(MlflowJson.text(node, "name"), MlflowJson.text(node, "alias")));
    }

    private static Operation<LatestVersions, List<ModelVersion>> latestVersions(
            Operation.Builder<LatestVersions, List<ModelVersion>> builder) {
        return builder.roles(READERS)
                .request(Codec.of(l -> {
                    ObjectNode node = Json.object().put("name", l.name());
                    l.stages().forEach(node.putArray("stages")::add);
                    return node;
                }, node -> new LatestVersions(MlflowJson.text(node, "name"), texts(node, "stages"))))
                .response(Codec.of(list -> {
                    ObjectNode node = Json.object();
                    node.set("model_versions", ApiJson.list(list, MlflowJson::version));
                    return node;
                }, node -> ApiJson.list(node.get("model_versions"), MlflowJson::version)))
                .handler((services, l, call) -> {
                    List<ModelVersion> versions = services.models().versions(l.name());
                    boolean none = l.stages().isEmpty() || l.stages().stream().anyMatch(s -> s.equalsIgnoreCase(
                            MlflowJson.STAGE_NONE));
                    return versions.isEmpty() || !none ? List.of() : List.of(versions.get(versions.size() - 1));
                });
    }

    /** {@code run_id}, or MLflow's older {@code run_uuid}. */
    private static String runId(JsonNode node) {
        return MlflowJson.optionalText(node, "run_id").or(() -> MlflowJson.optionalText(node, "run_uuid"))
                .orElseThrow(() -> MlflowJson.missing("run_id"));
    }

    private static int version(JsonNode node) {
        long version = MlflowJson.number(node, "version").orElseThrow(() -> MlflowJson.missing("version"));
        if (version < 1 || version > Integer.MAX_VALUE) {
            throw MlflowJson.invalid("[version] " + version + " is not a model version number", "version");
        }
        return (int) version;
    }

    private static int maxResults(JsonNode node, int fallback, int limit) {
        long value = MlflowJson.number(node, "max_results").orElse(fallback);
        if (value < 1 || value > limit) {
            throw MlflowJson.invalid("[max_results] " + value + " is not between 1 and " + limit,
                    "max_results");
        }
        return (int) value;
    }

    private static ViewType viewType(JsonNode node, String field) {
        String text = MlflowJson.optionalText(node, field).orElse(ViewType.ACTIVE_ONLY.name());
        try {
            return ViewType.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MlflowJson.invalid("[" + field + "] " + text + " is not ACTIVE_ONLY, DELETED_ONLY or ALL", field);
        }
    }

    /** A list of texts; a GET's query parameter (one value) is a list of one. */
    private static List<String> texts(JsonNode node, String field) {
        JsonNode value = node.get(field);
        List<String> texts = new ArrayList<>();
        if (value != null && value.isArray()) {
            value.forEach(v -> texts.add(v.asText()));
        } else if (value != null && value.isValueNode() && !value.isNull()) {
            texts.add(value.asText());
        }
        return texts;
    }

    private static long experimentKey(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new SeerException(RegistryErrorCode.NOT_FOUND, "Experiment [" + id + "] does not exist: experiment ids"
                    + " are numbers", Map.of("experiment", id));
        }
    }

    private static ArrayNode keyValuesInOrder(Map<String, String> map) {
        ArrayNode array = Json.mapper().createArrayNode();
        map.forEach((k, v) -> array.addObject().put("key", k).put("value", v));
        return array;
    }

    /**
     * The part of MLflow's search filter Seer's registry and experiment search take: one
     * condition on a name, {@code name = 'x'}, {@code name != 'x'}, {@code name LIKE 'x%'} or
     * {@code name ILIKE '%x%'}; anything else is refused, not ignored.
     */
    static final class NameFilter {
        private static final Pattern CONDITION = Pattern.compile(
                "\\s*(?:attributes?\\.)?([a-z_]+)\\s*(=|!=|(?i:LIKE|ILIKE))\\s*(?:'([^']*)'|\"([^\"]*)\")\\s*");

        private NameFilter() {}

        static Predicate<String> parse(Optional<String> filter, String field) {
            if (filter.isEmpty() || filter.get().isBlank()) {
                return name -> true;
            }
            Matcher m = CONDITION.matcher(filter.get());
            if (!m.matches() || !m.group(1).equals(field)) {
                throw MlflowJson.invalid("Filter [" + filter.get() + "] is not supported: Seer takes one condition on ["
                        + field + "] with =, !=, LIKE or ILIKE", "filter");
            }
            String value = m.group(3) != null ? m.group(3) : m.group(4);
            return switch (m.group(2).toUpperCase(Locale.ROOT)) {
                case "=" -> value::equals;
                case "!=" -> name -> !name.equals(value);
                case "LIKE" -> like(value, 0);
                default -> like(value, Pattern.CASE_INSENSITIVE);
            };
        }

        private static Predicate<String> like(String pattern, int flags) {
            return MlflowExperimentFilter.like(pattern, flags);
        }
    }

    /** A model-version search's filter: {@code name = 'x'}, {@code run_id = 'y'}, or both joined by AND. */
    record VersionFilter(Optional<String> name, Optional<String> runId) {
        private static final Pattern CONDITION = Pattern.compile("\\s*([a-z_]+)\\s*=\\s*(?:'([^']*)'|\"([^\"]*)\")\\s*");

        static VersionFilter parse(Optional<String> filter) {
            Map<String, String> conditions = new LinkedHashMap<>();
            if (filter.isPresent() && !filter.get().isBlank()) {
                for (String part : filter.get().split("(?i)\\s+AND\\s+")) {
                    Matcher m = CONDITION.matcher(part);
                    if (!m.matches() || !(m.group(1).equals("name") || m.group(1).equals("run_id"))
                            || conditions.containsKey(m.group(1))) {
                        throw MlflowJson.invalid("Filter [" + filter.get() + "] is not supported: Seer takes name = '...'"
                                + " and run_id = '...', joined by AND", "filter");
                    }
                    conditions.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
                }
            }
            return new VersionFilter(Optional.ofNullable(conditions.get("name")), Optional.ofNullable(conditions.get("run_id")));
        }
    }
}

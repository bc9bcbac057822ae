package dev.seer.server;

import static dev.seer.training.metrics.Metric.ROC_AUC;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.datasets.BatchesRead;
import dev.seer.datasets.DatasetDiff;
import dev.seer.datasets.DatasetLineage;
import dev.seer.datasets.DatasetManifest;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.DatasetVersion;
import dev.seer.datasets.LineageReport;
import dev.seer.datasets.SplitSpec;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.ConsistencyCheck;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineHealth;
import dev.seer.features.stream.DeadLetter;
import dev.seer.features.stream.Pusher;
import dev.seer.features.stream.Streaming;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditQuery;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.IssuedToken;
import dev.seer.registry.search.ViewType;
import dev.seer.registry.tracking.Experiment;
import dev.seer.registry.tracking.Lifecycle;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunProvenance;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.registry.versions.AliasMove;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.registry.versions.RegisteredModel;
import dev.seer.registry.versions.VersionCheck;
import dev.seer.registry.versions.VersionDetails;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.card.ModelCard;
import dev.seer.training.evaluation.CandidateResult;
import dev.seer.training.evaluation.Comparison;
import dev.seer.training.evaluation.EvaluationReport;
import dev.seer.training.metrics.Interval;
import dev.seer.training.stats.TestResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The declarations themselves: the route table built from {@link Operations#all()} (unique
 * method and path, at least one role), and for each operation a sample request and answer that
 * survive the codecs' round trip, as a request does from the CLI to the server and an answer
 * back. (The wire JSON is pinned by literals in {@link ApiJsonTest}; this checks that each
 * encoder and decoder of an operation agree.)
 */
class OperationsTest {
    static final Instant T1 = ApiJsonTest.T1;
    static final Instant T2 = ApiJsonTest.T2;

    @Test
    void theRouteTableHasOneRoutePerOperationEachWithARole() {
        List<ApiRoute> routes = Operations.all().stream().map(op -> OperationRoute.of(op, null, null)).toList();
        Set<String> seen = new HashSet<>();
        for (ApiRoute route : routes) {
            assertThat(seen.add(route.toString())).as("%s declared twice", route).isTrue();
            assertThat(route.roles()).as("roles of %s", route).isNotEmpty();
        }
        assertThat(routes).hasSize(Operations.all().size());
        assertThat(Operations.all().stream().map(Operation::name).distinct()).hasSize(Operations.all().size());
    }

    /**
     * The serving path's routes go first ({@link SeerServer#servingFirst}), so none may match a path another route of its
     * method was declared for, nor the other way round: the order must not change which route serves a request.
     */
    @Test
    void theServingRoutesRegisteredFirstOverlapNoOtherRoute() {
        List<Operation<?, ?>> ordered = SeerServer.servingFirst(Operations.all());
        assertThat(ordered).hasSameElementsAs(Operations.all());
        assertThat(ordered.subList(0, 3)).extracting(Operation::name).containsExactlyInAnyOrder("predict",
                "features.online", "feedback");
        for (Operation<?, ?> first : ordered.subList(0, 3)) {
            for (Operation<?, ?> other : ordered.subList(3, ordered.size())) {
                if (first.method() != other.method()) {
                    continue;
                }
                assertThat(example(other.path())).as("%s against %s", other.path(), first.path())
                        .doesNotMatch(pattern(first.path()));
                assertThat(example(first.path())).as("%s against %s", first.path(), other.path())
                        .doesNotMatch(pattern(other.path()));
            }
        }
    }

    /** A route's path pattern as Javalin reads it: a {@code {name}} segment matches any one segment. */
    private static String pattern(String path) {
        return java.util.regex.Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
    }

    private static String example(String path) {
        return path.replaceAll("\\{[^}/]+}", "x1");
    }

    @Test
    void publicIsOnlyForHealthAndReadiness() {
        assertThat(Operations.all().stream().filter(op -> op.roles().contains(ApiRole.PUBLIC)).map(Operation::path))
                .containsExactlyInAnyOrder("/healthz", "/readyz");
    }

    @Test
    void everyOperationsRequestAndAnswerSurviveTheirCodecs() {
        Map<Operation<?, ?>, Sample<?, ?>> samples = samples();
        List<String> missing = new ArrayList<>();
        for (Operation<?, ?> operation : Operations.all()) {
            Sample<?, ?> sample = samples.get(operation);
            if (sample == null) {
                missing.add(operation.name());
                continue;
            }
            sample.check();
        }
        assertThat(missing).as("operations without a sample").isEmpty();
    }

    @Test
    void pathFieldsAreReadFromTheTemplate() {
        assertThat(TokenOperations.REVOKE.pathFields()).containsExactly("token");
        assertThat(AuditOperations.PROVE.pathFields()).containsExactly("seq");
        assertThat(FeatureOperations.CONSISTENCY.pathFields()).containsExactly("name");
        assertThat(TokenOperations.LIST.pathFields()).isEmpty();
    }

    /** A request and an answer of one operation. */
    record Sample<I, O>(Operation<I, O> operation, I request, O answer) {
        void check() {
            JsonNode sent = operation.encodeRequest(request);
            assertThat(operation.decodeRequest(Json.parse(Json.write(sent)))).as("request of %s", operation.name())
                    .isEqualTo(request);
            JsonNode answered = operation.encodeResponse(answer);
            assertThat(operation.encodeResponse(operation.decodeResponse(Json.parse(Json.write(answered)))))
                    .as("answer of %s", operation.name()).isEqualTo(answered);
            if (!(answer instanceof JsonNode)) {
                assertThat(operation.decodeResponse(Json.parse(Json.write(answered)))).as("answer of %s read back",
                        operation.name()).isEqualTo(answer);
            }
        }
    }

    private static <I, O> void add(Map<Operation<?, ?>, Sample<?, ?>> samples, Operation<I, O> operation, I request,
            O answer) {
        samples.put(operation, new Sample<>(operation, request, answer));
    }

    private static Map<Operation<?, ?>, Sample<?, ?>> samples() {
        Map<Operation<?, ?>, Sample<?, ?>> s = new IdentityHashMap<>();
        Codec.Empty none = Codec.Empty.REQUEST;
        JsonNode tree = Json.parse("{\"a\": [1, \"b\"], \"c\": {\"d\": null}}");
        add(s, SystemOperations.HEALTH, none, "ok");
        add(s, SystemOperations.READY, none, new SystemOperations.Readiness(new Streaming.Status(Streaming.State.FAILING,
                "no broker", 3, Optional.of(T2)), new OnlineHealth(OnlineHealth.State.REBUILDING, "no marker", 4, T1)));
        add(s, SystemOperations.METRICS, none, "# HELP seer_up\nseer_up 1\n");
        add(s, AuditOperations.LIST, AuditQuery.all().page(5, 10).withActor("token:alice").withAction("token.created")
                .withSubject("token", Optional.of("tok_1")).withTimeRange(Optional.of(T1), Optional.of(T2)),
                new AuditPage(List.of(ApiJsonTest.ENTRY), OptionalLong.of(7)));
        add(s, AuditOperations.VERIFY, Optional.of(ApiJsonTest.HEAD), new AuditOperations.Verified(new AuditVerification(12,
                ApiJsonTest.HEAD, Optional.of(new AuditVerification.Problem(AuditVerification.Kind.CHANGED, 4,
                "Entry 4 was changed"))), new dev.seer.serving.log.LogVerification(3, 40, Optional.of(
                new dev.seer.serving.log.LogVerification.Problem(dev.seer.serving.log.LogVerification.Kind.CHANGED, 2,
                "00000001.seg", 4096, "Batch 2 hashes to ab, the audit log recorded cd")))));
        add(s, AuditOperations.TREE_HEAD, none, ApiJsonTest.HEAD);
        add(s, AuditOperations.CHECKPOINT, none, ApiJsonTest.HEAD);
        add(s, AuditOperations.PROVE, new AuditOperations.Prove(3, Optional.of(12L)),
                new InclusionProof(3, 12, ApiJsonTest.HASH_A, List.of(ApiJsonTest.HASH_B), ApiJsonTest.HASH_B));
        add(s, TokenOperations.LIST, none, List.of(ApiJsonTest.REVOKED, ApiJsonTest.ACTIVE));
        add(s, TokenOperations.CREATE, new TokenOperations.Create(Role.AUDITOR, "eve"),
                new IssuedToken(ApiJsonTest.ACTIVE, "seer_secret"));
        add(s, TokenOperations.REVOKE, "eve/with space", ApiJsonTest.REVOKED);
        List<FeatureRegistry.Change> changes = List.of(new FeatureRegistry.Change("feature_view", "stats",
                FeatureRegistry.Action.UPDATE, 2));
        add(s, FeatureOperations.PLAN, Path.of("/repo"), changes);
        add(s, FeatureOperations.APPLY, Path.of("/repo"), changes);
        CatalogEntry view = new CatalogEntry("feature_view", "stats", 3, tree, ApiJsonTest.HASH_A, T1, "token:alice");
        add(s, FeatureOperations.VIEWS, none, List.of(view));
        add(s, FeatureOperations.VIEW, new FeatureOperations.View("stats", Optional.of(2)), view);
        add(s, FeatureOperations.CONSISTENCY, new FeatureOperations.Consistency("stats", 50, Optional.of(T2)),
                new ConsistencyCheck.Report("stats", T2, 2, 1, 3, 0, List.of(new ConsistencyCheck.Skipped("9", "late")),
                        List.of(new ConsistencyCheck.Difference("7", "sum_1h", 10.5, null))));
        add(s, FeatureOperations.HISTORICAL, new FeatureOperations.Historical(Path.of("/in/e.csv"), List.of("stats:spend"),
                Path.of("/out/r.csv"), true), new PointInTimeRetrieval.Result(60, 58, List.of("customer_id"),
                        Path.of("/out/r.csv"), 12, 1, List.of(), Optional.empty()));
        add(s, IngestOperations.INGEST, new IngestOperations.Ingest("transactions", Optional.of(Path.of("/in/t.csv"))),
                new IngestReport("b_1", "transactions", ApiJsonTest.HASH_A, 200, 198, 2, List.of("stats"),
                        Duration.ofMillis(1234), false));
        add(s, IngestOperations.BATCHES, none, List.of(view));
        add(s, IngestOperations.QUARANTINE, new IngestOperations.Quarantine("b_1", 5), List.of(new QuarantineRecord("b_1",
                51, "stats", "spend", "below min 0.0", "{\"spend\":-1}")));
        add(s, OnlineOperations.MATERIALIZE, new OnlineOperations.Materialize(List.of("stats"), Optional.of(T1), T2),
                new Materializer.Report(Map.of("stats", 3L), T2));
        add(s, OnlineOperations.ONLINE, new OnlineOperations.Lookup(List.of("stats:spend"), Map.of("customer_id",
                List.of("7", "8"))), List.of(new FeatureLookup.EntityValues(Map.of("customer_id", "7"), List.of(
                        new FeatureLookup.Value("stats:spend", Json.parse("12.25"), FeatureLookup.Status.PRESENT,
                                Optional.of(T1))))));
        add(s, StreamOperations.PUSH, new StreamOperations.Push("payments", Json.parse("[{\"amount\": 1}]")),
                new Pusher.Result("payments", "seer.push.payments", 1, Map.of(0, 5L)));
        add(s, StreamOperations.DEAD_LETTERS, new StreamOperations.DeadLetters(Optional.of("payments"), 10),
                List.of(new DeadLetter("payments", "seer.push.payments", 2, 17, "late", "{\"amount\": 1}", 0, 3)));
        add(s, StreamOperations.STATUS, none, new StreamOperations.Report(Streaming.State.RUNNING, "", List.of(
                new Streaming.SourceStatus("payments", "seer.push.payments", Map.of(0, 3L, 1, 0L), Set.of(0, 1), 120, 2, 0.25,
                        1.5, "RUNNING", 118, 40, 0.5, 2.0),
                new Streaming.SourceStatus("clicks", "clicks", Map.of(), Set.of(), 0, 0, Double.NaN, Double.NaN, "", 0, 0,
                        Double.NaN, Double.NaN))));
        DatasetOperations.Split split = new DatasetOperations.Split("key", List.of("customer_id"), "0.7,0.2,0.1");
        DatasetVersion joined = new DatasetVersion("churn", 1, joinedManifest(), T1, "token:alice");
        registrySamples(s, none, joined);
        mlflowSamples(s);
        DatasetVersion imported = new DatasetVersion("churn", 2, importedManifest(), T2, "token:bob");
        add(s, DatasetOperations.LIST, none, List.of(joined, imported));
        add(s, DatasetOperations.VERSIONS, "churn", List.of(joined));
        add(s, DatasetOperations.SHOW, "churn:1", joined);
        add(s, DatasetOperations.LINEAGE, "churn:1", new LineageReport(joined.ref(), ApiJsonTest.HASH_A, 60, T1,
                "token:alice", joined.manifest().lineage(), new BatchesRead(List.of(new BatchesRead.ViewBatches("stats", 1,
                        List.of(new BatchesRead.Batch("b_1", "transactions", ApiJsonTest.HASH_A, T1, "/in/t.csv",
                                Optional.empty(), OptionalLong.of(58)), new BatchesRead.Batch("b_2", "payments",
                                ApiJsonTest.HASH_B, T2, "", Optional.of(new BatchesRead.Offsets("seer.push.payments", 1, 5,
                                        9)), OptionalLong.empty())))))));
        add(s, DatasetOperations.DIFF, new DatasetOperations.Diff("churn:1", "churn:2", List.of("customer_id")),
                new DatasetDiff(joined.ref(), imported.ref(), List.of("customer_id"), List.of(
                        new DatasetDiff.ColumnChange("plan", DatasetDiff.Change.REMOVED, Optional.of("VARCHAR"), Optional.empty()),
                        new DatasetDiff.ColumnChange("spend", DatasetDiff.Change.TYPE, Optional.of("BIGINT"),
                                Optional.of("DOUBLE"))), new DatasetDiff.Rows(1, 0, 2), new DatasetDiff.Samples(
                        List.of(Map.of("customer_id", "21")), List.of(), List.of(Map.of("customer_id", "3"))),
                        Map.of("spend", new DatasetDiff.Statistics(Optional.of(tree), Optional.empty()))));
        add(s, DatasetOperations.EXPORT, new DatasetOperations.Export("churn:1", Optional.of("train"),
                Path.of("/out/train.parquet")), Path.of("/out/train.parquet"));
        add(s, DatasetOperations.CREATE, new DatasetOperations.Create("churn", Path.of("/in/e.csv"), List.of("churn_v1"),
                Optional.of("label"), true, Optional.of(split)), new DatasetStore.Written(joined, true, 4096));
        add(s, DatasetOperations.IMPORT, new DatasetOperations.Import("churn", Path.of("/in/d.csv"), List.of("customer_id"),
                Optional.empty(), Optional.empty()), new DatasetStore.Written(imported, false, 0));
        add(s, DatasetOperations.REPRODUCE, "churn:1", new DatasetStore.Reproduction("churn:1", ApiJsonTest.HASH_A,
                ApiJsonTest.HASH_B, Map.of("train", ApiJsonTest.HASH_A), Map.of("train", ApiJsonTest.HASH_B)));
        add(s, DatasetOperations.VERIFY, none, new DatasetStore.Verification(7, 1 << 20, List.of(
                new DatasetStore.Verification.Problem(ApiJsonTest.HASH_A, "missing", List.of("churn:1", "churn:2")))));
        add(s, DatasetOperations.GC, true, new DatasetStore.GarbageReport(true, List.of(ApiJsonTest.HASH_B), 512,
                List.of("tmp/x")));
        return s;
    }

    /** MLflow's messages carry times in milliseconds, no provenance, no version details or checks: the samples hold what they carry. */
    private static void mlflowSamples(Map<Operation<?, ?>, Sample<?, ?>> s) {
        Instant m1 = Instant.ofEpochMilli(1_772_323_200_123L);
        Instant m2 = Instant.ofEpochMilli(1_772_409_600_000L);
        String runId = "c".repeat(32);
        String parent = "d".repeat(32);
        Experiment experiment = new Experiment("3", "churn", "mlflow-artifacts:/3", Lifecycle.ACTIVE, m1, m2,
                Map.of("team", "risk"));
        Run run = new Run(runId, "3", "trial-1", "token:alice", RunStatus.FINISHED, m1, Optional.of(m2), Lifecycle.ACTIVE,
                "mlflow-artifacts:/3/" + runId + "/artifacts", Optional.of(parent), Map.of("max_depth", "6"),
                Map.of("mlflow.runName", "trial-1", "mlflow.parentRunId", parent), List.of(new Metric("auc", 0.81, 1_000, 3),
                        new Metric("loss", Double.NaN, 1_000, 3), new Metric("gain", Double.NEGATIVE_INFINITY, 2_000, 0)),
                Optional.empty());
        Run running = new Run(parent, "3", "study", "token:alice", RunStatus.RUNNING, m1, Optional.empty(), Lifecycle.ACTIVE,
                "mlflow-artifacts:/3/" + parent + "/artifacts", Optional.empty(), Map.of(), Map.of("mlflow.runName", "study"),
                List.of(), Optional.empty());
        ModelVersion version = new ModelVersion("churn", 2, m1, m2, "second", "token:alice", "runs:/" + runId + "/model",
                Optional.of(runId), VersionDetails.NONE, Map.of("algo", "xgb"), List.of("champion"), List.of());
        ModelVersion imported = new ModelVersion("churn", 1, m1, m1, "", "token:bob", "mlflow-artifacts:/3/x/model",
                Optional.empty(), VersionDetails.NONE, Map.of(), List.of(), List.of());
        MlflowJson.ModelAnswer model = new MlflowJson.ModelAnswer(new RegisteredModel("churn", "churn in 30 days", m1, m2,
                Map.of("owner", "risk"), Map.of("champion", 2)), List.of(version));
        String token = "eyJvZmZzZXQiOiAyfQ==";
        Codec.Empty done = Codec.Empty.REQUEST;
        add(s, MlflowOperations.CREATE_EXPERIMENT, new MlflowOperations.CreateExperiment("churn", Optional.empty(),
                Map.of("team", "risk")), "3");
        add(s, MlflowOperations.GET_EXPERIMENT, "3", experiment);
        add(s, MlflowOperations.GET_EXPERIMENT_BY_NAME, "churn", experiment);
        add(s, MlflowOperations.SEARCH_EXPERIMENTS, new MlflowOperations.SearchExperiments(2, Optional.of(token),
                Optional.of("name LIKE 'ch%'"), ViewType.ALL, List.of("creation_time DESC", "name")), new MlflowJson.Page<>(List.of(experiment), Optional.of(token)));
        add(s, MlflowOperations.SET_EXPERIMENT_TAG, new MlflowOperations.ExperimentTag("3", "team", "risk"), done);
        add(s, MlflowOperations.CREATE_RUN, new MlflowOperations.CreateRun("3", Optional.of("alice"), OptionalLong.of(1_000),
                Optional.of("trial-1"), Map.of("mlflow.parentRunId", parent)), run);
        add(s, MlflowOperations.GET_RUN, runId, running);
        add(s, MlflowOperations.UPDATE_RUN, new MlflowOperations.UpdateRun(runId, Optional.of(RunStatus.FINISHED),
                OptionalLong.of(2_000), Optional.empty()), MlflowJson.RunInfo.of(run));
        add(s, MlflowOperations.LOG_PARAMETER, new MlflowOperations.KeyValue(runId, "max_depth", "6"), done);
        add(s, MlflowOperations.SET_TAG, new MlflowOperations.KeyValue(runId, "team", ""), done);
        add(s, MlflowOperations.DELETE_TAG, new MlflowOperations.RunKey(runId, "team"), done);
        add(s, MlflowOperations.DELETE_RUN, runId, done);
        add(s, MlflowOperations.RESTORE_RUN, runId, done);
        add(s, MlflowOperations.LOG_METRIC, new MlflowOperations.LogMetric(runId, new Metric("auc", Double.POSITIVE_INFINITY,
                1_000, 4)), done);
        add(s, MlflowOperations.LOG_BATCH, new MlflowOperations.LogBatch(runId, new TrackingStore.Batch(List.of(new Metric(
                "auc", 0.5, 1, 0), new Metric("auc", 0.6, 2, 1)), Map.of("lr", "0.1"), Map.of("stage", "tune"))), done);
        add(s, MlflowOperations.SEARCH_RUNS, new MlflowOperations.SearchRuns(List.of("3", "4"), "metrics.auc > 0.5",
                ViewType.ACTIVE_ONLY, 2, List.of("metrics.auc DESC"), Optional.of(token)), new MlflowJson.Page<>(
                List.of(run, running), Optional.empty()));
        add(s, MlflowOperations.METRIC_HISTORY, new MlflowOperations.MetricHistory(runId, "auc", 10, Optional.empty()),
                new MlflowJson.Page<>(run.metrics(), Optional.of(token)));
        add(s, MlflowOperations.CREATE_MODEL, new MlflowOperations.CreateModel("churn", "churn in 30 days",
                Map.of("owner", "risk")), new MlflowJson.ModelAnswer(model.model(), List.of()));
        add(s, MlflowOperations.GET_MODEL, "churn", model);
        add(s, MlflowOperations.SEARCH_MODELS, new MlflowOperations.Search(Optional.of("name = 'churn'"), 100,
                Optional.empty()), new MlflowJson.Page<>(List.of(model), Optional.empty()));
        add(s, MlflowOperations.LATEST_VERSIONS, new MlflowOperations.LatestVersions("churn", List.of("None")),
                List.of(version));
        add(s, MlflowOperations.LATEST_VERSIONS_POST, new MlflowOperations.LatestVersions("churn", List.of()), List.of());
        add(s, MlflowOperations.CREATE_VERSION, new MlflowOperations.CreateVersion("churn", "runs:/" + runId + "/model",
                Optional.of(runId), "second", Map.of("algo", "xgb")), version);
        add(s, MlflowOperations.GET_VERSION, new MlflowOperations.VersionRef("churn", 1), imported);
        add(s, MlflowOperations.SEARCH_VERSIONS, new MlflowOperations.Search(Optional.empty(), 50, Optional.of(token)),
                new MlflowJson.Page<>(List.of(version, imported), Optional.of(token)));
        add(s, MlflowOperations.DOWNLOAD_URI, new MlflowOperations.VersionRef("churn", 2),
                "mlflow-artifacts:/3/" + runId + "/artifacts/model");
        add(s, MlflowOperations.SET_ALIAS, new MlflowOperations.SetAlias("churn", "champion", 2), done);
        add(s, MlflowOperations.DELETE_ALIAS, new MlflowOperations.AliasRef("churn", "challenger"), done);
        add(s, MlflowOperations.GET_ALIAS, new MlflowOperations.AliasRef("churn", "champion"), version);
        add(s, MlflowOperations.LIST_ARTIFACTS, "3/" + runId + "/artifacts/model", List.of(new MlflowJson.FileInfo(
                "model.json", false, OptionalLong.of(1234)), new MlflowJson.FileInfo("extra", true, OptionalLong.empty())));
    }

    private static void registrySamples(Map<Operation<?, ?>, Sample<?, ?>> s, Codec.Empty none, DatasetVersion dataset) {
        Experiment experiment = new Experiment("1", "churn", "mlflow-artifacts:/1", Lifecycle.ACTIVE, T1, T2,
                Map.of("team", "risk"));
        String runId = "a".repeat(32);
        Run run = new Run(runId, "1", "baseline", "token:alice", RunStatus.FINISHED, T1, Optional.of(T2), Lifecycle.ACTIVE,
                "mlflow-artifacts:/1/" + runId + "/artifacts", Optional.of("b".repeat(32)), Map.of("max_depth", "6"),
                Map.of("mlflow.runName", "baseline"), List.of(new Metric("auc", 0.81, 1_000, 3), new Metric("loss",
                        Double.NaN, 1_000, 3)), Optional.of(new RunProvenance(Optional.of("churn:1"), Optional.of(
                        ApiJsonTest.HASH_A), Optional.empty(), OptionalLong.of(7), "dev", Map.of("xgboost4j", "3.4.0"),
                        "17", "Linux")));
        VersionDetails details = new VersionDetails(Optional.of(ApiJsonTest.HASH_B), Optional.of("xgboost-json"),
                Optional.of(Json.parse("{\"format\": 1}")), Optional.of("churn:1"), Optional.of("churn_v1:2"),
                Map.of("auc", 0.81));
        ModelVersion version = new ModelVersion("churn", 2, T1, T2, "second", "token:alice", "runs:/" + runId + "/model",
                Optional.of(runId), details, Map.of("algo", "xgb"), List.of("champion"), List.of(new VersionCheck(
                        "comparison", true, "p = 0.004", T2, "ci")));
        RegisteredModel model = new RegisteredModel("churn", "churn in 30 days", T1, T2, Map.of(), Map.of("champion", 2));
        AliasMove move = new AliasMove("churn", "champion", Optional.of(2), T2, "token:bob", "beats v1",
                "check comparison passed");
        add(s, TrackingOperations.EXPERIMENTS, true, List.of(experiment));
        add(s, TrackingOperations.EXPERIMENT, new TrackingOperations.ExperimentRef("churn"), experiment);
        add(s, TrackingOperations.CREATE_EXPERIMENT, new TrackingOperations.NewExperiment("churn", Map.of("team", "risk")),
                experiment);
        add(s, TrackingOperations.RUN, runId, run);
        add(s, TrackingOperations.DELETE_RUN, runId, run);
        add(s, TrackingOperations.RESTORE_RUN, runId, run);
        add(s, TrackingOperations.METRIC_HISTORY, new TrackingOperations.MetricRef(runId, "auc"), List.of(new Metric("auc",
                0.5, 1, 0), new Metric("auc", Double.POSITIVE_INFINITY, 2, 1)));
        add(s, TrackingOperations.SEARCH, new TrackingOperations.Search(List.of("churn", "2"), "metrics.auc > 0.8",
                List.of("metrics.auc DESC"), ViewType.ALL, 10, Optional.of("eyJvZmZzZXQiOjEwfQ==")),
                new TrackingStore.RunPage(List.of(run), Optional.of("eyJvZmZzZXQiOjIwfQ==")));
        add(s, ModelOperations.MODELS, none, List.of(model));
        add(s, ModelOperations.MODEL, "churn", new ModelOperations.ModelView(model, List.of(version)));
        add(s, ModelOperations.VERSION, new ModelOperations.VersionRef("churn", 2), version);
        add(s, ModelOperations.REGISTER, new ModelOperations.Register("churn", runId, "model", Optional.of("onnx"),
                Optional.empty(), "d"), version);
        add(s, ModelOperations.IMPORT, new ModelOperations.Import("churn", Path.of("/in/m.onnx"), "onnx",
                "a:float64->probability", ""), version);
        add(s, ModelOperations.SET_ALIAS, new ModelOperations.SetAlias("churn", "champion", 2, "beats v1",
                Optional.of("incident 42")), move);
        add(s, ModelOperations.REMOVE_ALIAS, new ModelOperations.RemoveAlias("churn", "challenger", "done", Optional.empty()),
                new AliasMove("churn", "challenger", Optional.empty(), T2, "token:bob", "done", "unprotected"));
        add(s, ModelOperations.PROTECT, new ModelOperations.Protect("churn", "champion", "comparison"),
                new ModelOperations.Protect("churn", "champion", "comparison"));
        add(s, ModelOperations.CHECK, new ModelOperations.Check("churn", 2, "comparison", true, "p = 0.004"),
                version.checks().get(0));
        add(s, ModelOperations.HISTORY, "churn", List.of(move));
        add(s, ModelOperations.AT, new ModelOperations.At("churn", "champion", T2), new ModelOperations.AtAnswer("churn",
                "champion", T2, Optional.of(2)));
        EvaluationReport report = new EvaluationReport(ROC_AUC, 0.05, 5, 800, 200, List.of(new CandidateResult(
                "xgboost", Algorithm.XGBOOST, Map.of("max_depth", 6, "eta", 0.3), new double[] {0.8, Double.NaN}, 0.8,
                Map.of("roc_auc", new Interval(0.81, 0.78, 0.84, 1000, 0.95)), Map.of("rounds_trained", "100"), 1.5, 2.5),
                new CandidateResult("baseline", Algorithm.BASELINE, Map.of(), new double[] {0.5, 0.5}, 0.5, Map.of(
                        "roc_auc", new Interval(0.5, 0.5, 0.5, 1000, 0.95)), Map.of(), 0.01, 0.1)), "xgboost", List.of(
                new Comparison("xgboost", "baseline", List.of(new TestResult("delong", 3.1, 0.002, 0.3, 0.1, 0.5),
                        new TestResult("nadeau_bengio", 2.0, 0.07, 0.2, -0.02, 0.42)), "delong", 0.004, true)),
                Optional.of("churn:1 (champion)"), true, List.of("a note"));
        TrainingOperations.Trained trained = new TrainingOperations.Trained(runId, "2", report, Optional.of(version),
                Optional.of(version.checks().get(0)));
        add(s, TrainingOperations.TRAIN, new TrainingOperations.Train("churn.yaml", "name: churn\n"), trained);
        add(s, TrainingOperations.AUTOML, new TrainingOperations.AutoMlRequest("churn:2", Optional.of("churned"),
                Optional.empty(), "90s", 7), new TrainingOperations.Trained(runId, "3", report, Optional.empty(),
                Optional.empty()));
        add(s, TrainingOperations.RESUME, runId, trained);
        add(s, TrainingOperations.REPORT, runId, report);
        add(s, TrainingOperations.PROMOTE, new TrainingOperations.Promote("churn", 2, "champion", true, "incident 42"),
                move);
        ExplainOperations.Target target = new ExplainOperations.Target("churn", Optional.of(2), Optional.empty());
        java.util.Map<String, Double> row = new java.util.LinkedHashMap<>();
        row.put("age", 41.0);
        row.put("income", null);
        var attribution = new dev.seer.explain.Attribution("1", dev.seer.explain.Scale.MARGIN, -0.25,
                new double[] {0.5, -0.125}, 0.125);
        add(s, ExplainOperations.EXPLAIN, new ExplainOperations.Explain(target, List.of(row), List.of(row, row)),
                new ExplainOperations.Explained("churn", 2, "tree-shap (path-dependent)", "margin", List.of("age", "income"),
                        List.of(List.of(attribution), List.of(attribution))));
        add(s, ExplainOperations.WHAT_IF, new ExplainOperations.WhatIfRequest(new ExplainOperations.Target("churn",
                Optional.empty(), Optional.of("champion")), row, java.util.Map.of("age", 30.0), List.of(row)),
                new ExplainOperations.WhatIfAnswer("churn", 2, "linear-shap", List.of("age", "income"),
                        new dev.seer.explain.WhatIf(java.util.Map.of("age", 30.0), new double[] {0.53}, new double[] {0.41},
                                List.of(attribution), List.of(attribution))));
        add(s, ExplainOperations.IMPORTANCE, new ModelOperations.VersionRef("churn", 2), Json.object().put("format", 1));
        var constraint = new dev.seer.explain.Counterfactuals.Constraint(false, 0, 120, 1,
                dev.seer.explain.Counterfactuals.Direction.INCREASE);
        add(s, ExplainOperations.COUNTERFACTUAL, new ExplainOperations.CounterfactualRequest(target, row, Optional.of(0.5),
                Optional.of(true), 0, java.util.Map.of("age", constraint), 3, 20_000, List.of(row, row)),
                new ExplainOperations.CounterfactualAnswer("churn", 2, List.of("age", "income"), new double[] {0.31},
                        new dev.seer.explain.Counterfactuals.Goal(0, 0.5, true), new dev.seer.explain.Counterfactuals.Result(
                                List.of(new dev.seer.explain.Counterfactuals.Counterfactual(new double[] {47, Double.NaN},
                                        java.util.Map.of("age", new double[] {41, 47}), new double[] {0.52}, 1.5)), 812,
                                false, false)));
        servingSamples(s);
        monitorSamples(s);
        add(s, OnlineModelOperations.CREATE, new OnlineModelOperations.Create("churn", Optional.of("churn_v1"), List.of("a"),
                new dev.seer.serving.online.FtrlSettings(0.5, 1, 0.25, 0.1), "clicks"), version);
        add(s, TrainingOperations.CARD, new ModelOperations.VersionRef("churn", 2), new ModelCard.Card("# card", "<html>",
                Map.of("churn-2.roc.svg", "<svg/>")));
        add(s, ModelOperations.LINEAGE, new ModelOperations.VersionRef("churn", 2), new ModelOperations.Lineage(version,
                Optional.of(run), Optional.of(new LineageReport(dataset.ref(), ApiJsonTest.HASH_A, 60, T1, "token:alice",
                        dataset.manifest().lineage(), BatchesRead.NONE))));
    }

    private static void monitorSamples(Map<Operation<?, ?>, Sample<?, ?>> s) {
        var firing = new MonitorOperations.Alert("churn", "spend-drift", "churn/drift/spend/drifted", "firing", 1, Optional.of(T2),
                "critical", false, Optional.of(new MonitorOperations.Acknowledgement("token:alice", "a new market", T2)));
        var fresh = new MonitorOperations.Alert("churn", "volume", "churn/volume/rows/count", "inactive", Double.NaN,
                Optional.empty(), "warning", true, Optional.empty());
        add(s, MonitorOperations.ALERTS, new MonitorOperations.Listing(Optional.of("firing")), List.of(firing, fresh));
        add(s, MonitorOperations.ALERTS, new MonitorOperations.Listing(Optional.empty()), List.of());
        add(s, MonitorOperations.ACK, new MonitorOperations.Ack("spend-drift", Optional.of("churn/drift/spend/drifted"),
                "a new market"), List.of(firing));
        add(s, MonitorOperations.ACK, new MonitorOperations.Ack("spend-drift", Optional.empty(), ""), List.of(firing));
        var rule = new MonitorOperations.Rule("spend-drift", "*/drift/spend/drifted", ">=", 0.5, 3, "critical",
                Optional.of("token:alice"), Optional.of(T1));
        add(s, MonitorOperations.RULES, Codec.Empty.REQUEST, List.of(rule));
        add(s, MonitorOperations.ADD_RULE, new MonitorOperations.Rule("spend-drift", "*/drift/spend/drifted", ">=", 0.5, 3,
                "critical"), rule);
        add(s, MonitorOperations.REMOVE_RULE, "spend-drift", "spend-drift");
        add(s, MonitorOperations.HISTORY, new MonitorOperations.History(Optional.of("churn"), 20), List.of(
                new MonitorOperations.Event(7, "churn", "spend-drift", "churn/drift/spend/drifted", "pending", "firing", 1,
                        ">=", 0.5, 3, "critical", T1, T2, T2)));
        var range = new MonitorOperations.Range("churn", Optional.of(T1), Optional.of(T2));
        add(s, MonitorOperations.FIGURES, range, new MonitorOperations.Figures("churn", T1, T2, List.of(
                new MonitorOperations.FigureValue("churn/drift/spend/wasserstein_normed", T1, T2, 0.12, "ok"),
                new MonitorOperations.FigureValue("churn/performance/realised/roc_auc", T1, T2, Double.NaN, "no_data"))));
        add(s, MonitorOperations.REPORT, new MonitorOperations.Range("churn", Optional.empty(), Optional.empty()),
                new MonitorOperations.Report("churn", T1, T2, "ok", "Drift report\n", "<!DOCTYPE html>\n<html></html>\n"));
    }

    private static void servingSamples(Map<Operation<?, ?>, Sample<?, ?>> s) {
        var champion = new dev.seer.serving.deploy.ModelRef("churn", 2);
        var deployment = new dev.seer.serving.deploy.Deployment("churn", champion, Optional.of(
                new dev.seer.serving.deploy.ModelRef("churn", 3)), 10, Optional.empty(),
                dev.seer.serving.deploy.MissingPolicy.MODEL_DEFAULT, dev.seer.serving.deploy.MissingPolicy.REFUSE, 4, T1,
                "token:alice");
        var bound = new dev.seer.serving.deploy.Deployment("churn", champion, Optional.empty(), 0, Optional.empty(),
                dev.seer.serving.deploy.MissingPolicy.REFUSE, dev.seer.serving.deploy.MissingPolicy.REFUSE, 5, T1, "token:alice",
                Optional.of(new dev.seer.serving.deploy.StreamBinding("churn.requests", "churn.scores")));
        add(s, DeploymentOperations.DEPLOY, new DeploymentOperations.Deploy("churn", "churn", Optional.of(2), Optional.empty(),
                Optional.of("churn:3"), Optional.of("90/10"), Optional.empty(), Optional.of("model_default"),
                Optional.of("refuse"), Optional.of(3L), Optional.of("churn.requests"), Optional.of("churn.scores")), deployment);
        add(s, DeploymentOperations.LIST, Codec.Empty.REQUEST, List.of(deployment, bound));
        add(s, DeploymentOperations.SHOW, "churn", new DeploymentOperations.Shown(bound, List.of(Optional.of(deployment),
                Optional.empty(), Optional.of(bound)), Optional.of(new DeploymentOperations.StreamStatus("churn.requests",
                "churn.scores", DeploymentOperations.StreamState.RUNNING, "", java.util.Set.of(0, 2), Map.of(0, 0L, 2, 17L),
                1200, 3))));
        add(s, DeploymentOperations.REMOVE, "churn", "churn");
        var settings = new dev.seer.serving.online.FtrlSettings(0.5, 1, 0.25, 0.1);
        add(s, OnlineModelOperations.SHOW, "ctr", new OnlineModelOperations.Shown("ctr", List.of("a", "stats__spend"),
                settings, 1200, 3, 40, Optional.of(T2), T1));
        add(s, OnlineModelOperations.SNAPSHOT, "ctr", new OnlineModelOperations.Snapshot("ctr", Optional.of(4), 4, 1240,
                List.of("live", "canary")));
        var experiment = new DeploymentOperations.Experiment("churn", 0.05, 0.1, 100, 0.05, 250, 100);
        var verdict = new DeploymentOperations.Verdict(deployment, "promote", "the challenger is better (p = 0.003)", 812, 400,
                412, 0.71, 0.78, 0.003, 0.02, 0.11, 430, Double.NaN);
        add(s, DeploymentOperations.EXPERIMENT, experiment, verdict);
        add(s, DeploymentOperations.DECIDE, experiment, verdict);
        var policy = new dev.seer.monitoring.watch.RetrainPolicy("churn", Set.of("auc_drop", "*"), Optional.of(Duration.ofDays(7)),
                Duration.ofHours(36), dev.seer.monitoring.watch.RetrainPolicy.Action.PROMOTE, 15, 500, Duration.ofMinutes(90));
        var stored = new dev.seer.monitoring.watch.RetrainPolicies.Stored(policy, T1, "ana");
        add(s, RetrainOperations.SET, policy, stored);
        var retrained = dev.seer.monitoring.watch.RetrainRun.started("retrain_01", "churn", "auc_drop", T1)
                .withDataset("churn_training:3").withTrained("run-7", Optional.of("churn:5"), Optional.of(false))
                .finished(T2, dev.seer.monitoring.watch.RetrainRun.Status.REJECTED, "churn:5 was not shown better", "");
        var skipped = dev.seer.monitoring.watch.RetrainRun.started("retrain_02", "churn", "manual", T2);
        add(s, RetrainOperations.SHOW, "churn", new RetrainOperations.Shown("churn", Optional.of(stored),
                List.of(skipped, retrained)));
        add(s, RetrainOperations.RETRAIN, "churn", retrained);
        var row = new dev.seer.serving.deploy.Predictor.Row(Map.of("customer_id", "42"), Map.of("stats:spend", 12.5,
                "stats__visits", Double.NaN));
        add(s, PredictOperations.PREDICT, new PredictOperations.Predict("churn", List.of(row)), new PredictOperations.Predicted(
                "churn", 4, List.of(new PredictOperations.Prediction("prd_01M90MK1VX4E6GCA3S8WS2TFXF", champion,
                        dev.seer.serving.deploy.Arm.CHALLENGER, List.of(0.25), List.of("stats__visits"),
                        Optional.of("online store unavailable")))));
        add(s, PredictOperations.PREDICTION, new PredictOperations.Show("prd_01M90MK1VX4E6GCA3S8WS2TFXF", true),
                new PredictOperations.Logged(new dev.seer.serving.log.Prediction(
                "prd_01M90MK1VX4E6GCA3S8WS2TFXF", T1, "churn", "challenger", "churn", 3, Map.of("customer_id", "42"),
                List.of(dev.seer.serving.log.Prediction.Feature.present("stats__spend", 12.5, T1),
                        dev.seer.serving.log.Prediction.Feature.missing("stats__visits")), new double[] {0.25}, 840, false,
                "", Optional.empty()), List.of(new dev.seer.explain.Attribution("value", dev.seer.explain.Scale.MARGIN, 0.1,
                        new double[] {0.2, -0.05}, 0.25))));
        var logged = new dev.seer.serving.log.Prediction("prd_01M90MK1VX4E6GCA3S8WS2TFXF", T1, "churn", "shadow", "churn", 4,
                Map.of("customer_id", "42"), List.of(dev.seer.serving.log.Prediction.Feature.given("stats__spend", 12.5)),
                new double[] {0.5}, 910, true, "", Optional.of("prd_01M90MK1VX4E6GCA3S8WS2TFXG"));
        var filter = new PredictOperations.Filter(Optional.of("churn"), Map.of("customer_id", "42", "region", "eu"),
                Optional.of(T1), Optional.of(T2), Optional.of("churn:4"), PredictOperations.Shadows.ONLY);
        add(s, PredictOperations.LIST, new PredictOperations.Listing(filter, 50, Optional.of("prd_01M90MK1VX4E6GCA3S8WS2TFXH")),
                new dev.seer.serving.log.PredictionLog.Page(List.of(logged), Optional.of(logged.id())));
        add(s, PredictOperations.EXPORT, new PredictOperations.Export(filter, dev.seer.serving.log.ExportFormat.JSONL,
                Path.of("/srv/exports/churn.jsonl")), new PredictOperations.Exported(Path.of("/srv/exports/churn.jsonl"),
                dev.seer.serving.log.ExportFormat.JSONL, 1234));
        var byId = dev.seer.serving.feedback.Feedback.forPrediction("prd_01M90MK1VX4E6GCA3S8WS2TFXF", 1, T1, "api");
        var byEntity = dev.seer.serving.feedback.Feedback.forEntity(Map.of("customer_id", "42"), "churn", T1, 0, T2,
                "file:labels.csv");
        add(s, FeedbackOperations.FEEDBACK, new FeedbackOperations.Record(List.of(FeedbackOperations.Outcome.of(byId),
                FeedbackOperations.Outcome.of(byEntity), new FeedbackOperations.Outcome(byId.target(), 0, Optional.empty(),
                "api")), false),
                new dev.seer.serving.feedback.FeedbackStore.BatchResult(List.of(new dev.seer.serving.feedback.FeedbackStore
                        .RowResult(1, Optional.of("prd_01M90MK1VX4E6GCA3S8WS2TFXF"),
                        dev.seer.serving.feedback.FeedbackStore.Status.RECORDED, Optional.empty(), "",
                        List.of("prd_01M90MK1VX4E6GCA3S8WS2TFXG")), new dev.seer.serving.feedback.FeedbackStore.RowResult(2,
                        Optional.empty(), dev.seer.serving.feedback.FeedbackStore.Status.REFUSED, Optional.of(
                        dev.seer.serving.ServingErrorCode.UNKNOWN_PREDICTION), "Row 2: no prediction", List.of()))));
        var metrics = new dev.seer.serving.feedback.LiveMetrics.ArmMetrics("champion", dev.seer.models.OutputKind.PROBABILITY,
                120, List.of("churn:2"), Map.of(dev.seer.training.metrics.Metric.ROC_AUC,
                        new dev.seer.serving.feedback.LiveMetrics.Estimate(0.81, 0.74, 0.88)));
        add(s, FeedbackOperations.METRICS, new FeedbackOperations.Metrics("churn", Optional.of(T1), Optional.of(T2),
                Optional.of(java.time.Duration.ofHours(1))), List.of(new dev.seer.serving.feedback.LiveMetrics.Window(T1, T2, List.of(metrics))));
        add(s, FeedbackOperations.STREAM, Codec.Empty.REQUEST, new FeedbackOperations.StreamState(Optional.of("outcomes"),
                false, "", 12, 2, 1));
        add(s, FeedbackOperations.STREAM, Codec.Empty.REQUEST, new FeedbackOperations.StreamState(Optional.empty(), true,
                "broker down", 0, 0, 0));
    }

    /** A version made by a point-in-time join, split by key, read from a file and a stream. */
    private static DatasetManifest joinedManifest() {
        DatasetLineage lineage = new DatasetLineage.Retrieval(new DatasetLineage.Entities("/in/e.csv", ApiJsonTest.HASH_A,
                300, 60), List.of("churn_v1"), Optional.of(new PointInTimeRetrieval.ServiceVersion("churn_v1", 2)),
                List.of("stats:spend"), true, Optional.of("churned"), List.of(new DatasetLineage.ViewSummary("stats", 1, 2,
                        List.of(new DatasetLineage.FileBatch("b_1", "/in/t.csv", ApiJsonTest.HASH_A)), 58,
                        List.of(new DatasetLineage.OffsetSpan("seer.push.payments", 1, 5, 9, 1)))),
                Optional.of(ApiJsonTest.HASH_B));
        DatasetManifest.Splits splits = new DatasetManifest.Splits(new SplitSpec(SplitSpec.Method.KEY, List.of(
                "customer_id"), 0.7, 0.2, 0.1), new DatasetManifest.Splits.KeyRule("churn", "xxhash64 mod 1000"),
                Map.of("train", new DatasetManifest.Part(42, ApiJsonTest.HASH_A, 100), "test",
                        new DatasetManifest.Part(6, ApiJsonTest.HASH_B, 20)));
        return new DatasetManifest("churn", "duckdb v1.5.6", new DatasetManifest.DataFile(ApiJsonTest.HASH_A, 1234, 60,
                "parquet"), List.of(new DatasetManifest.Column("customer_id", "BIGINT")), List.of("customer_id"),
                Optional.of("churned"), Json.parse("{\"customer_id\": {\"min\": \"1\", \"avg\": 5.5}}"),
                Optional.of(splits), lineage, Optional.of(ApiJsonTest.HASH_B), Optional.of(T1), Optional.of("token:alice"));
    }

    /** A version imported from a file, split by time. */
    private static DatasetManifest importedManifest() {
        DatasetManifest.Splits splits = new DatasetManifest.Splits(new SplitSpec(SplitSpec.Method.TIME, List.of("ts"),
                0.8, 0.1, 0.1), new DatasetManifest.Splits.TimeRule(10, 20, "1970-01-01T00:00:00.000010Z",
                "1970-01-01T00:00:00.000020Z"), Map.of("validation", new DatasetManifest.Part(1, ApiJsonTest.HASH_B, 9)));
        return new DatasetManifest("churn", "duckdb v1.5.6", new DatasetManifest.DataFile(ApiJsonTest.HASH_B, 99, 3,
                "parquet"), List.of(), List.of(), Optional.empty(), Json.object(), Optional.of(splits),
                new DatasetLineage.Import(new DatasetLineage.StoredFile("/in/d.csv", ApiJsonTest.HASH_B, 99), Optional.empty()),
                Optional.empty(), Optional.of(T2), Optional.empty());
    }
}

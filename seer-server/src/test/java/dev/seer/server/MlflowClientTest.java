package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.Service.CreateRun;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The official MLflow Java client ({@code org.mlflow:mlflow-client:2.17.2}) against a real Seer
 * server, with a Seer scientist token as its bearer token: tracking from experiment to terminated
 * runs, search across pages, then registry and aliases. The client has no calls of its own for
 * creating registered models and versions or for aliases; those go through its
 * {@code sendPost}/{@code sendGet}, the same HTTP caller and credentials.
 */
class MlflowClientTest {
    @TempDir
    static Path dir;

    static RunningServer running;
    static MlflowClient client;

    @BeforeAll
    static void start() {
        running = new RunningServer(dir);
        client = new MlflowClient(new BasicMlflowHostCreds(running.server.url(), running.tokens.get(Role.SCIENTIST)));
    }

    @AfterAll
    static void stop() {
        client.close();
        running.close();
    }

    @Test
    void aTrainingStudyIsTrackedSearchedAndRegisteredThroughMlflowsClient() {
        String experimentId = client.createExperiment("churn-study");
        Experiment experiment = client.getExperiment(experimentId);
        assertThat(experiment.getName()).isEqualTo("churn-study");
        assertThat(experiment.getLifecycleStage()).isEqualTo("active");
        assertThat(client.getExperimentByName("churn-study").orElseThrow().getExperimentId()).isEqualTo(experimentId);
        assertThat(client.getExperimentByName("no-such-study")).isEmpty();
        assertThat(client.searchExperiments("name = 'churn-study'").getItems()).extracting(Experiment::getExperimentId)
                .containsExactly(experimentId);

        RunInfo parent = client.createRun(CreateRun.newBuilder().setExperimentId(experimentId).setRunName("study").build());
        assertThat(parent.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + parent.getRunId()
                + "/artifacts");
        List<String> children = new ArrayList<>();
        for (int trial = 0; trial < 5; trial++) {
            RunInfo child = client.createRun(CreateRun.newBuilder().setExperimentId(experimentId)
                    .setRunName("trial-" + trial).addTags(tag("mlflow.parentRunId", parent.getRunId())).build());
            String run = child.getRunId();
            children.add(run);
            client.logParam(run, "max_depth", Integer.toString(3 + trial));
            for (int step = 0; step < 3; step++) {
                client.logMetric(run, "auc", 0.5 + trial * 0.05 + step * 0.01, 1_000L + step, step);
            }
            client.setTag(run, "stage", trial % 2 == 0 ? "tune" : "explore");
            client.logBatch(run, List.of(Metric.newBuilder().setKey("loss").setValue(1.0 / (trial + 1)).setTimestamp(5_000)
                    .setStep(0).build()), List.of(Param.newBuilder().setKey("eta").setValue("0.1").build()),
                    List.of(tag("team", "risk")));
            client.setTerminated(run, RunStatus.FINISHED);
        }

        Run read = client.getRun(children.get(4));
        assertThat(read.getInfo().getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(read.getInfo().getEndTime()).isPositive();
        assertThat(read.getInfo().getRunName()).isEqualTo("trial-4");
        assertThat(params(read)).containsEntry("max_depth", "7").containsEntry("eta", "0.1");
        assertThat(tags(read)).containsEntry("stage", "tune").containsEntry("team", "risk")
                .containsEntry("mlflow.parentRunId", parent.getRunId());
        assertThat(read.getData().getMetricsList()).extracting(Metric::getKey).contains("auc", "loss");
        assertThat(client.getMetricHistory(children.get(4), "auc")).extracting(Metric::getStep, Metric::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0.7), org.assertj.core.groups.Tuple.tuple(1L, 0.71),
                        org.assertj.core.groups.Tuple.tuple(2L, 0.72));

        Page<Run> page = client.searchRuns(List.of(experimentId), "tags.stage = 'tune'", ViewType.ACTIVE_ONLY, 2,
                List.of("metrics.auc DESC"));
        List<String> found = new ArrayList<>();
        int pages = 0;
        while (true) {
            pages++;
            page.getItems().forEach(r -> found.add(r.getInfo().getRunName()));
            if (!page.hasNextPage()) {
                break;
            }
            page = page.getNextPage();
        }
        assertThat(pages).isEqualTo(2);
        assertThat(found).containsExactly("trial-4", "trial-2", "trial-0");

        // Tidying a study as MLflow's users do: tag the experiment, find it by the tag, drop a
        // tag, delete a trial (kept, out of the active view) and restore it.
        client.setExperimentTag(experimentId, "team", "risk");
        assertThat(client.searchExperiments("tags.team = 'risk' AND name LIKE 'churn%'").getItems())
                .extracting(Experiment::getExperimentId).containsExactly(experimentId);
        assertThat(client.searchExperiments("tags.team = 'growth'").getItems()).isEmpty();
        client.deleteTag(children.get(0), "stage");
        assertThat(tags(client.getRun(children.get(0)))).doesNotContainKey("stage");
        client.deleteRun(children.get(2));
        assertThat(client.getRun(children.get(2)).getInfo().getLifecycleStage()).isEqualTo("deleted");
        assertThat(client.searchRuns(List.of(experimentId), "tags.stage = 'tune'", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.auc DESC")).getItems()).extracting(r -> r.getInfo().getRunName()).containsExactly("trial-4");
        client.restoreRun(children.get(2));
        assertThat(client.searchRuns(List.of(experimentId), "tags.stage = 'tune'", ViewType.ACTIVE_ONLY, 10,
                List.of("metrics.auc DESC")).getItems()).extracting(r -> r.getInfo().getRunName())
                .containsExactly("trial-4", "trial-2");

        String model = "churn-mlflow";
        client.sendPost("registered-models/create", "{\"name\": \"" + model + "\", \"description\": \"from MLflow\"}");
        List<String> versions = new ArrayList<>();
        for (int i = 3; i <= 4; i++) {
            String answer = client.sendPost("model-versions/create", "{\"name\": \"" + model + "\", \"source\": \"runs:/"
                    + children.get(i) + "/model\", \"run_id\": \"" + children.get(i) + "\"}");
            versions.add(Json.parse(answer).path("model_version").path("version").asText());
        }
        assertThat(versions).containsExactly("1", "2");
        ModelVersion second = client.getModelVersion(model, "2");
        assertThat(second.getSource()).isEqualTo("runs:/" + children.get(4) + "/model");
        assertThat(second.getRunId()).isEqualTo(children.get(4));
        assertThat(second.getCurrentStage()).isEqualTo("None");
        assertThat(second.getStatus().name()).isEqualTo("READY");

        client.sendPost("registered-models/alias", "{\"name\": \"" + model + "\", \"alias\": \"champion\", \"version\": \"2\"}");
        String byAlias = client.sendGet("registered-models/alias?name=" + model + "&alias=champion");
        assertThat(Json.parse(byAlias).path("model_version").path("version").asText()).isEqualTo("2");
        assertThat(client.getModelVersion(model, "2").getAliasesList()).containsExactly("champion");
        RegisteredModel registered = client.getRegisteredModel(model);
        assertThat(registered.getAliasesList()).hasSize(1);
        assertThat(registered.getAliases(0).getAlias()).isEqualTo("champion");
        assertThat(registered.getAliases(0).getVersion()).isEqualTo("2");

        assertThat(client.getLatestVersions(model)).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(client.getModelVersionDownloadUri(model, "2")).isEqualTo("mlflow-artifacts:/" + experimentId + "/"
                + children.get(4) + "/artifacts/model");
        assertThat(client.searchModelVersions("name = '" + model + "'").getItems()).extracting(ModelVersion::getVersion)
                .containsExactlyInAnyOrder("1", "2");
    }

    @Test
    void aMissingRunIsResourceDoesNotExist() {
        assertThatThrownBy(() -> client.getRun("0".repeat(32)))
                .isInstanceOf(MlflowClientException.class)
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(404);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
                });
    }

    @Test
    void aProtectedAliasIsNotMovedThroughMlflowWithoutAPassingCheck() throws Exception {
        String model = "guarded";
        client.sendPost("registered-models/create", "{\"name\": \"" + model + "\"}");
        RunInfo run = client.createRun();
        client.sendPost("model-versions/create", "{\"name\": \"" + model + "\", \"source\": \"runs:/" + run.getRunId()
                + "/model\"}");
        running.services.models().protect(model, "champion", "comparison", "test");
        assertThatThrownBy(() -> client.sendPost("registered-models/alias", "{\"name\": \"" + model
                + "\", \"alias\": \"champion\", \"version\": 1}"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(409);
                    assertThat(e.getBodyMessage()).contains("INVALID_STATE").contains("no override");
                });
        assertThat(running.services.models().model(model).aliases()).isEmpty();
        running.services.models().recordCheck(model, 1, "comparison", true, "p = 0.01", "test");
        client.sendPost("registered-models/alias", "{\"name\": \"" + model + "\", \"alias\": \"champion\", \"version\": 1}");
        assertThat(running.services.models().model(model).aliases()).containsEntry("champion", 1);
    }

    private static RunTag tag(String key, String value) {
        return RunTag.newBuilder().setKey(key).setValue(value).build();
    }

    private static Map<String, String> params(Run run) {
        return run.getData().getParamsList().stream().collect(Collectors.toMap(Param::getKey, Param::getValue));
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }
}

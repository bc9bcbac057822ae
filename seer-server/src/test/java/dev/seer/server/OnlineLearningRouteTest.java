package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.home.SeerHome;
import dev.seer.metadata.AuditQuery;
import dev.seer.models.LinearModel;
import dev.seer.registry.versions.ModelVersion;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.deploy.StreamBinding;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.online.FtrlProximal;
import dev.seer.serving.online.FtrlSettings;
import dev.seer.serving.online.OnlineOptions;
import dev.seer.testing.MutableClock;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An online model end to end over HTTP: created, deployed, learning from feedback on its
 * predictions, snapshotted to the registry by hand and on schedule with the deployment moved to
 * each new version, and carrying on after a restart. Every check of what it learnt compares with
 * an {@link FtrlProximal} in the test fed the same rows in the same order.
 */
class OnlineLearningRouteTest {
    static final List<String> FEATURES = List.of("a", "b");
    static final FtrlSettings SETTINGS = new FtrlSettings(0.5, 1, 0, 0.1);
    /** Snapshots on schedule after 50 outcomes; the schedule's hour never passes in a test, so ticks are called. */
    static final OnlineOptions OPTIONS = new OnlineOptions(Duration.ofHours(1), 50);

    @TempDir
    Path dir;

    RunningServer running;
    final FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
    int customers;

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    void start() {
        running = RunningServer.over(dir, config -> config.with(OnlineOptions.SECTION, OPTIONS));
    }

    @Test
    void anOnlineModelLearnsFromFeedbackIsSnapshottedToTheDeploymentAndCarriesOnAfterARestart() throws Exception {
        start();
        HttpResponse<String> created = running.send("POST", "/api/v1/models/ctr/online", Role.SCIENTIST,
                "{\"features\": \"a, b\", \"alpha\": 0.5, \"beta\": 1, \"l1\": 0, \"l2\": 0.1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.parse(created.body()).path("version").asInt()).isEqualTo(1);
        assertThat(registered(1)).isEqualTo(expected.snapshot()); // version 1: the untrained learner
        assertThat(running.services.models().version("ctr", 1).tags()).containsEntry("seer.model_kind", "online_logistic")
                .containsEntry("seer.ftrl.alpha", "0.5");
        assertThat(deploy().statusCode()).isEqualTo(200);

        List<String> unlabelled = predict(120, "ctr:1"); // version 1 answers 1/2 to everyone
        label(unlabelled.subList(0, 100));
        assertThat(online().path("updates").asLong()).isEqualTo(100);
        HttpResponse<String> again = running.send("POST", "/api/v1/feedback", Role.OPERATOR, feedback(unlabelled.subList(0,
                10)));
        assertThat(Json.parse(again.body()).path("duplicate").asInt()).isEqualTo(10); // counted once, learnt once
        assertThat(online().path("updates").asLong()).isEqualTo(100);

        JsonNode snapshot = snapshot();
        assertThat(snapshot.path("registered").asInt()).isEqualTo(2);
        assertThat(snapshot.path("deployments")).extracting(JsonNode::asText).containsExactly("live");
        assertThat(registered(2)).isEqualTo(expected.snapshot());
        ModelVersion two = running.services.models().version("ctr", 2);
        assertThat(two.tags()).containsEntry("seer.online.parent_version", "1").containsEntry("seer.online.updates", "100")
                .containsKey("seer.online.learnt_from").containsKey("seer.online.learnt_to");
        assertThat(two.details().format()).contains("seer-linear");
        assertServes("ctr:2");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("deployment.changed")).entries())
                .hasSize(2);
        JsonNode nothingNew = snapshot();
        assertThat(nothingNew.has("registered")).isFalse();
        assertThat(nothingNew.path("version").asInt()).isEqualTo(2);

        // the schedule: a tick registers a version only once 50 outcomes were learnt since the last
        List<String> more = predict(49, "ctr:2");
        label(more);
        assertThat(running.services.onlineLearning().tick()).isEmpty();
        label(unlabelled.subList(100, 101)); // a prediction of version 1, labelled late: it teaches the model too
        assertThat(running.services.onlineLearning().tick()).singleElement()
                .satisfies(s -> assertThat(s.registered()).contains(3));
        assertThat(registered(3)).isEqualTo(expected.snapshot());
        assertServes("ctr:3");

        running.close(); // a restart: the state is in the metadata store, the predictions in the log
        start();
        assertThat(online().path("updates").asLong()).isEqualTo(150);
        label(unlabelled.subList(101, 120)); // made before the restart, labelled after
        label(predict(30, "ctr:3"));
        assertThat(snapshot().path("registered").asInt()).isEqualTo(4);
        assertThat(registered(4)).isEqualTo(expected.snapshot());
        assertThat(expected.updates()).isEqualTo(199);
        assertServes("ctr:4");
    }

    /**
     * The server's own schedule, on a clock the test moves: a version once {@code snapshot-every} has passed and
     * {@code snapshot-min-updates} outcomes were learnt since the last one, never before the interval nor with fewer.
     */
    @Test
    void theScheduleSnapshotsWhenTheIntervalHasPassedAndEnoughWasLearnt() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T09:00:00Z"));
        running = new RunningServer(dir, config -> config.with(OnlineOptions.SECTION,
                new OnlineOptions(Duration.ofMinutes(10), 5)), false, clock);
        assertThat(running.send("POST", "/api/v1/models/ctr/online", Role.SCIENTIST,
                "{\"features\": \"a, b\", \"alpha\": 0.5, \"beta\": 1, \"l1\": 0, \"l2\": 0.1}").statusCode()).isEqualTo(201);
        assertThat(deploy().statusCode()).isEqualTo(200);

        label(predict(5, "ctr:1")); // enough outcomes, but the interval has not passed
        clock.advance(Duration.ofMinutes(9));
        idle();
        assertThat(running.services.models().versions("ctr")).hasSize(1);

        clock.advance(Duration.ofMinutes(1));
        awaitVersion(2);
        assertThat(registered(2)).isEqualTo(expected.snapshot());
        assertThat(running.services.models().version("ctr", 2).tags()).containsEntry("seer.online.updates", "5");
        assertServes("ctr:2");

        label(predict(4, "ctr:2")); // the interval passes with too few since version 2
        clock.advance(Duration.ofMinutes(10));
        awaitTicks(2);
        label(predict(1, "ctr:2")); // enough now, but that tick was the interval's: the next waits ten minutes
        idle();
        assertThat(running.services.models().versions("ctr")).hasSize(2);

        clock.advance(Duration.ofMinutes(10));
        awaitVersion(3);
        assertThat(running.services.models().version("ctr", 3).tags()).containsEntry("seer.online.updates", "10");
        assertServes("ctr:3");
    }

    /**
     * A snapshot moves a deployment's champion and keeps the rest of the record, its stream binding too. No server
     * runs, so no consumer starts and no broker is needed: the binding is data in the deployment record.
     */
    @Test
    void aSnapshotKeepsTheDeploymentsStreamBinding() {
        try (SeerServices services = SeerServices.open(SeerHome.create(dir.resolve("home")), ConfigSections.defaults(),
                Clock.systemUTC())) {
            services.onlineLearning().create(new OnlineLearning.Create("ctr", Optional.empty(), FEATURES, SETTINGS, ""),
                    "test");
            Deployment deployed = services.serving().deploy(new DeploymentOperations.Deploy("scored", "ctr", Optional.of(1),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("model_default"),
                    Optional.empty(), Optional.empty(), Optional.of("ctr.requests"), Optional.of("ctr.scores")), "test");
            Predictor.Answer answer = services.serving().predict("scored", List.of(new Predictor.Row(
                    Map.of("customer_id", "c1"), Map.of("a", 1.0, "b", 2.0))));
            services.serving().feedback(List.of(Feedback.forPrediction(answer.predictions().get(0).id(), 1,
                    answer.predictions().get(0).time(), "test")), true, "test");

            OnlineLearning.Snapshot snapshot = services.onlineLearning().snapshot("ctr", "test");

            assertThat(snapshot.registered()).contains(2);
            assertThat(snapshot.deployments()).containsExactly("scored");
            Deployment moved = services.serving().deployments().get("scored");
            assertThat(moved.champion()).isEqualTo(new ModelRef("ctr", 2));
            assertThat(moved.revision()).isGreaterThan(deployed.revision());
            assertThat(moved.stream()).contains(new StreamBinding("ctr.requests", "ctr.scores"));
            assertThat(moved.missing()).isEqualTo(deployed.missing());
        }
    }

    /** Long enough for the schedule's thread to have looked at the clock (every second) twice over. */
    static void idle() throws InterruptedException {
        Thread.sleep(OnlineLearning.LOOK.multipliedBy(3).toMillis());
    }

    /** Waits until the schedule has ticked {@code ticks} times, so that what it did at this clock is done. */
    void awaitTicks(long ticks) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (running.services.onlineLearning().scheduledTicks() < ticks && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(running.services.onlineLearning().scheduledTicks()).as("schedule ticks").isEqualTo(ticks);
    }

    void awaitVersion(int version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (running.services.models().versions("ctr").size() < version && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(running.services.models().versions("ctr")).as("versions of ctr").hasSize(version);
        // the version is registered before the deployment moves, and stored before it answers: wait for the answers
        while (!answeredBy().equals("ctr:" + version) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The model version that answers the deployment now (a probe prediction, never labelled). */
    String answeredBy() throws Exception {
        HttpResponse<String> served = running.send("POST", "/api/v1/predict/live", Role.OPERATOR,
                "{\"entity\": {\"customer_id\": \"probe\"}, \"features\": {\"a\": 1.5, \"b\": -0.5}}");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        return Json.parse(served.body()).path("predictions").get(0).path("model").asText();
    }

    @Test
    void anOnlineModelOfAFeatureServiceLearnsFromTheValuesFetchedOnline() throws Exception {
        start();
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: transactions, type: file, path: transactions.csv, timestamp_field: event_ts}
                feature_views:
                  - name: customer_stats
                    entities: [customer]
                    source: transactions
                    features:
                      - {name: spend, type: double}
                feature_services:
                  - {name: churn_v1, features: [customer_stats:spend]}
                """);
        Files.writeString(repo.resolve("transactions.csv"), """
                customer_id,event_ts,spend
                1,2026-11-20T10:00:00Z,12.5
                2,2026-11-20T11:00:00Z,7.0
                """);
        running.services.features().apply(repo, "test");
        running.services.ingestor().ingest("transactions", Optional.empty(), "test");
        assertThat(running.send("POST", "/api/v1/materialize", Role.OPERATOR, "{\"end\": \"2026-11-21T00:00:00Z\"}")
                .statusCode()).isEqualTo(200);
        HttpResponse<String> created = running.send("POST", "/api/v1/models/churn/online", Role.SCIENTIST,
                "{\"feature_service\": \"churn_v1\", \"features\": [\"tenure\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(running.services.models().version("churn", 1).details().featureService()).contains("churn_v1:1");
        assertRefused(running.send("POST", "/api/v1/models/other/online", Role.SCIENTIST,
                "{\"feature_service\": \"nothing\"}"), 400, "Feature service [nothing] does not exist");
        assertThat(running.send("POST", "/api/v1/deployments/scored", Role.OPERATOR, "{\"model\": \"churn\","
                + " \"version\": 1}").statusCode()).isEqualTo(200);

        HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/scored", Role.OPERATOR, "{\"rows\": ["
                + "{\"entity\": {\"customer_id\": \"1\"}, \"features\": {\"tenure\": 3}},"
                + " {\"entity\": {\"customer_id\": \"2\"}, \"features\": {\"tenure\": 0.5}}]}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        JsonNode predictions = Json.parse(predicted.body()).path("predictions");
        HttpResponse<String> fed = running.send("POST", "/api/v1/feedback", Role.OPERATOR, "{\"rows\": [{\"prediction_id\": \""
                + predictions.get(0).path("id").asText() + "\", \"outcome\": 1}, {\"prediction_id\": \""
                + predictions.get(1).path("id").asText() + "\", \"outcome\": 0}]}");
        assertThat(Json.parse(fed.body()).path("recorded").asInt()).as(fed.body()).isEqualTo(2);
        FtrlProximal learner = new FtrlProximal(List.of("customer_stats__spend", "tenure"), FtrlSettings.defaults());
        learner.update(new double[] {12.5, 3}, 1); // spend from the online store, tenure from the request
        learner.update(new double[] {7.0, 0.5}, 0);

        HttpResponse<String> snapshot = running.send("POST", "/api/v1/models/churn/online/snapshot", Role.ADMIN, "{}");
        assertThat(Json.parse(snapshot.body()).path("registered").asInt()).as(snapshot.body()).isEqualTo(2);
        ModelVersion two = running.services.models().version("churn", 2);
        assertThat(two.details().featureService()).contains("churn_v1:1");
        assertThat(LinearModel.CODEC.decode(Json.parse(running.services.artifacts().read(two.details().artifactSha256()
                .orElseThrow())))).isEqualTo(learner.snapshot());
        HttpResponse<String> served = running.send("POST", "/api/v1/predict/scored", Role.OPERATOR,
                "{\"entity\": {\"customer_id\": \"1\"}, \"features\": {\"tenure\": 3}}");
        JsonNode p = Json.parse(served.body()).path("predictions").get(0);
        assertThat(p.path("model").asText()).isEqualTo("churn:2");
        assertThat(p.path("output").get(0).asDouble()).isCloseTo(learner.predict(new double[] {12.5, 3}), within(1e-12));
    }

    @Test
    void badOnlineModelsAreRefusedNamingTheField() throws Exception {
        start();
        assertThat(running.send("POST", "/api/v1/models/ctr/online", Role.SCIENTIST, "{\"features\": [\"a\"]}")
                .statusCode()).isEqualTo(201);
        assertRefused(running.send("POST", "/api/v1/models/ctr/online", Role.SCIENTIST, "{\"features\": [\"a\"]}"), 409,
                "already exists");
        assertRefused(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST, "{}"), 400, "[features]");
        assertRefused(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST, "{\"features\": \"a,a\"}"), 400,
                "each named once");
        assertRefused(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST, "{\"features\": \"a,../b\"}"), 400,
                "Feature name [../b]");
        assertRefused(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST,
                "{\"features\": \"a\", \"alpha\": 0}"), 400, "[alpha]");
        assertRefused(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST,
                "{\"features\": \"a\", \"l1\": \"lots\"}"), 400, "[l1]");
        // a malformed or oversized body creates nothing
        assertThat(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST, "{\"features\": ").statusCode())
                .isEqualTo(400);
        assertThat(running.send("POST", "/api/v1/models/x/online", Role.SCIENTIST, "{\"features\": \""
                + "a".repeat(11 << 20) + "\"}").statusCode()).isEqualTo(413);
        assertRefused(running.send("POST", "/api/v1/models/nothing/online/snapshot", Role.OPERATOR, "{}"), 404,
                "No online model named [nothing]");
        assertRefused(running.send("GET", "/api/v1/models/nothing/online", Role.AUDITOR, null), 404, "[nothing]");
        for (String name : List.of("..%2F..%2Fetc", "%2e%2e", "a%00b", "..")) {
            assertThat(running.send("POST", "/api/v1/models/" + name + "/online", Role.SCIENTIST, "{\"features\": \"a\"}")
                    .statusCode()).as(name).isIn(400, 404);
            assertThat(running.send("POST", "/api/v1/models/" + name + "/online/snapshot", Role.OPERATOR, "{}")
                    .statusCode()).as(name).isIn(400, 404);
        }
        byte[] file = new LinearModel(List.of("a"), new double[] {1}, 0, LinearModel.Link.LOGIT).toBytes();
        assertRefused(running.upload("POST", "/api/v1/models/ctr/import", Role.SCIENTIST, new MultipartBody(
                "{\"format\": \"seer-linear\", \"signature\": \"a:float64->probability\"}").file("file", "m.json", file)),
                400, "is an online model");
        // MLflow's registry API is another way in: the same refusal, in MLflow's shape
        HttpResponse<String> mlflow = running.send("POST", "/api/2.0/mlflow/model-versions/create", Role.SCIENTIST,
                "{\"name\": \"ctr\", \"source\": \"s3://bucket/model\"}");
        assertThat(mlflow.statusCode()).as(mlflow.body()).isEqualTo(400);
        assertThat(mlflow.body()).contains("is an online model");
        assertThat(running.services.models().models()).extracting(m -> m.name()).containsExactly("ctr");
        assertThat(running.services.models().versions("ctr")).hasSize(1);
    }

    /** A creation killed after registering the model but before storing its state is finished by asking again. */
    @Test
    void aCreationCutShortIsFinishedByAskingAgainAndATakenNameStaysTaken() throws Exception {
        start();
        Map<String, String> tags = Map.of("seer.model_kind", "online_logistic", "seer.ftrl.alpha", "0.1", "seer.ftrl.beta",
                "1.0", "seer.ftrl.l1", "0.0", "seer.ftrl.l2", "1.0");
        running.services.models().createModel("half", "", tags, "test"); // what a creation cut short left
        running.services.models().createModel("plain", "", Map.of(), "test");

        HttpResponse<String> finished = running.send("POST", "/api/v1/models/half/online", Role.SCIENTIST,
                "{\"features\": \"a\"}");
        assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);
        assertThat(running.services.models().versions("half")).singleElement()
                .satisfies(v -> assertThat(v.tags()).isEqualTo(tags));
        assertThat(running.send("GET", "/api/v1/models/half/online", Role.AUDITOR, null).statusCode()).isEqualTo(200);
        assertRefused(running.send("POST", "/api/v1/models/half/online", Role.SCIENTIST, "{\"features\": \"a\"}"), 409,
                "already exists");
        assertRefused(running.send("POST", "/api/v1/models/plain/online", Role.SCIENTIST, "{\"features\": \"a\"}"), 409,
                "already exists");
    }

    /**
     * A snapshot that died after registering its version but before recording it: the next snapshot of the same state
     * adopts that version rather than register the state twice.
     */
    @Test
    void aSnapshotCutShortAfterRegisteringIsAdoptedNotRegisteredAgain() throws Exception {
        start();
        assertThat(running.send("POST", "/api/v1/models/ctr/online", Role.SCIENTIST,
                "{\"features\": \"a, b\", \"alpha\": 0.5, \"beta\": 1, \"l1\": 0, \"l2\": 0.1}").statusCode()).isEqualTo(201);
        assertThat(deploy().statusCode()).isEqualTo(200);
        label(predict(10, "ctr:1"));
        // what the cut-short snapshot left: version 2 holding exactly this state, tagged with its updates
        byte[] bytes = expected.snapshot().toBytes();
        String sha256 = running.services.artifacts().store(bytes);
        running.services.models().createVersion("ctr", new dev.seer.registry.versions.ModelRegistry.NewVersion(
                "seer-artifacts:/" + sha256, Optional.empty(), "cut short", new dev.seer.registry.versions.VersionDetails(
                        Optional.of(sha256), Optional.of("seer-linear"), Optional.of(dev.seer.models.Signature.CODEC.encode(
                                expected.signature())), Optional.empty(), Optional.empty(), Map.of()),
                Map.of("seer.model_kind", "online_logistic", "seer.online.updates", "10")), "test");

        JsonNode snapshot = snapshot();
        assertThat(snapshot.path("registered").asInt()).as(snapshot.toString()).isEqualTo(2);
        assertThat(running.services.models().versions("ctr")).hasSize(2);
        assertServes("ctr:2");
        assertThat(snapshot().has("registered")).as("recorded now: nothing new to register").isFalse();
    }

    HttpResponse<String> deploy() throws Exception {
        return running.send("POST", "/api/v1/deployments/live", Role.OPERATOR, "{\"model\": \"ctr\", \"version\": 1,"
                + " \"missing\": \"model_default\"}");
    }

    /** {@code n} new customers scored by the deployment, each answered by {@code model}; returns their prediction ids. */
    List<String> predict(int n, String model) throws Exception {
        StringBuilder rows = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < n; i++) {
            int c = customers + i;
            rows.append(i == 0 ? "" : ",").append("{\"entity\": {\"customer_id\": \"c").append(c).append("\"}, \"features\": ")
                    .append("{\"a\": ").append(a(c)).append(", \"b\": ").append(b(c)).append("}}");
        }
        HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/live", Role.OPERATOR, rows + "]}");
        assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        JsonNode predictions = Json.parse(predicted.body()).path("predictions");
        for (int i = 0; i < n; i++) {
            JsonNode p = predictions.get(i);
            assertThat(p.path("model").asText()).isEqualTo(model);
            ids.add(p.path("id").asText() + " " + (customers + i));
        }
        customers += n;
        return ids;
    }

    /** Sends each one's outcome as one feedback batch, and feeds the test's learner the same rows in the same order. */
    void label(List<String> predictions) throws Exception {
        HttpResponse<String> fed = running.send("POST", "/api/v1/feedback", Role.OPERATOR, feedback(predictions));
        assertThat(fed.statusCode()).as(fed.body()).isEqualTo(200);
        assertThat(Json.parse(fed.body()).path("recorded").asInt()).as(fed.body()).isEqualTo(predictions.size());
        for (String p : predictions) {
            int c = Integer.parseInt(p.substring(p.indexOf(' ') + 1));
            expected.update(new double[] {a(c), bValue(c)}, outcome(c));
        }
    }

    static String feedback(List<String> predictions) {
        StringBuilder rows = new StringBuilder("{\"rows\": [");
        for (int i = 0; i < predictions.size(); i++) {
            String p = predictions.get(i);
            int c = Integer.parseInt(p.substring(p.indexOf(' ') + 1));
            rows.append(i == 0 ? "" : ",").append("{\"prediction_id\": \"").append(p, 0, p.indexOf(' '))
                    .append("\", \"outcome\": ").append(outcome(c)).append("}");
        }
        return rows + "]}";
    }

    // a: -2 to 2 in steps; b: 0.5 or missing (NaN counts as 0 for the learner and the registered model alike)
    static double a(int c) {
        return (c * 7 % 9) / 2.0 - 2;
    }

    static String b(int c) {
        return c % 4 == 0 ? "null" : Double.toString(c % 3 - 1 + 0.5);
    }

    static double bValue(int c) {
        return c % 4 == 0 ? Double.NaN : c % 3 - 1 + 0.5;
    }

    /** Mostly 1 when a > 0, with every fifth customer the other way. */
    static int outcome(int c) {
        int y = a(c) > 0 ? 1 : 0;
        return c % 5 == 0 ? 1 - y : y;
    }

    JsonNode online() throws Exception {
        HttpResponse<String> shown = running.send("GET", "/api/v1/models/ctr/online", Role.AUDITOR, null);
        assertThat(shown.statusCode()).as(shown.body()).isEqualTo(200);
        return Json.parse(shown.body());
    }

    JsonNode snapshot() throws Exception {
        HttpResponse<String> snapshot = running.send("POST", "/api/v1/models/ctr/online/snapshot", Role.OPERATOR, "{}");
        assertThat(snapshot.statusCode()).as(snapshot.body()).isEqualTo(200);
        return Json.parse(snapshot.body());
    }

    /** The registered version's model file, read back. */
    LinearModel registered(int version) {
        String sha256 = running.services.models().version("ctr", version).details().artifactSha256().orElseThrow();
        return LinearModel.CODEC.decode(Json.parse(running.services.artifacts().read(sha256)));
    }

    /** The deployment's champion is {@code model}, and it answers what the test's learner predicts. */
    void assertServes(String model) throws Exception {
        assertThat(running.services.serving().deployments().get("live").champion().toString()).isEqualTo(model);
        HttpResponse<String> served = running.send("POST", "/api/v1/predict/live", Role.OPERATOR,
                "{\"entity\": {\"customer_id\": \"probe\"}, \"features\": {\"a\": 1.5, \"b\": -0.5}}");
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        JsonNode p = Json.parse(served.body()).path("predictions").get(0);
        assertThat(p.path("model").asText()).isEqualTo(model);
        assertThat(p.path("output").get(0).asDouble()).isCloseTo(expected.predict(new double[] {1.5, -0.5}), within(1e-12));
    }

    static void assertRefused(HttpResponse<String> response, int status, String message) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(message);
    }
}

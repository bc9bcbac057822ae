package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetRef;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditQuery;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertRule;
import dev.seer.monitoring.watch.RetrainPolicy;
import dev.seer.monitoring.watch.RetrainPolicy.Action;
import dev.seer.monitoring.watch.RetrainRun;
import dev.seer.monitoring.watch.RetrainRun.Status;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.Feedback;
import dev.seer.testing.MutableClock;
import dev.seer.training.TrainingSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retraining loop with real training, joins and serving. Customers have two features, x1 and
 * x2, in the feature store; the champion was trained on a dataset joined from them where the label
 * followed x1. The deployment then answers customers by entity key and their outcomes come back:
 * first still following x1 (a retrained model is no better, so it is rejected and the deployment
 * is unchanged), then following x2 (the concept changed: the retrained model is better, so it
 * becomes the challenger, and with a promote policy the champion).
 */
class RetrainingTest {
    static final Instant INGESTED = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant JOINED = Instant.parse("2026-11-10T00:00:00Z");
    static final Instant SERVING = Instant.parse("2026-11-20T00:00:00Z");
    static final int CUSTOMERS = 4000;

    @TempDir
    static Path dir;

    static MutableClock clock = new MutableClock(SERVING);
    static SeerServices services;
    static double[] x1 = new double[CUSTOMERS];
    static double[] x2 = new double[CUSTOMERS];
    static SplittableRandom random = new SplittableRandom(11);

    @BeforeAll
    static void start() throws Exception {
        services = SeerServices.open(SeerHome.create(dir.resolve("home")), ConfigSections.defaults(), clock);
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.writeString(repo.resolve("repo.yaml"), """
                entities:
                  - {name: customer, join_keys: [customer_id]}
                sources:
                  - {name: stats, type: file, path: stats.csv, timestamp_field: event_ts}
                feature_views:
                  - name: customer_stats
                    entities: [customer]
                    source: stats
                    features:
                      - {name: x1, type: double}
                      - {name: x2, type: double}
                """);
        StringBuilder stats = new StringBuilder("customer_id,event_ts,x1,x2\n");
        for (int i = 0; i < CUSTOMERS; i++) {
            x1[i] = gaussian();
            x2[i] = gaussian();
            stats.append(i).append(',').append(INGESTED).append(',').append(x1[i]).append(',').append(x2[i]).append('\n');
        }
        Files.writeString(repo.resolve("stats.csv"), stats);
        services.features().apply(repo, "test");
        services.ingestor().ingest("stats", Optional.empty(), "test");

        StringBuilder entities = new StringBuilder("customer_id,event_timestamp,churned\n");
        for (int i = 0; i < 2000; i++) {
            entities.append(i).append(',').append(JOINED).append(',').append(label(x1[i])).append('\n');
        }
        Path file = dir.resolve("entities.csv");
        Files.writeString(file, entities);
        services.datasets().create("churn", new DatasetStore.CreateRequest(file, List.of("customer_stats:x1",
                "customer_stats:x2"), Optional.of("churned"), false, Optional.of(new SplitSpec(SplitSpec.Method.KEY,
                List.of("customer_id"), 0.6, 0.2, 0.2))), "test", m -> { });
        TrainingOperations.Trained champion = TrainingOperations.train(services, TrainingSpec.parse("spec.yaml", """
                name: churn
                dataset: churn:1
                task: binary
                # the dataset's name also appears here, untouched by the rewrite: churn:1
                evaluation: {folds: 3, bootstrap: 300}
                candidates: [{algorithm: logistic}]
                """), call());
        assertThat(champion.gate().orElseThrow().passed()).isTrue(); // against the baseline
        TrainingOperations.promote(services, new TrainingOperations.Promote("churn", 1, "champion", false, ""), call());
        services.serving().deploy(new DeploymentOperations.Deploy("churn", "churn", Optional.of(1), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                "test");
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aRetrainedModelIsDeployedOnlyWhenTheGateShowsItBetter() throws Exception {
        Retraining retraining = services.retraining();
        assertThatThrownBy(() -> retraining.retrain("churn", Retraining.MANUAL, clock.instant(), "ana", m -> { }))
                .hasMessageContaining("has no retraining policy");
        retraining.policies().put(new RetrainPolicy("churn", Set.of("churn_auc_drop"), Optional.empty(), Duration.ofDays(1),
                Action.CHALLENGER, 20, 900, Duration.ofHours(1)), "ana");

        // a day of traffic whose outcomes still follow x1, with 50 rows given by value only (no entity to join)
        serve(0, 1000, false);
        serveWithoutEntity(50);
        clock.advance(Duration.ofMinutes(1)); // the range ends before now: the predictions just made are in it
        Deployment before = services.serving().deployments().get("churn");
        RetrainRun same = retraining.retrain("churn", Retraining.MANUAL, clock.instant(), "ana", m -> { });
        assertThat(same.status()).as(same.toString()).isEqualTo(Status.REJECTED);
        assertThat(same.dataset()).contains("churn:2");
        assertThat(same.modelVersion()).contains("churn:2");
        assertThat(same.gatePassed()).contains(false);
        assertThat(same.outcome()).contains("not shown better");
        assertThat(services.serving().deployments().get("churn")).isEqualTo(before);
        assertThat(services.models().model("churn").aliases()).containsEntry("champion", 1);
        JsonNode created = payload("retraining.dataset_created").get(0);
        assertThat(created.path("rows").asLong()).isEqualTo(1000);
        assertThat(created.path("without_entity").asLong()).isEqualTo(50);
        assertThat(created.path("from_dataset").asText()).isEqualTo("churn:1");
        // the fresh version is the same join as the champion's: features, label and split as recorded there
        var manifest = services.datasets().get(DatasetRef.parse("churn:2")).manifest();
        assertThat(manifest.label()).contains("churned");
        assertThat(manifest.splits().orElseThrow().spec()).isEqualTo(services.datasets().get(DatasetRef.parse("churn:1"))
                .manifest().splits().orElseThrow().spec());

        // the next day the outcomes follow x2: an alert fires, and the model retrained on that day is better
        clock.advance(Duration.ofDays(1));
        serve(1000, 2000, true);
        clock.advance(Duration.ofMinutes(1));
        assertThat(retraining.onTransition(transition("other_rule", AlertEvaluator.Phase.FIRING)).get(60, TimeUnit.SECONDS))
                .isEmpty();
        List<RetrainRun> fired = retraining.onTransition(transition("churn_auc_drop", AlertEvaluator.Phase.FIRING))
                .get(120, TimeUnit.SECONDS);
        assertThat(fired).hasSize(1);
        RetrainRun better = fired.get(0);
        assertThat(better.status()).as(better.toString()).isEqualTo(Status.CHALLENGER_DEPLOYED);
        assertThat(better.trigger()).isEqualTo("churn_auc_drop");
        assertThat(better.dataset()).contains("churn:3");
        assertThat(better.modelVersion()).contains("churn:3");
        Deployment challenged = services.serving().deployments().get("churn");
        assertThat(challenged.champion().toString()).isEqualTo("churn:1");
        assertThat(challenged.challenger().map(Object::toString)).contains("churn:3");
        assertThat(challenged.challengerPercent()).isEqualTo(20);
        assertThat(challenged.revision()).isEqualTo(before.revision() + 1);
        // the training run names the retraining that made it, for seer lineage
        var run = services.tracking().run(better.runId().orElseThrow());
        assertThat(run.tags()).containsEntry("seer.retraining.trigger", "churn_auc_drop")
                .containsEntry("seer.retraining.deployment", "churn").containsEntry("seer.retraining.id", better.id());
        assertThat(run.tags().get("seer.retraining.range")).contains(clock.instant().minus(Duration.ofDays(1)).toString());
        assertThat(run.params()).containsEntry("dataset", "churn:3");
        ModelOperations.Lineage lineage = ModelOperations.LINEAGE.handle(services, new ModelOperations.VersionRef("churn", 3),
                call());
        assertThat(lineage.run().orElseThrow().tags()).containsEntry("seer.retraining.id", better.id());
        assertThat(lineage.dataset().orElseThrow().dataset()).hasToString("churn:3");

        // within the cooldown a second alert does nothing
        assertThat(retraining.onTransition(transition("churn_auc_drop", AlertEvaluator.Phase.FIRING))
                .get(60, TimeUnit.SECONDS)).isEmpty();

        // a promote policy takes a better version through the gate to the champion alias and the deployment
        clock.advance(Duration.ofHours(2));
        retraining.policies().put(new RetrainPolicy("churn", Set.of(), Optional.of(Duration.ofHours(1)), Duration.ofDays(1),
                Action.PROMOTE, 10, 900, Duration.ofHours(1)), "ana");
        assertThat(retraining.tick(clock.instant())).isEmpty(); // due an hour after the policy was set
        clock.advance(Duration.ofHours(1));
        List<RetrainRun> scheduled = retraining.tick(clock.instant());
        assertThat(scheduled).hasSize(1);
        RetrainRun promoted = scheduled.get(0);
        assertThat(promoted.status()).as(promoted.toString()).isEqualTo(Status.PROMOTED);
        assertThat(promoted.trigger()).isEqualTo(Retraining.SCHEDULE);
        assertThat(services.models().model("churn").aliases()).containsEntry("champion", 4);
        Deployment after = services.serving().deployments().get("churn");
        assertThat(after.champion().toString()).isEqualTo("churn:4");
        assertThat(after.challenger().map(Object::toString)).contains("churn:3");

        assertThat(retraining.policies().runs("churn", 10)).extracting(RetrainRun::status)
                .containsExactly(Status.PROMOTED, Status.CHALLENGER_DEPLOYED, Status.REJECTED);
        assertThat(actions()).containsSubsequence("retraining.started", "retraining.dataset_created", "retraining.trained",
                "retraining.rejected", "retraining.started", "retraining.dataset_created", "retraining.trained",
                "retraining.challenger_deployed", "retraining.started", "retraining.dataset_created", "retraining.trained",
                "retraining.promoted");
        assertThat(payload("retraining.promoted").get(0).path("trigger").asText()).isEqualTo(Retraining.SCHEDULE);
    }

    @Test
    void tooFewLabelledRowsSkipTheRunAndSayWhy() {
        services.serving().deploy(new DeploymentOperations.Deploy("quiet", "churn", Optional.of(1), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                "test");
        services.retraining().policies().put(RetrainPolicy.of("quiet", Set.of("*"), Optional.empty(), Action.PROMOTE), "ana");
        RetrainRun run = services.retraining().retrain("quiet", Retraining.MANUAL, clock.instant(), "ana", m -> { });
        assertThat(run.status()).isEqualTo(Status.SKIPPED);
        assertThat(run.outcome()).contains("0 labelled rows", "min_rows 1000");
        assertThat(run.dataset()).isEmpty();
    }

    @Test
    void thePolicyRoutesSetAndShowAPolicyWithItsRunsAndRefuseBadFieldsNamingThem() {
        services.serving().deploy(new DeploymentOperations.Deploy("routed", "churn", Optional.of(1), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
                "test");
        JsonNode body = Json.parse("{\"name\": \"routed\", \"on\": [\"auc_drop\"], \"every\": \"2w\", \"action\": \"promote\","
                + " \"cooldown\": \"6h\"}");
        RetrainPolicy asked = RetrainOperations.SET.decodeRequest(body);
        assertThat(asked).isEqualTo(new RetrainPolicy("routed", Set.of("auc_drop"), Optional.of(Duration.ofDays(14)),
                Duration.ofDays(7), Action.PROMOTE, 10, 1000, Duration.ofHours(6)));
        var stored = RetrainOperations.SET.handle(services, asked, call());
        assertThat(RetrainOperations.SET.decodeResponse(RetrainOperations.SET.encodeResponse(stored))).isEqualTo(stored);
        assertThat(RetrainOperations.policy(asked).path("every").asText()).isEqualTo("14d");
        services.retraining().retrain("routed", Retraining.MANUAL, clock.instant(), "ana", m -> { });
        RetrainOperations.Shown shown = RetrainOperations.SHOW.handle(services, "routed", call());
        assertThat(shown.policy().orElseThrow().policy()).isEqualTo(asked);
        assertThat(shown.runs()).extracting(RetrainRun::status).containsExactly(Status.SKIPPED);
        assertThat(RetrainOperations.SHOW.decodeResponse(RetrainOperations.SHOW.encodeResponse(shown))).isEqualTo(shown);

        assertThatThrownBy(() -> RetrainOperations.SET.decodeRequest(Json.parse("{\"name\": \"routed\", \"every\": \"soon\"}")))
                .hasMessageContaining("every");
        assertThatThrownBy(() -> RetrainOperations.SET.decodeRequest(Json.parse("{\"name\": \"routed\"}")))
                .hasMessageContaining("[on]");
        assertThatThrownBy(() -> RetrainOperations.SET.decodeRequest(Json.parse("{\"name\": \"../x\", \"on\": [\"*\"]}")))
                .hasMessageContaining("Deployment name");
        assertThatThrownBy(() -> RetrainOperations.SET.handle(services, RetrainPolicy.of("absent", Set.of("*"), Optional.empty(),
                Action.CHALLENGER), call())).hasMessageContaining("absent");
    }

    /** Customers [from, to) answered by entity key with their values given, and their outcomes recorded. */
    private static void serve(int from, int to, boolean followsX2) {
        List<Predictor.Row> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(new Predictor.Row(Map.of("customer_id", Integer.toString(i)), Map.of("customer_stats__x1", x1[i],
                    "customer_stats__x2", x2[i])));
        }
        List<Predictor.Predicted> answered = services.serving().predict("churn", rows).predictions();
        List<Feedback> outcomes = new ArrayList<>();
        for (int i = 0; i < answered.size(); i++) {
            int c = from + i;
            outcomes.add(new Feedback(new Feedback.ById(answered.get(i).id()), label(followsX2 ? x2[c] : x1[c]),
                    clock.instant(), "test"));
        }
        assertThat(services.serving().feedback(outcomes, false, "test").rows()).hasSize(answered.size());
    }

    private static void serveWithoutEntity(int n) {
        List<Predictor.Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Predictor.Row(Map.of(), Map.of("customer_stats__x1", x1[i], "customer_stats__x2", x2[i])));
        }
        List<Feedback> outcomes = new ArrayList<>();
        for (Predictor.Predicted p : services.serving().predict("churn", rows).predictions()) {
            outcomes.add(new Feedback(new Feedback.ById(p.id()), 1, clock.instant(), "test"));
        }
        services.serving().feedback(outcomes, false, "test");
    }

    private static AlertEvaluator.Transition transition(String rule, AlertEvaluator.Phase to) {
        Instant now = clock.instant();
        return new AlertEvaluator.Transition(rule, "churn/performance/realised/roc_auc", AlertEvaluator.Phase.PENDING, to,
                0.55, "<", 0.7, 1, AlertRule.Severity.WARNING, now.minus(Duration.ofHours(1)), now, now);
    }

    private static int label(double x) {
        return random.nextDouble() < 1 / (1 + Math.exp(-3 * x)) ? 1 : 0;
    }

    private static double gaussian() {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static Call call() {
        return new Call("test", m -> { });
    }

    private static List<String> actions() {
        return services.audit().query(AuditQuery.all().withSubject("deployment", Optional.of("churn"))).entries().stream()
                .map(AuditEntry::action)
                .filter(a -> a.startsWith("retraining.")).toList();
    }

    private static List<JsonNode> payload(String action) {
        return services.audit().query(AuditQuery.all().withAction(action)).entries().stream()
                .map(e -> Json.parse(e.payload())).toList();
    }
}

package dev.seer.registry.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistryStoreFixture;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tracking store against a real metadata database; each backend runs the same tests. */
abstract class TrackingStoreContract extends RegistryStoreFixture {
    TrackingStore store;

    @BeforeEach
    void open() {
        store = new TrackingStore(database, audit, clock);
    }

    @Test
    void theDefaultExperimentExistsAndNewOnesGetTheNextId() {
        assertThat(store.experiment(TrackingStore.DEFAULT_EXPERIMENT).name()).isEqualTo("Default");
        Experiment churn = store.createExperiment("churn", Optional.empty(), Map.of("team", "risk"), "alice");
        Experiment fraud = store.createExperiment("fraud", Optional.empty(), Map.of(), "alice");
        assertThat(churn.id()).isEqualTo("1");
        assertThat(fraud.id()).isEqualTo("2");
        assertThat(churn.artifactLocation()).isEqualTo("mlflow-artifacts:/1");
        assertThat(churn.tags()).containsEntry("team", "risk");
        assertThat(store.experimentByName("churn")).contains(churn);
        assertThat(store.experiments(false)).extracting(Experiment::name).containsExactly("Default", "churn", "fraud");
        assertThatThrownBy(() -> store.createExperiment("churn", Optional.empty(), Map.of(), "bob"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.ALREADY_EXISTS)).hasMessageContaining("[churn] already exists");
        assertThatThrownBy(() -> store.experiment("x1")).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> store.experiment("99")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.NOT_FOUND));
        assertThat(actions()).containsExactly("experiment.created", "experiment.created");
    }

    @Test
    void anExperimentTagIsSetReplacedAndAudited() {
        Experiment churn = store.createExperiment("churn", Optional.empty(), Map.of("team", "risk"), "alice");
        store.setExperimentTag(churn.id(), "team", "growth", "bob");
        store.setExperimentTag(churn.id(), "stage", "pilot", "bob");
        assertThat(store.experiment(churn.id()).tags()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "growth", "stage", "pilot"));
        assertThatThrownBy(() -> store.setExperimentTag(churn.id(), "../x", "v", "bob"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.INVALID_REQUEST));
        assertThatThrownBy(() -> store.setExperimentTag("99", "team", "v", "bob"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.NOT_FOUND));
        assertThat(actions()).containsExactly("experiment.created", "experiment.tag_set", "experiment.tag_set");
    }

    @Test
    void aRunLogsParametersMetricsAndTagsAndFinishes() {
        Experiment churn = store.createExperiment("churn", Optional.empty(), Map.of(), "alice");
        RunProvenance provenance = RunProvenance.here(Optional.of("churn_training:3"), Optional.of("ab".repeat(32)),
                Optional.of("cd".repeat(32)), OptionalLong.of(7), Map.of("xgboost4j", "3.4.0"));
        Run run = store.createRun(new TrackingStore.NewRun(churn.id(), Optional.of("baseline"), "alice", Optional.empty(),
                Map.of("team", "risk"), Optional.empty(), Optional.of(provenance)), "alice");
        assertThat(run.id()).matches("[0-9a-f]{32}");
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.started()).isEqualTo(T0);
        assertThat(run.artifactUri()).isEqualTo("mlflow-artifacts:/1/" + run.id() + "/artifacts");
        assertThat(run.tags()).containsEntry("team", "risk").containsEntry(TrackingStore.RUN_NAME_TAG, "baseline");

        store.logBatch(run.id(), new TrackingStore.Batch(List.of(new Metric("auc", 0.71, 1_000, 0),
                new Metric("auc", 0.78, 2_000, 1), new Metric("loss", Double.NaN, 2_000, 1)),
                Map.of("max_depth", "6", "eta", "0.1"), Map.of("stage", "tuning")), "alice");
        store.logBatch(run.id(), new TrackingStore.Batch(List.of(new Metric("auc", 0.74, 3_000, 1),
                new Metric("auc", 0.78, 2_000, 1)), Map.of("max_depth", "6"), Map.of()), "alice"); // same param again: fine
        clock.advance(java.time.Duration.ofMinutes(5));
        Run finished = store.updateRun(run.id(), Optional.of(RunStatus.FINISHED), Optional.empty(), Optional.empty(), "alice");

        assertThat(finished.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.ended()).contains(T0.plusSeconds(300));
        assertThat(finished.params()).containsExactlyInAnyOrderEntriesOf(Map.of("max_depth", "6", "eta", "0.1"));
        assertThat(finished.tags()).containsEntry("stage", "tuning");
        // latest per key: the greatest (step, timestamp, value); the point logged twice is kept once
        assertThat(finished.metrics()).containsExactly(new Metric("auc", 0.74, 3_000, 1), new Metric("loss", Double.NaN,
                2_000, 1));
        assertThat(store.metricHistory(run.id(), "auc")).containsExactly(new Metric("auc", 0.71, 1_000, 0),
                new Metric("auc", 0.78, 2_000, 1), new Metric("auc", 0.74, 3_000, 1));
        assertThat(finished.provenance()).contains(provenance);
        assertThat(actions()).containsExactly("experiment.created", "run.created", "run.logged", "run.logged",
                "run.updated");
        // a run taken up again (a resumed training) is running, with no end time, until it ends again
        Run again = store.updateRun(run.id(), Optional.of(RunStatus.RUNNING), Optional.empty(), Optional.empty(), "alice");
        assertThat(again.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(again.ended()).isEmpty();
    }

    @Test
    void aParameterCannotChangeAndAFailedBatchKeepsNothing() {
        Run run = newRun("p");
        store.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of("max_depth", "6"), Map.of()), "alice");
        assertThatThrownBy(() -> store.logBatch(run.id(), new TrackingStore.Batch(List.of(new Metric("auc", 0.9, 1, 0)),
                Map.of("max_depth", "8"), Map.of("t", "v")), "alice"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.INVALID_REQUEST))
                .hasMessageContaining("Parameter [max_depth]").hasMessageContaining("cannot change");
        Run after = store.run(run.id());
        assertThat(after.params()).containsExactly(Map.entry("max_depth", "6"));
        assertThat(after.metrics()).isEmpty();
        assertThat(after.tags()).doesNotContainKey("t");
    }

    @Test
    void childRunsNameTheirParentAndADeletedRunRefusesLogging() {
        Run parent = newRun("study");
        Run child = store.createRun(new TrackingStore.NewRun(parent.experimentId(), Optional.empty(), "alice",
                Optional.empty(), Map.of(TrackingStore.PARENT_TAG, parent.id()), Optional.empty(), Optional.empty()), "alice");
        assertThat(child.parentId()).contains(parent.id());
        assertThat(child.name()).isEqualTo("run-" + child.id().substring(0, 8));
        assertThatThrownBy(() -> store.createRun(new TrackingStore.NewRun(parent.experimentId(), Optional.empty(), "alice",
                Optional.empty(), Map.of(), Optional.of("f".repeat(32)), Optional.empty()), "alice"))
                .hasMessageContaining("does not exist");

        store.setLifecycle(child.id(), Lifecycle.DELETED, "alice");
        assertThatThrownBy(() -> store.logBatch(child.id(), new TrackingStore.Batch(List.of(new Metric("a", 1, 1, 0)),
                Map.of(), Map.of()), "alice")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_STATE)).hasMessageContaining("is deleted");
        store.setLifecycle(child.id(), Lifecycle.ACTIVE, "alice");
        store.logBatch(child.id(), new TrackingStore.Batch(List.of(new Metric("a", 1, 1, 0)), Map.of(), Map.of()), "alice");
        assertThat(store.run(child.id()).metrics()).hasSize(1);
        assertThat(store.runs(List.of(child.id(), "0".repeat(32), parent.id()))).extracting(Run::id)
                .containsExactly(child.id(), parent.id());
    }

    /**
     * Values as long as the limits allow, and random so that nothing compresses them: they are
     * stored, read back and found by search on every store (PostgreSQL's B-tree entries hold
     * about 2,700 bytes, so its indexes hold a prefix of the value, not the value).
     */
    @Test
    void aParameterOrTagAsLongAsAllowedIsStoredAndFound() {
        java.util.Random random = new java.util.Random(7);
        String param = random.ints(Names.MAX_PARAM_VALUE, 0x21, 0x7f).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString().replaceAll("['\\\\]", "x");
        String tag = random.ints(Names.MAX_TAG_VALUE, 0x21, 0x7f).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString().replaceAll("['\\\\]", "x");
        Run run = newRun("long");
        Run other = newRun("other");
        store.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of("long", param), Map.of("long", tag)), "alice");
        store.logBatch(other.id(), new TrackingStore.Batch(List.of(), Map.of("long", param.substring(0, 250) + "different"),
                Map.of()), "alice");
        String stored = param;
        assertThat(store.run(run.id()).params()).containsEntry("long", stored);
        assertThat(store.run(run.id()).tags()).containsEntry("long", tag);
        List<Long> experiment = List.of(Long.parseLong(run.experimentId()));
        assertThat(search(experiment, "params.long = '" + stored + "'")).containsExactly(run.id());
        assertThat(search(experiment, "tags.long = '" + tag + "'")).containsExactly(run.id());
        assertThat(search(experiment, "params.long != '" + stored + "'")).containsExactly(other.id());
        assertThat(search(experiment, "params.long = '" + stored.substring(0, 10) + "'")).as("a prefix is not the value")
                .isEmpty();
        assertThat(search(experiment, "params.long = '" + stored.substring(0, 200) + "'")).isEmpty();
    }

    private List<String> search(List<Long> experiment, String filter) {
        return dev.seer.registry.search.RunSearch.of(experiment, filter, List.of(),
                dev.seer.registry.search.ViewType.ACTIVE_ONLY, null, 10).execute(database).runIds();
    }

    @Test
    void badKeysValuesAndUnknownRunsAreRefusedByName() {
        Run run = newRun("r");
        for (String key : List.of("", "../etc", "/abs", "a/../b", "semi;colon", "x".repeat(251), "a\u0000b")) {
            assertThatThrownBy(() -> store.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of(key, "1"), Map.of()),
                    "alice")).as("key [%s]", key).isInstanceOfSatisfying(SeerException.class,
                    e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.INVALID_REQUEST));
        }
        assertThatThrownBy(() -> store.logBatch(run.id(), new TrackingStore.Batch(List.of(), Map.of("p", "v".repeat(6001)),
                Map.of()), "alice")).hasMessageContaining("6001 characters; at most 6000");
        assertThatThrownBy(() -> store.run("nope")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> store.metricHistory("nope", "auc")).hasMessageContaining("Run [nope] does not exist");
        assertThat(store.run(run.id()).params()).isEmpty();
    }

    @Test
    void aRunLogsAThousandMetricsInOneBatch() {
        Run run = newRun("big");
        List<Metric> metrics = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            metrics.add(new Metric("m" + (i % 50), i, 1_000L + i, i / 50));
        }
        store.logBatch(run.id(), new TrackingStore.Batch(metrics, Map.of(), Map.of()), "alice");
        Run logged = store.run(run.id());
        assertThat(logged.metrics()).hasSize(50).contains(new Metric("m7", 957, 1_957, 19));
        assertThat(store.metricHistory(run.id(), "m7")).hasSize(20);
        List<Metric> tooMany = new java.util.ArrayList<>(metrics);
        tooMany.add(new Metric("extra", 1, 1, 0));
        assertThatThrownBy(() -> store.logBatch(run.id(), new TrackingStore.Batch(tooMany, Map.of(), Map.of()), "alice"))
                .hasMessageContaining("at most 1000 metrics");
    }

    private Run newRun(String name) {
        Experiment experiment = store.experimentByName("e").orElseGet(() -> store.createExperiment("e", Optional.empty(),
                Map.of(), "alice"));
        return store.createRun(new TrackingStore.NewRun(experiment.id(), Optional.of(name), "alice", Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty()), "alice");
    }

    private List<String> actions() {
        return auditedActions();
    }
}

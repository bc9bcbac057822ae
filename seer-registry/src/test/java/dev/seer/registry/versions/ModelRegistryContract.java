package dev.seer.registry.versions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.registry.RegistryErrorCode;
import dev.seer.registry.RegistryStoreFixture;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model registry against a real metadata database; each backend runs the same tests. */
abstract class ModelRegistryContract extends RegistryStoreFixture {
    TrackingStore tracking;
    ModelRegistry registry;

    @BeforeEach
    void open() {
        tracking = new TrackingStore(database, audit, clock);
        registry = new ModelRegistry(database, audit, clock);
    }

    /**
     * The scenario: runs logged, versions registered from them, a protected champion moved
     * with a passing check, refused without one, overridden with a reason; then "which version
     * was champion" at times before, between and after the moves.
     */
    @Test
    void aProtectedChampionMovesOnAPassingCheckOrAnOverrideAndEveryMoveIsAnswerableByTime() {
        Run first = trainedRun(0.81);
        Run second = trainedRun(0.84);
        Run third = trainedRun(0.79);
        registry.createModel("churn", "churn in 30 days", Map.of("team", "risk"), "alice");
        VersionDetails details = new VersionDetails(Optional.of("ab".repeat(32)), Optional.of("xgboost-json"),
                Optional.of(Json.parse("{\"format\": 1, \"inputs\": []}")), Optional.of("churn_training:3"),
                Optional.of("churn_v1:2"), Map.of("roc_auc", 0.81));
        ModelVersion v1 = registry.createVersion("churn", new ModelRegistry.NewVersion("runs:/" + first.id() + "/model",
                Optional.of(first.id()), "first", details, Map.of("algo", "xgboost")), "alice");
        ModelVersion v2 = registry.createVersion("churn", new ModelRegistry.NewVersion("runs:/" + second.id() + "/model",
                Optional.of(second.id()), "second", VersionDetails.NONE, Map.of()), "alice");
        ModelVersion v3 = registry.createVersion("churn", new ModelRegistry.NewVersion("runs:/" + third.id() + "/model",
                Optional.of(third.id()), "third", VersionDetails.NONE, Map.of()), "alice");
        assertThat(List.of(v1.version(), v2.version(), v3.version())).containsExactly(1, 2, 3);
        assertThat(v1.details()).isEqualTo(details);
        assertThat(v1.runId()).contains(first.id());

        clock.set(T0.plus(Duration.ofDays(1)));
        Instant firstMove = clock.instant();
        registry.setAlias("churn", "champion", 1, "first model", Optional.empty(), "alice"); // not protected yet
        registry.protect("churn", "champion", "comparison", "admin");

        clock.set(T0.plus(Duration.ofDays(2)));
        assertThatThrownBy(() -> registry.setAlias("churn", "champion", 2, "better", Optional.empty(), "bob"))
                .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(RegistryErrorCode.INVALID_STATE))
                .hasMessageContaining("protected by check [comparison]").hasMessageContaining("version 2 has no passing");
        registry.recordCheck("churn", 2, "comparison", false, "p = 0.21 against champion 1", "ci");
        assertThatThrownBy(() -> registry.setAlias("churn", "champion", 2, "better", Optional.empty(), "bob"))
                .as("a failed check is no ground").hasMessageContaining("no passing");
        registry.recordCheck("churn", 2, "comparison", true, "p = 0.004 against champion 1", "ci");
        Instant secondMove = clock.instant();
        AliasMove checked = registry.setAlias("churn", "champion", 2, "beats v1", Optional.empty(), "bob");
        assertThat(checked.grounds()).isEqualTo("check comparison passed");

        clock.set(T0.plus(Duration.ofDays(3)));
        Instant thirdMove = clock.instant();
        AliasMove overridden = registry.setAlias("churn", "champion", 3, "rollback drill", Optional.of("incident 42"),
                "admin");
        assertThat(overridden.grounds()).isEqualTo("override: incident 42");
        assertThat(registry.byAlias("churn", "champion").version()).isEqualTo(3);

        assertThat(registry.at("churn", "champion", firstMove.minusMillis(1))).as("before the first move").isEmpty();
        assertThat(registry.at("churn", "champion", firstMove)).contains(1);
        assertThat(registry.at("churn", "champion", secondMove.minusMillis(1))).contains(1);
        assertThat(registry.at("churn", "champion", secondMove)).contains(2);
        assertThat(registry.at("churn", "champion", thirdMove.minusSeconds(3600))).contains(2);
        assertThat(registry.at("churn", "champion", thirdMove.plusSeconds(3600))).contains(3);
        assertThat(registry.history("churn")).extracting(AliasMove::version, AliasMove::actor, AliasMove::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Optional.of(1), "alice", "first model"),
                        org.assertj.core.groups.Tuple.tuple(Optional.of(2), "bob", "beats v1"),
                        org.assertj.core.groups.Tuple.tuple(Optional.of(3), "admin", "rollback drill"));
        assertThat(registry.version("churn", 2).checks()).singleElement().satisfies(c -> {
            assertThat(c.passed()).isTrue();
            assertThat(c.detail()).contains("0.004");
        });
        assertThat(modelActions()).containsExactly("model.registered", "model.version_created", "model.version_created",
                "model.version_created", "model.alias_moved", "model.alias_protected", "model.check_recorded",
                "model.check_recorded", "model.alias_moved", "model.alias_moved");
    }

    @Test
    void aRemovedAliasIsEmptyFromThenOnAndAProtectedOneNeedsAnOverride() {
        registry.createModel("fraud", "", Map.of(), "alice");
        registry.createVersion("fraud", new ModelRegistry.NewVersion("s", Optional.empty(), "", VersionDetails.NONE,
                Map.of()), "alice");
        registry.setAlias("fraud", "challenger", 1, "try it", Optional.empty(), "alice");
        clock.advance(Duration.ofHours(1));
        registry.removeAlias("fraud", "challenger", "done", Optional.empty(), "alice");
        assertThat(registry.model("fraud").aliases()).isEmpty();
        assertThat(registry.at("fraud", "challenger", T0)).contains(1);
        assertThat(registry.at("fraud", "challenger", clock.instant())).isEmpty();
        assertThatThrownBy(() -> registry.byAlias("fraud", "challenger")).hasMessageContaining("has no alias");

        registry.setAlias("fraud", "champion", 1, "go", Optional.empty(), "alice");
        registry.protect("fraud", "champion", "comparison", "admin");
        assertThatThrownBy(() -> registry.removeAlias("fraud", "champion", "oops", Optional.empty(), "bob"))
                .hasMessageContaining("removing it needs an override");
        assertThat(registry.removeAlias("fraud", "champion", "retire", Optional.of("model retired"), "admin").grounds())
                .isEqualTo("override: model retired");
    }

    @Test
    void unknownNamesVersionsRunsAndBadAliasesAreRefusedAndChangeNothing() {
        assertThatThrownBy(() -> registry.model("nope")).isInstanceOfSatisfying(SeerException.class,
                e -> assertThat(e.errorCode()).isEqualTo(RegistryErrorCode.NOT_FOUND));
        registry.createModel("m", "", Map.of(), "alice");
        assertThatThrownBy(() -> registry.createModel("m", "", Map.of(), "alice")).hasMessageContaining("already exists");
        assertThatThrownBy(() -> registry.createVersion("m", new ModelRegistry.NewVersion("s", Optional.of("f".repeat(32)),
                "", VersionDetails.NONE, Map.of()), "alice")).hasMessageContaining("Run [" + "f".repeat(32) + "] does not exist");
        assertThat(registry.versions("m")).isEmpty();
        assertThatThrownBy(() -> registry.version("m", 1)).hasMessageContaining("m:1 does not exist");
        for (String name : List.of("../x", "a/b", "", ".hidden", "x..y", "semi;colon")) {
            assertThatThrownBy(() -> registry.createModel(name, "", Map.of(), "alice")).as(name)
                    .isInstanceOfSatisfying(SeerException.class, e -> assertThat(e.errorCode())
                            .isEqualTo(RegistryErrorCode.INVALID_REQUEST));
        }
        registry.createVersion("m", new ModelRegistry.NewVersion("s", Optional.empty(), "", VersionDetails.NONE, Map.of()),
                "alice");
        for (String alias : List.of("latest", "v1", "V12", "has space", "", "a/b")) {
            assertThatThrownBy(() -> registry.setAlias("m", alias, 1, "r", Optional.empty(), "alice")).as(alias)
                    .hasMessageContaining("must be 1 to 255");
        }
        assertThatThrownBy(() -> registry.setAlias("m", "champion", 2, "r", Optional.empty(), "alice"))
                .hasMessageContaining("m:2 does not exist");
        assertThat(registry.history("m")).isEmpty();
    }

    private Run trainedRun(double auc) {
        String experiment = tracking.experimentByName("churn").orElseGet(() -> tracking.createExperiment("churn",
                Optional.empty(), Map.of(), "alice")).id();
        Run run = tracking.createRun(new TrackingStore.NewRun(experiment, Optional.empty(), "alice", Optional.empty(),
                Map.of(), Optional.empty(), Optional.empty()), "alice");
        tracking.logBatch(run.id(), new TrackingStore.Batch(List.of(new Metric("roc_auc", auc, clock.millis(), 0)),
                Map.of("max_depth", "6"), Map.of()), "alice");
        return tracking.updateRun(run.id(), Optional.of(RunStatus.FINISHED), Optional.empty(), Optional.empty(), "alice");
    }

    private List<String> modelActions() {
        return auditedActions().stream().filter(a -> a.startsWith("model.")).toList();
    }
}

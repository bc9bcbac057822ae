package dev.seer.serving.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.DoubleNode;
import dev.seer.core.ErrorCategory;
import dev.seer.core.ErrorCode;
import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditSink;
import dev.seer.core.features.FeatureLookup;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.deploy.Predictor.Predicted;
import dev.seer.serving.deploy.Predictor.Row;
import dev.seer.serving.scoring.Scorer;
import dev.seer.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predict path on hand-written parts: a scorer that adds its inputs times the model's version
 * (so each answer says which model scored it), an online store in a map, and a log that collects
 * or fails. The deployments are in a real SQLite metadata store.
 */
class PredictorTest {
    static final Signature SIGNATURE = Signature.parse("spend:float64,visits:float64->value");
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path home;

    MetadataDatabase database;
    DeploymentStore store;
    FakeStore online = new FakeStore();
    List<Predicted> logged = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<RuntimeException> logFailure = new AtomicReference<>();
    Predictor predictor;
    java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

    @BeforeEach
    void open() {
        database = MetadataDatabase.open(new MetadataConfig("", "", "", 4), home);
        AuditSink audit = record -> CompletableFuture.completedFuture(1L);
        store = new DeploymentStore(database, audit, new MutableClock(NOW));
        predictor = new Predictor(store, PredictorTest::model, online, batch -> {
            if (logFailure.get() != null) {
                return CompletableFuture.failedFuture(logFailure.get());
            }
            logged.addAll(batch);
            return CompletableFuture.completedFuture(null);
        }, new MutableClock(NOW), () -> "pred_" + ids.incrementAndGet());
        online.put("1", 10.0, 2.0);
        online.put("2", 20.0, 1.0);
    }

    @AfterEach
    void close() {
        database.close();
    }

    /** Model version v scores v × (spend + visits); both inputs come from view {@code stats}. */
    static Predictor.LoadedModel model(ModelRef ref) {
        Scorer scorer = new Scorer() {
            @Override
            public Signature signature() {
                return SIGNATURE;
            }

            @Override
            public void score(double[] rows, int count, double[] out) {
                for (int i = 0; i < count; i++) {
                    double a = rows[2 * i];
                    double b = rows[2 * i + 1];
                    out[i] = ref.version() * ((Double.isNaN(a) ? -100 : a) + (Double.isNaN(b) ? -1000 : b));
                }
            }
        };
        return new Predictor.LoadedModel(ref, scorer, List.of("stats__spend", "stats__visits"),
                List.of(Optional.of("stats:spend"), Optional.of("stats:visits")));
    }

    Deployment deploy(String name, int champion, Optional<Integer> challenger, int percent, Optional<Integer> shadow,
            MissingPolicy missing, MissingPolicy storeDown) {
        Deployment d = store.put(new DeploymentStore.Change(name, new ModelRef("m", champion),
                challenger.map(v -> new ModelRef("m", v)), percent, shadow.map(v -> new ModelRef("m", v)), missing, storeDown),
                Optional.empty(), "test");
        predictor.activate(d);
        return d;
    }

    static Row entity(String id) {
        return new Row(Map.of("customer_id", id), Map.of());
    }

    @Test
    void valuesComeFromTheStoreUnlessTheRequestGivesThem() {
        deploy("churn", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        var answer = predictor.predict("churn", List.of(entity("1"), new Row(Map.of("customer_id", "2"),
                Map.of("stats:spend", 5.0)), new Row(Map.of(), Map.of("stats__spend", 1.0, "stats__visits", 2.0))));
        assertThat(answer.predictions()).extracting(p -> p.output()[0]).containsExactly(12.0, 6.0, 3.0);
        assertThat(answer.predictions().get(1).features()).extracting(Predictor.FeatureValue::source)
                .containsExactly(Predictor.Source.GIVEN, Predictor.Source.STORE);
        assertThat(logged).hasSize(3).allSatisfy(p -> assertThat(p.arm()).isEqualTo(Arm.CHAMPION));
        assertThat(logged).extracting(Predicted::id).doesNotHaveDuplicates();
    }

    @Test
    void missingFeaturesAreRefusedOrScoredAsMissingAsTheDeploymentSays() {
        deploy("strict", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        assertThatThrownBy(() -> predictor.predict("strict", List.of(entity("1"), entity("404"))))
                .isInstanceOf(SeerException.class).hasMessageContaining("row 1 lacks [stats__spend, stats__visits]")
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT);
        assertThat(logged).isEmpty();
        deploy("lenient", 2, Optional.empty(), 0, Optional.empty(), MissingPolicy.MODEL_DEFAULT, MissingPolicy.REFUSE);
        var answer = predictor.predict("lenient", List.of(entity("404")));
        assertThat(answer.predictions().get(0).output()[0]).isEqualTo(2 * (-100 - 1000));
        assertThat(answer.predictions().get(0).missing()).containsExactly("stats__spend", "stats__visits");
    }

    @Test
    void anEntityStaysInItsArmAndBothArmsAnswer() {
        deploy("ab", 1, Optional.of(2), 50, Optional.empty(), MissingPolicy.MODEL_DEFAULT, MissingPolicy.REFUSE);
        Map<String, Arm> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 200; i++) {
                var p = predictor.predict("ab", List.of(entity("c" + i))).predictions().get(0);
                assertThat(p.model().version()).isEqualTo(p.arm() == Arm.CHAMPION ? 1 : 2);
                Arm before = first.putIfAbsent("c" + i, p.arm());
                assertThat(before == null || before == p.arm()).as("c" + i + " changed arm").isTrue();
            }
        }
        assertThat(first.values()).contains(Arm.CHAMPION, Arm.CHALLENGER);
    }

    @Test
    void aShadowIsLoggedBesideEveryRowButNeverAnswered() {
        deploy("shadowed", 1, Optional.empty(), 0, Optional.of(3), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        var answer = predictor.predict("shadowed", List.of(entity("1"), entity("2")));
        assertThat(answer.predictions()).extracting(Predicted::arm).containsOnly(Arm.CHAMPION);
        assertThat(answer.predictions()).extracting(p -> p.output()[0]).containsExactly(12.0, 21.0);
        List<Predicted> shadows = logged.stream().filter(p -> p.arm() == Arm.SHADOW).toList();
        assertThat(shadows).extracting(p -> p.output()[0]).containsExactly(36.0, 63.0);
        assertThat(shadows).extracting(p -> p.shadowOf().orElseThrow())
                .containsExactly(answer.predictions().get(0).id(), answer.predictions().get(1).id());
    }

    @Test
    void aStoreThatIsDownRefusesOrDegradesAsTheDeploymentSays() {
        online.down.set(true);
        deploy("strict", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.MODEL_DEFAULT, MissingPolicy.REFUSE);
        assertThatThrownBy(() -> predictor.predict("strict", List.of(entity("1"))))
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.STORE_UNAVAILABLE);
        deploy("degraded", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.MODEL_DEFAULT);
        var p = predictor.predict("degraded", List.of(entity("1"))).predictions().get(0);
        assertThat(p.degraded()).hasValueSatisfying(reason -> assertThat(reason).contains("online store unavailable"));
        assertThat(p.features()).extracting(Predictor.FeatureValue::source).containsOnly(Predictor.Source.STORE_DOWN);
        assertThat(logged).containsExactly(p);
    }

    @Test
    void aPredictionTheLogCouldNotKeepIsNeverAnswered() {
        deploy("churn", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        logFailure.set(new SeerException(ServingErrorCode.LOG_FAILURE, "disk full"));
        assertThatThrownBy(() -> predictor.predict("churn", List.of(entity("1")))).hasMessageContaining("disk full")
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
        logFailure.set(new IllegalStateException("boom"));
        assertThatThrownBy(() -> predictor.predict("churn", List.of(entity("1"))))
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.LOG_FAILURE);
    }

    @Test
    void unknownDeploymentsAndFeaturesAreRefusedByName() {
        assertThatThrownBy(() -> predictor.predict("nothing", List.of(entity("1"))))
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.UNKNOWN_DEPLOYMENT);
        assertThatThrownBy(() -> predictor.predict("../x", List.of(entity("1"))))
                .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_DEPLOYMENT);
        deploy("churn", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        assertThatThrownBy(() -> predictor.predict("churn", List.of(entity("1"), new Row(Map.of(), Map.of("age", 3.0)))))
                .hasMessageContaining("rows[1] has feature [age]");
    }

    @Test
    void aDeploymentStoredByAnotherPredictorIsLoadedOnFirstUse() {
        store.put(new DeploymentStore.Change("later", new ModelRef("m", 4), Optional.empty(), 0, Optional.empty(),
                MissingPolicy.REFUSE, MissingPolicy.REFUSE), Optional.empty(), "test");
        assertThat(predictor.predict("later", List.of(entity("1"))).predictions().get(0).output()[0]).isEqualTo(48.0);
    }

    @Test
    void aSwapUnderLoadFailsNoRequestAndNeverMixesRevisions() throws Exception {
        deploy("swap", 1, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> clients = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                clients.add(pool.submit(() -> {
                    int answered = 0;
                    while (!stop.get()) {
                        var answer = predictor.predict("swap", List.of(entity("1"), entity("2")));
                        // one request, one revision: both rows scored by the same version
                        assertThat(answer.predictions().get(0).model()).isEqualTo(answer.predictions().get(1).model());
                        assertThat(answer.predictions().get(0).revision()).isEqualTo(answer.deployment().revision());
                        answered++;
                    }
                    return answered;
                }));
            }
            for (int v = 2; v <= 40; v++) {
                deploy("swap", v, Optional.empty(), 0, Optional.empty(), MissingPolicy.REFUSE, MissingPolicy.REFUSE);
                Thread.sleep(2);
            }
            stop.set(true);
            int total = 0;
            for (Future<Integer> c : clients) {
                total += c.get(); // rethrows any failed request
            }
            assertThat(total).isPositive();
            assertThat(predictor.predict("swap", List.of(entity("1"))).predictions().get(0).model().version()).isEqualTo(40);
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    /** What the feature store throws when it cannot be reached: a code of the unavailable category. */
    enum StoreDown implements ErrorCode {
        ONLINE_STORE_UNREACHABLE;

        @Override
        public ErrorCategory category() {
            return ErrorCategory.UNAVAILABLE;
        }
    }

    /** An online store in a map: view {@code stats} with spend and visits per customer; can be made unreachable. */
    static final class FakeStore implements FeatureLookup {
        final Map<String, double[]> rows = new HashMap<>();
        final AtomicBoolean down = new AtomicBoolean();

        void put(String customer, double spend, double visits) {
            rows.put(customer, new double[] {spend, visits});
        }

        @Override
        public List<EntityValues> lookup(List<String> features, Map<String, List<String>> entities) {
            if (down.get()) {
                throw new SeerException(StoreDown.ONLINE_STORE_UNREACHABLE, "redis://127.0.0.1:1 refused the connection");
            }
            List<EntityValues> out = new ArrayList<>();
            for (String id : entities.get("customer_id")) {
                double[] row = rows.get(id);
                List<Value> values = new ArrayList<>();
                for (String f : features) {
                    int i = f.equals("stats:spend") ? 0 : 1;
                    values.add(row == null ? new Value(f, Json.mapper().nullNode(), Status.MISSING, Optional.empty())
                            : new Value(f, DoubleNode.valueOf(row[i]), Status.PRESENT, Optional.of(NOW.minusSeconds(60))));
                }
                out.add(new EntityValues(Map.of("customer_id", id), values));
            }
            return out;
        }
    }
}

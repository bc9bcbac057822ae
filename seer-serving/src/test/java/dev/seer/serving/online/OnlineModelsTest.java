package dev.seer.serving.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.OutputKind;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.feedback.LoggedPredictions;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import dev.seer.testing.MutableClock;
import dev.seer.testing.PostgresDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Online models learn inside feedback's transaction: the stored state is always a learner fed
 * exactly the recorded outcomes, in the order recorded, once each. A hand-written log holds the
 * predictions and the values their models saw; the metadata store is real, SQLite and PostgreSQL
 * (where concurrent outcomes of one model queue on its row lock).
 */
class OnlineModelsTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final List<String> FEATURES = List.of("a", "b");
    static final FtrlSettings SETTINGS = new FtrlSettings(0.5, 1, 0, 0.1);

    /** Predictions in memory, each with the values its model saw; shadows scored beside an answered one. */
    static final class Log implements LoggedPredictions, LoggedFeatures {
        final Map<String, Logged> byId = new HashMap<>();
        final Map<String, Map<String, Double>> values = new HashMap<>();
        final Map<String, List<Logged>> shadows = new HashMap<>();
        int next = 1;

        Logged add(String model, int version, String arm, double a, double b) {
            Logged logged = new Logged("pred_" + next++, T0, "live", arm, model, version, OutputKind.PROBABILITY,
                    new double[] {0.5});
            byId.put(logged.id(), logged);
            values.put(logged.id(), Map.of("a", a, "b", b));
            return logged;
        }

        Logged addShadow(Logged answered, String model, int version, double a, double b) {
            Logged shadow = add(model, version, "shadow", a, b);
            shadows.computeIfAbsent(answered.id(), id -> new ArrayList<>()).add(shadow);
            return shadow;
        }

        @Override
        public Optional<Logged> byId(String id) {
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public Optional<Logged> latestBefore(Map<String, String> entity, String deployment, Instant at) {
            return Optional.empty();
        }

        @Override
        public List<Logged> shadowsOf(String predictionId) {
            return shadows.getOrDefault(predictionId, List.of());
        }

        @Override
        public Optional<Map<String, Double>> of(String predictionId) {
            return Optional.ofNullable(values.get(predictionId));
        }
    }

    static final class NoAudit implements AuditSink {
        @Override
        public CompletableFuture<Long> record(AuditRecord record) {
            return CompletableFuture.completedFuture(1L);
        }
    }

    abstract static class Cases {
        @TempDir
        Path home;

        final MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(1)));
        final Log log = new Log();
        MetadataConfig config;
        MetadataDatabase database;
        PostgresDatabase postgres;
        OnlineModels online;
        FeedbackStore feedback;

        abstract MetadataConfig config();

        @BeforeEach
        void open() {
            config = config();
            database = MetadataDatabase.open(config, home);
            reopen();
            online.create("ctr", new FtrlProximal(FEATURES, SETTINGS), 1, "alice");
        }

        void reopen() {
            online = new OnlineModels(database, log, clock);
            feedback = new FeedbackStore(database, log, new NoAudit(), clock, online);
        }

        @AfterEach
        void close() throws Exception {
            if (database != null) {
                database.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }

        Feedback outcome(Logged prediction, double outcome) {
            return Feedback.forPrediction(prediction.id(), outcome, T0.plusSeconds(60), "test");
        }

        @Test
        void eachRecordedOutcomeIsLearntOnceWithTheValuesItsPredictionSaw() {
            FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
            Logged first = log.add("ctr", 1, "champion", 1.5, -2);
            Logged second = log.add("ctr", 1, "challenger", -0.5, Double.NaN);

            feedback.record(outcome(first, 1), "bob");
            feedback.record(outcome(first, 1), "bob"); // a duplicate: recorded before, not learnt again
            assertThatThrownBy(() -> feedback.record(outcome(first, 0), "bob")).isInstanceOf(SeerException.class)
                    .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.FEEDBACK_CONFLICT);
            feedback.record(outcome(second, 0), "bob");
            expected.update(new double[] {1.5, -2}, 1);
            expected.update(new double[] {-0.5, Double.NaN}, 0);

            OnlineModels.State state = online.state("ctr");
            assertThat(state.updates()).isEqualTo(2);
            assertThat(state.learner().save()).isEqualTo(expected.save());
            assertThat(state.pending()).isEqualTo(2);
            assertThat(state.lastLearntAt()).contains(clock.instant());
        }

        @Test
        void aBatchIsLearntInItsOrderAndOtherModelsAreLeftAlone() {
            FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
            List<Feedback> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                double a = (i % 7) - 3;
                double b = i % 2 == 0 ? 1 : Double.NaN;
                Logged p = log.add("ctr", 1, "champion", a, b);
                Logged batchModel = log.add("churn", 3, "champion", a, b); // not an online model: nothing learns from it
                rows.add(outcome(p, i % 3 == 0 ? 1 : 0));
                rows.add(outcome(batchModel, 1));
                expected.update(new double[] {a, b}, i % 3 == 0 ? 1 : 0);
            }
            rows.add(Feedback.forPrediction("pred_unknown", 1, T0, "test")); // refused, the rest recorded

            FeedbackStore.BatchResult result = feedback.recordAll(rows, 1, "bob");

            assertThat(result.count(FeedbackStore.Status.RECORDED)).isEqualTo(100);
            assertThat(online.state("ctr").learner().save()).isEqualTo(expected.save());
            assertThat(online.isOnline("churn")).isFalse();
        }

        @Test
        void anOutcomeTeachesAModelOnceEvenWhenItsShadowIsAnotherVersionOfIt() {
            Logged answered = log.add("ctr", 2, "champion", 1, 1);
            log.addShadow(answered, "ctr", 1, 1, 1);
            Logged other = log.add("churn", 3, "champion", 2, 2);
            Logged shadowOfOther = log.addShadow(other, "ctr", 2, -1, 3); // a shadow online model learns from what it shadows

            feedback.record(outcome(answered, 1), "bob");
            FeedbackStore.Result result = feedback.record(outcome(other, 0), "bob");

            assertThat(result.shadows()).containsExactly(shadowOfOther.id());
            FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
            expected.update(new double[] {1, 1}, 1);
            expected.update(new double[] {-1, 3}, 0);
            assertThat(online.state("ctr").learner().save()).isEqualTo(expected.save());
        }

        @Test
        void theStateIsCommittedWithTheOutcomesSoAReopenedStoreContinuesExactly() {
            FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
            for (int i = 0; i < 10; i++) {
                Logged p = log.add("ctr", 1, "champion", i, -i);
                feedback.record(outcome(p, i % 2), "bob");
                expected.update(new double[] {i, -i}, i % 2);
            }
            reopen(); // a restart: nothing kept in memory but the names
            Logged later = log.add("ctr", 1, "champion", 0.25, 4);
            feedback.record(outcome(later, 1), "bob");
            expected.update(new double[] {0.25, 4}, 1);

            assertThat(online.names()).containsExactly("ctr");
            assertThat(online.state("ctr").learner().save()).isEqualTo(expected.save());
        }

        @Test
        void anOutcomeWhoseValuesCannotBeReadIsNotRecordedAndNotLearnt() {
            Logged p = log.add("ctr", 1, "champion", 1, 1);
            log.values.remove(p.id());

            assertThatThrownBy(() -> feedback.record(outcome(p, 1), "bob")).isInstanceOf(SeerException.class)
                    .hasMessageContaining(p.id());

            assertThat(online.state("ctr").updates()).isZero();
            log.values.put(p.id(), Map.of("a", 1.0, "b", 1.0));
            assertThat(feedback.record(outcome(p, 1), "bob").status()).isEqualTo(FeedbackStore.Status.RECORDED);
            assertThat(online.state("ctr").updates()).isEqualTo(1);
        }

        @Test
        void aSnapshotClearsWhatIsPendingAndOutcomesAfterItCountTowardsTheNext() {
            for (int i = 0; i < 3; i++) {
                feedback.record(outcome(log.add("ctr", 1, "champion", i, 1), 1), "bob");
            }
            OnlineModels.State before = online.state("ctr");
            assertThat(before.pendingFrom()).contains(clock.instant());
            clock.advance(Duration.ofMinutes(5));
            feedback.record(outcome(log.add("ctr", 1, "champion", 5, 1), 0), "bob"); // learnt while version 2 is registered

            online.snapshotted("ctr", 2, before.updates());
            online.snapshotted("ctr", 1, 0); // an older snapshot recorded late changes nothing

            OnlineModels.State after = online.state("ctr");
            assertThat(after.snapshotVersion()).isEqualTo(2);
            assertThat(after.snapshotUpdates()).isEqualTo(3);
            assertThat(after.pending()).isEqualTo(1);
            assertThat(after.pendingFrom()).contains(clock.instant());
        }

        @Test
        void aNameIsOnlineOnceAndAnUnknownOneIsNotFound() {
            assertThatThrownBy(() -> online.create("ctr", new FtrlProximal(FEATURES, SETTINGS), 1, "alice"))
                    .isInstanceOf(SeerException.class).extracting(e -> ((SeerException) e).errorCode())
                    .isEqualTo(ServingErrorCode.ONLINE_MODEL_EXISTS);
            assertThatThrownBy(() -> online.state("nothing")).isInstanceOf(SeerException.class)
                    .extracting(e -> ((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.UNKNOWN_ONLINE_MODEL);
        }

        /** Another server on the same metadata store: its own pool, its own OnlineModels and feedback. */
        final class Server implements AutoCloseable {
            final MetadataDatabase database = MetadataDatabase.open(config, home);
            final OnlineModels online = new OnlineModels(database, log, clock);
            final FeedbackStore feedback = new FeedbackStore(database, log, new NoAudit(), clock, online);

            @Override
            public void close() {
                database.close();
            }
        }

        @Test
        void aModelAnotherServerCreatedLearnsFromTheFeedbackThisOneRecords() {
            try (Server other = new Server()) { // opened before the model exists, so it knows only ctr
                other.feedback.record(outcome(log.add("churn", 3, "champion", 1, 1), 1), "bob"); // a batch model's outcome
                online.create("clicks", new FtrlProximal(FEATURES, SETTINGS), 1, "alice");
                Logged first = log.add("clicks", 1, "champion", 2, -1);
                Logged second = log.add("clicks", 1, "champion", -1, 0.5);

                other.feedback.record(outcome(first, 1), "bob");
                other.feedback.recordAll(List.of(outcome(second, 0)), 1, "bob");

                FtrlProximal expected = new FtrlProximal(FEATURES, SETTINGS);
                expected.update(new double[] {2, -1}, 1);
                expected.update(new double[] {-1, 0.5}, 0);
                assertThat(online.state("clicks").learner().save()).isEqualTo(expected.save());
                assertThat(other.online.isOnline("clicks")).isTrue();
                assertThat(other.online.names()).containsExactly("clicks", "ctr");
            }
        }

        @Test
        void aServerSeesAModelAnotherCreatedAsOnlineBeforeAnyFeedback() {
            try (Server other = new Server()) {
                assertThat(other.online.isOnline("clicks")).isFalse();
                online.create("clicks", new FtrlProximal(FEATURES, SETTINGS), 1, "alice");

                assertThat(other.online.isOnline("clicks")).isTrue(); // so its registration path refuses a file version of it
                assertThat(other.online.names()).containsExactly("clicks", "ctr"); // and its snapshot schedule sees it
            }
        }

        @Test
        void aNameFoundNotOnlineIsNotLookedUpAgainUntilTheRecheck() {
            feedback.record(outcome(log.add("churn", 3, "champion", 1, 1), 1), "bob"); // churn: found not online
            try (Server other = new Server()) {
                // cannot happen to a registered batch model (the registry never frees a name); here it shows the look-up
                // is not repeated for every outcome of a model that is not online
                other.online.create("churn", new FtrlProximal(FEATURES, SETTINGS), 1, "alice");

                feedback.record(outcome(log.add("churn", 3, "champion", 1, 1), 1), "bob");
                assertThat(online.state("churn").updates()).isZero();

                clock.advance(OnlineModels.RECHECK);
                feedback.record(outcome(log.add("churn", 3, "champion", 1, 1), 1), "bob");
                assertThat(online.state("churn").updates()).isEqualTo(1);
            }
        }

        @Test
        void concurrentOutcomesAreEachLearntOnce() throws Exception {
            List<Logged> predictions = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                predictions.add(log.add("ctr", 1, "champion", i % 5, 1));
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> sent = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    sent.add(pool.submit(() -> {
                        for (int i = thread; i < predictions.size(); i += 8) {
                            feedback.record(outcome(predictions.get(i), i % 2), "bob");
                        }
                    }));
                }
                for (Future<?> f : sent) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(online.state("ctr").updates()).isEqualTo(200); // none lost to a racing writer
        }
    }

    @Nested
    class OnSqlite extends Cases {
        @Override
        MetadataConfig config() {
            return new MetadataConfig("", "", "", 4);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        @Override
        MetadataConfig config() {
            postgres = PostgresDatabase.create();
            return new MetadataConfig(postgres.url(), postgres.user(), "", 4);
        }
    }
}

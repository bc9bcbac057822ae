package dev.seer.serving.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.models.OutputKind;
import dev.seer.serving.MetadataBackend;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.FeedbackStore.BatchResult;
import dev.seer.serving.feedback.FeedbackStore.Pair;
import dev.seer.serving.feedback.FeedbackStore.Result;
import dev.seer.serving.feedback.FeedbackStore.RowResult;
import dev.seer.serving.feedback.FeedbackStore.Status;
import dev.seer.serving.feedback.LoggedPredictions.Logged;
import dev.seer.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FeedbackStoreTest {
    static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    static final Map<String, String> CUSTOMER_42 = Map.of("customer_id", "42");

    /** An audit sink that keeps what it is given. */
    static final class Audited implements AuditSink {
        final List<AuditRecord> records = Collections.synchronizedList(new ArrayList<>());

        @Override
        public CompletableFuture<Long> record(AuditRecord record) {
            records.add(record);
            return CompletableFuture.completedFuture((long) records.size());
        }
    }

    abstract static class Cases extends MetadataBackend {
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
        FakeLog log = new FakeLog();
        Audited audit = new Audited();
        FeedbackStore store;

        Cases(Kind kind) {
            super(kind);
        }

        @BeforeEach
        void open() {
            MetadataDatabase database = openDatabase();
            store = new FeedbackStore(database, log, audit, clock);
        }

        Logged binary(String arm, Instant time, double p) {
            return log.add(CUSTOMER_42, "churn", arm, time, OutputKind.PROBABILITY, p);
        }

        @Test
        void anOutcomeDaysAfterItsPredictionJoinsItAndIsAudited() {
            Logged p = binary("champion", T0, 0.8);
            Instant fiveDaysLater = T0.plus(Duration.ofDays(5));

            Result result = store.record(Feedback.forPrediction(p.id(), 1, fiveDaysLater, "api"), "alice");

            assertThat(result).isEqualTo(new Result(p.id(), Status.RECORDED, "churn", "champion", T0, List.of()));
            List<Pair> pairs = store.pairs("churn", Optional.empty(), T0, T0.plusSeconds(1));
            assertThat(pairs).hasSize(1);
            Pair pair = pairs.get(0);
            assertThat(pair.predictedAt()).isEqualTo(T0);
            assertThat(pair.observedAt()).isEqualTo(fiveDaysLater);
            assertThat(pair.output()).containsExactly(0.8);
            assertThat(pair.outcome()).isEqualTo(1.0);
            assertThat(pair.version()).isEqualTo(3);
            assertThat(pair.recordedAt()).isEqualTo(clock.instant());
            assertThat(audit.records).singleElement().satisfies(r -> {
                assertThat(r.action()).isEqualTo("feedback.recorded");
                assertThat(r.subjectId()).isEqualTo(p.id());
                assertThat(r.actor()).isEqualTo("alice");
                assertThat(r.payload().path("observed_at").asText()).isEqualTo(fiveDaysLater.toString());
            });
        }

        @Test
        void anAnsweredPredictionsOutcomeLabelsItsShadowsThatCanTakeIt() {
            Logged answered = binary("champion", T0, 0.8);
            Logged shadow = log.addShadow(answered, OutputKind.PROBABILITY, 0.6);
            log.addShadow(answered, OutputKind.CLASS_PROBABILITIES, 0.5, 0.5); // label 1 is class 1 of 2: it fits
            Logged regression = log.addShadow(answered, OutputKind.VALUE, 0.3); // any finite number fits a value
            Logged answeredByEntity = binary("champion", T0.plusSeconds(30), 0.4);
            Logged laterShadow = log.addShadow(answeredByEntity, OutputKind.PROBABILITY, 0.1);

            Result result = store.record(Feedback.forPrediction(answered.id(), 1, T0.plus(Duration.ofDays(1)), "api"), "alice");
            Result again = store.record(Feedback.forPrediction(answered.id(), 1, T0.plus(Duration.ofDays(2)), "api"), "alice");
            Result byEntity = store.record(Feedback.forEntity(CUSTOMER_42, "churn", T0.plusSeconds(40), 0,
                    T0.plus(Duration.ofDays(1)), "api"), "alice");

            assertThat(result.shadows()).hasSize(3).contains(shadow.id(), regression.id());
            assertThat(again.status()).isEqualTo(Status.DUPLICATE);
            assertThat(again.shadows()).isEmpty();
            assertThat(byEntity.predictionId()).isEqualTo(answeredByEntity.id()); // never the shadow itself
            assertThat(byEntity.shadows()).containsExactly(laterShadow.id());
            assertThat(store.pairs("churn", Optional.of("shadow"), T0, T0.plusSeconds(60)))
                    .extracting(Pair::predictionId, Pair::outcome)
                    .contains(tuple(shadow.id(), 1.0), tuple(laterShadow.id(), 0.0));
            assertThat(audit.records.get(0).payload().path("shadows")).hasSize(3);
        }

        @Test
        void aShadowThatCannotTakeTheOutcomeIsLeftUnlabelled() {
            Logged classes = log.add(CUSTOMER_42, "tier", "champion", T0, OutputKind.CLASS_PROBABILITIES, 0.2, 0.3, 0.5);
            log.addShadow(classes, OutputKind.PROBABILITY, 0.7); // class 2 is no label for a binary shadow

            assertThat(store.record(Feedback.forPrediction(classes.id(), 2, T0, "api"), "alice").shadows()).isEmpty();
            assertThat(store.pairs("tier", Optional.empty(), T0, T0.plusSeconds(1))).hasSize(1);
        }

        @Test
        void theSameFeedbackTwiceCountsOnce() {
            Logged p = binary("champion", T0, 0.3);
            store.record(Feedback.forPrediction(p.id(), 0, T0.plusSeconds(60), "api"), "alice");

            Result again = store.record(Feedback.forPrediction(p.id(), 0, T0.plusSeconds(120), "file:labels.csv"), "bob");

            assertThat(again.status()).isEqualTo(Status.DUPLICATE);
            assertThat(store.pairs("churn", Optional.empty(), T0, T0.plusSeconds(1))).singleElement()
                    .satisfies(pair -> assertThat(pair.observedAt()).isEqualTo(T0.plusSeconds(60)));
            assertThat(audit.records).hasSize(1);
        }

        @Test
        void aDifferentOutcomeForALabelledPredictionIsAConflictAndTheFirstStays() {
            Logged p = binary("champion", T0, 0.3);
            store.record(Feedback.forPrediction(p.id(), 0, T0.plusSeconds(60), "api"), "alice");

            assertThatThrownBy(() -> store.record(Feedback.forPrediction(p.id(), 1, T0.plusSeconds(90), "api"), "bob"))
                    .isInstanceOf(SeerException.class)
                    .hasMessageContaining("[" + p.id() + "] already has outcome [0.0]")
                    .hasMessageContaining("says [1.0]")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.FEEDBACK_CONFLICT));
            assertThat(store.pairs("churn", Optional.empty(), T0, T0.plusSeconds(1))).singleElement()
                    .satisfies(pair -> assertThat(pair.outcome()).isEqualTo(0.0));
        }

        @Test
        void anUnknownPredictionIdIsNotFound() {
            assertThatThrownBy(() -> store.record(Feedback.forPrediction("pred_nope", 1, T0, "api"), "alice"))
                    .isInstanceOf(SeerException.class).hasMessage("No prediction has id [pred_nope]")
                    .satisfies(e -> {
                        assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.UNKNOWN_PREDICTION);
                        assertThat(((SeerException) e).category()).isEqualTo(ErrorCategory.NOT_FOUND);
                    });
            assertThat(audit.records).isEmpty();
        }

        @Test
        void byEntityTheLatestPredictionOfThatDeploymentAtOrBeforeTheTimeIsLabelled() {
            binary("champion", T0, 0.1);
            Logged second = binary("champion", T0.plus(Duration.ofHours(1)), 0.2);
            Logged third = binary("challenger", T0.plus(Duration.ofHours(3)), 0.3);
            log.add(Map.of("customer_id", "7"), "churn", "champion", T0.plus(Duration.ofHours(2)), OutputKind.PROBABILITY, 0.9);
            log.add(CUSTOMER_42, "churn-v2", "champion", T0.plus(Duration.ofHours(2)), OutputKind.PROBABILITY, 0.9);

            Result inBetween = store.record(Feedback.forEntity(CUSTOMER_42, "churn", T0.plus(Duration.ofHours(2)), 1,
                    T0.plus(Duration.ofDays(2)), "api"), "alice");
            Result exactlyAt = store.record(Feedback.forEntity(CUSTOMER_42, "churn", T0.plus(Duration.ofHours(3)), 0,
                    T0.plus(Duration.ofDays(2)), "api"), "alice");

            assertThat(inBetween.predictionId()).isEqualTo(second.id());
            assertThat(exactlyAt.predictionId()).isEqualTo(third.id());
            assertThat(exactlyAt.arm()).isEqualTo("challenger");
            assertThat(audit.records.get(0).payload().path("entity").path("customer_id").asText()).isEqualTo("42");
        }

        @Test
        void byEntityWithoutAPredictionBeforeTheTimeIsNotFoundNamingTheEntity() {
            binary("champion", T0, 0.1);
            assertThatThrownBy(() -> store.record(Feedback.forEntity(Map.of("customer_id", "42", "region", "eu"), "churn",
                    T0.plus(Duration.ofHours(1)), 1, T0.plus(Duration.ofDays(1)), "api"), "alice"))
                    .hasMessage("Deployment [churn] made no prediction for entity [customer_id=42, region=eu] at or before ["
                            + T0.plus(Duration.ofHours(1)) + "]")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.UNKNOWN_PREDICTION));
            assertThatThrownBy(() -> store.record(Feedback.forEntity(CUSTOMER_42, "churn", T0.minusSeconds(1), 1,
                    T0.plus(Duration.ofDays(1)), "api"), "alice"))
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.UNKNOWN_PREDICTION));
        }

        @Test
        void byEntityATimeAfterNowIsRefusedSinceItsLatestPredictionCouldStillChange() {
            binary("champion", T0, 0.1);
            assertThatThrownBy(() -> store.record(Feedback.forEntity(CUSTOMER_42, "churn", clock.instant().plusSeconds(5), 1,
                    T0.plus(Duration.ofDays(1)), "api"), "alice"))
                    .hasMessageContaining("is after now")
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_FEEDBACK));
        }

        @Test
        void outcomesThatDoNotFitThePredictionAreRefusedNamingTheField() {
            Logged probability = binary("champion", T0, 0.4);
            Logged classes = log.add(CUSTOMER_42, "tier", "champion", T0, OutputKind.CLASS_PROBABILITIES, 0.2, 0.5, 0.3);
            Logged value = log.add(CUSTOMER_42, "price", "champion", T0, OutputKind.VALUE, 12.5);

            assertInvalid(Feedback.forPrediction(probability.id(), 0.5, T0, "api"), "must be a label 0 or 1");
            assertInvalid(Feedback.forPrediction(classes.id(), 3, T0, "api"), "must be a class index 0 to 2");
            assertInvalid(Feedback.forPrediction(classes.id(), 1.5, T0, "api"), "must be a class index 0 to 2");
            assertInvalid(Feedback.forPrediction(value.id(), Double.NaN, T0, "api"), "must be a finite number");
            assertInvalid(Feedback.forPrediction(value.id(), 3, T0.minusSeconds(1), "api"), "is before prediction");
            assertInvalid(Feedback.forPrediction(value.id(), 3, T0, " "), "[source]");
            Logged notAProbability = log.add(CUSTOMER_42, "churn", "champion", T0, OutputKind.PROBABILITY, 0.2, 0.8);
            assertInvalid(Feedback.forPrediction(notAProbability.id(), 1, T0, "api"), "which is not a [probability] output");
            assertThat(store.record(Feedback.forPrediction(classes.id(), 2, T0, "api"), "alice").status())
                    .isEqualTo(Status.RECORDED);
            assertThat(store.record(Feedback.forPrediction(value.id(), -4.25, T0, "api"), "alice").status())
                    .isEqualTo(Status.RECORDED);
        }

        private void assertInvalid(Feedback feedback, String message) {
            assertThatThrownBy(() -> store.record(feedback, "alice")).hasMessageContaining(message)
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_FEEDBACK));
        }

        @Test
        void aBulkLoadRecordsTheGoodRowsAndReportsEachBadOneByItsNumber() {
            Logged a = binary("champion", T0, 0.9);
            Logged b = binary("champion", T0.plusSeconds(10), 0.2);
            Logged c = binary("challenger", T0.plusSeconds(20), 0.6);
            store.record(Feedback.forPrediction(c.id(), 1, T0.plusSeconds(30), "api"), "alice");
            audit.records.clear();
            Instant observed = T0.plus(Duration.ofDays(1));

            BatchResult batch = store.recordAll(List.of(
                    Feedback.forPrediction(a.id(), 1, observed, "file:labels.csv"),   // row 2: recorded
                    Feedback.forPrediction("pred_missing", 0, observed, "file:labels.csv"), // row 3: unknown
                    Feedback.forPrediction(b.id(), 0.5, observed, "file:labels.csv"),  // row 4: not a label
                    Feedback.forPrediction(a.id(), 0, observed, "file:labels.csv"),    // row 5: contradicts row 2
                    Feedback.forPrediction(c.id(), 1, observed, "file:labels.csv"),    // row 6: duplicate of the api's
                    Feedback.forPrediction(b.id(), 0, observed, "file:labels.csv")),   // row 7: recorded
                    2, "loader");

            assertThat(batch.rows()).extracting(RowResult::row).containsExactly(2, 3, 4, 5, 6, 7);
            assertThat(batch.rows()).extracting(RowResult::status).containsExactly(Status.RECORDED, Status.REFUSED,
                    Status.REFUSED, Status.REFUSED, Status.DUPLICATE, Status.RECORDED);
            assertThat(batch.rows().get(1).error()).contains(ServingErrorCode.UNKNOWN_PREDICTION);
            assertThat(batch.rows().get(1).message()).isEqualTo("Row 3: No prediction has id [pred_missing]");
            assertThat(batch.rows().get(2).error()).contains(ServingErrorCode.INVALID_FEEDBACK);
            assertThat(batch.rows().get(2).message()).startsWith("Row 4: ");
            assertThat(batch.rows().get(3).error()).contains(ServingErrorCode.FEEDBACK_CONFLICT);
            assertThat(batch.rows().get(3).predictionId()).contains(a.id());
            assertThat(store.pairs("churn", Optional.empty(), T0, T0.plusSeconds(60)))
                    .extracting(Pair::predictionId, Pair::outcome)
                    .containsExactly(tuple(a.id(), 1.0),
                            tuple(b.id(), 0.0),
                            tuple(c.id(), 1.0));
            assertThat(audit.records).singleElement().satisfies(r -> {
                assertThat(r.action()).isEqualTo("feedback.batch_recorded");
                assertThat(r.payload().path("recorded").asLong()).isEqualTo(2);
                assertThat(r.payload().path("duplicates").asLong()).isEqualTo(1);
                assertThat(r.payload().path("refused").asLong()).isEqualTo(3);
                assertThat(r.payload().path("first_row").asInt()).isEqualTo(2);
                assertThat(r.payload().path("recorded_by_deployment").path("churn").asLong()).isEqualTo(2);
            });
        }

        @Test
        void racingWritersOfOnePredictionRecordItOnce() throws Exception {
            Logged p = binary("champion", T0, 0.7);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<Status>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    calls.add(pool.submit(() -> {
                        go.await();
                        return store.record(Feedback.forPrediction(p.id(), 1, T0.plusSeconds(5), "api"), "alice").status();
                    }));
                }
                go.countDown();
                List<Status> statuses = new ArrayList<>();
                for (Future<Status> call : calls) {
                    statuses.add(call.get());
                }
                assertThat(statuses).containsOnlyOnce(Status.RECORDED).filteredOn(s -> s == Status.DUPLICATE).hasSize(7);
                assertThat(audit.records).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void pairsAreOneArmsInTheRangeOfPredictionTimesInOrder() {
            Logged late = binary("champion", T0.plusSeconds(50), 0.5);
            Logged early = binary("champion", T0.plusSeconds(10), 0.5);
            Logged other = binary("challenger", T0.plusSeconds(20), 0.5);
            Logged outside = binary("champion", T0.plusSeconds(60), 0.5);
            for (Logged p : List.of(late, early, other, outside)) {
                store.record(Feedback.forPrediction(p.id(), 1, T0.plusSeconds(100), "api"), "alice");
            }
            assertThat(store.pairs("churn", Optional.of("champion"), T0, T0.plusSeconds(60)))
                    .extracting(Pair::predictionId).containsExactly(early.id(), late.id());
            assertThat(store.pairs("churn", Optional.empty(), T0.plusSeconds(10), T0.plusSeconds(61)))
                    .extracting(Pair::predictionId).containsExactly(early.id(), other.id(), late.id(), outside.id());
            assertThat(store.pairs("nothing", Optional.empty(), T0, T0.plusSeconds(61))).isEmpty();
            assertThatThrownBy(() -> store.pairs("churn", Optional.empty(), T0, T0))
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.INVALID_FEEDBACK));
        }
    }

    @Nested
    class OnSqlite extends Cases {
        OnSqlite() {
            super(Kind.SQLITE);
        }
    }

    @Nested
    class OnPostgres extends Cases {
        OnPostgres() {
            super(Kind.POSTGRESQL);
        }
    }
}

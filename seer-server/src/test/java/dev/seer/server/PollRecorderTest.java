package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What the feedback consumer makes of a poll when recording fails: an internal error is retried a bounded number of
 * times, then only the outcome that alone still fails is refused; an unavailable store is waited for without bound.
 */
class PollRecorderTest {
    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    /** Records every outcome; a batch holding the prediction {@code poison} fails as configured. */
    private static final class FakeRecorder implements PollRecorder.Recorder {
        private int unavailableLeft;
        private final List<Integer> calls = new ArrayList<>();
        private final List<String> recorded = new ArrayList<>();

        @Override
        public FeedbackStore.BatchResult record(List<Feedback> outcomes) {
            calls.add(outcomes.size());
            if (unavailableLeft > 0) {
                unavailableLeft--;
                throw new SeerException(ServingErrorCode.STORE_UNAVAILABLE, "store down");
            }
            if (outcomes.stream().anyMatch(o -> id(o).equals("poison"))) {
                throw new SeerException(ServingErrorCode.STORE_FAILURE, "cannot write row");
            }
            List<FeedbackStore.RowResult> rows = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                recorded.add(id(outcomes.get(i)));
                rows.add(new FeedbackStore.RowResult(i, Optional.of(id(outcomes.get(i))), FeedbackStore.Status.RECORDED,
                        Optional.empty(), "recorded", List.of()));
            }
            return new FeedbackStore.BatchResult(rows);
        }

        private static String id(Feedback outcome) {
            return ((Feedback.ById) outcome.target()).predictionId();
        }
    }

    private final FakeRecorder fake = new FakeRecorder();
    private final PollRecorder recorder = new PollRecorder(fake);

    @Test
    void anOutcomeThatAlwaysFailsInternallyIsRefusedAfterTheAttemptsAndTheOthersAreRecorded() {
        List<String> ids = List.of("prd_a", "poison", "prd_b");
        for (int attempt = 1; attempt < InternalFailures.ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> recorder.record(records(0, 3), outcomes(ids), List.of(0, 1, 2)))
                    .isInstanceOf(SeerException.class);
        }
        FeedbackStore.BatchResult result = recorder.record(records(0, 3), outcomes(ids), List.of(0, 1, 2));

        assertThat(result.rows()).extracting(FeedbackStore.RowResult::row).containsExactly(0, 1, 2);
        assertThat(result.rows()).extracting(FeedbackStore.RowResult::status).containsExactly(FeedbackStore.Status.RECORDED,
                FeedbackStore.Status.REFUSED, FeedbackStore.Status.RECORDED);
        assertThat(result.rows().get(1).message()).startsWith("internal error: ").contains("cannot write row");
        assertThat(result.rows().get(1).error()).contains(ServingErrorCode.STORE_FAILURE);
        assertThat(fake.recorded).containsExactly("prd_a", "prd_b");
        // the next poll is recorded in one call again
        fake.calls.clear();
        recorder.record(records(3, 2), outcomes(List.of("prd_c", "prd_d")), List.of(0, 1));
        assertThat(fake.calls).containsExactly(2);
    }

    @Test
    void anUnavailableStoreIsWaitedForWithoutBoundAndDoesNotCountAsAnAttempt() {
        fake.unavailableLeft = 10;
        for (int attempt = 0; attempt < 10; attempt++) {
            assertThatThrownBy(() -> recorder.record(records(0, 2), outcomes(List.of("prd_a", "prd_b")), List.of(0, 1)))
                    .isInstanceOf(SeerException.class)
                    .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(ServingErrorCode.STORE_UNAVAILABLE));
        }
        FeedbackStore.BatchResult result = recorder.record(records(0, 2), outcomes(List.of("prd_a", "prd_b")), List.of(0, 1));
        assertThat(result.count(FeedbackStore.Status.RECORDED)).isEqualTo(2);
        assertThat(fake.calls).as("every attempt in one call, none alone").allMatch(n -> n == 2);
    }

    @Test
    void aFailureThatClearsBeforeTheLastAttemptRecordsThePollInOneCall() {
        List<String> ids = List.of("prd_a", "poison");
        assertThatThrownBy(() -> recorder.record(records(0, 2), outcomes(ids), List.of(0, 1))).isInstanceOf(SeerException.class);
        // the same poll read again no longer fails (say a transient internal fault): recorded in one call
        FeedbackStore.BatchResult result = recorder.record(records(0, 2), outcomes(List.of("prd_a", "prd_b")), List.of(0, 1));
        assertThat(result.count(FeedbackStore.Status.RECORDED)).isEqualTo(2);
        // and a later poll at the same partition starts counting afresh: two more failures are still retried
        for (int attempt = 1; attempt < InternalFailures.ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> recorder.record(records(2, 2), outcomes(ids), List.of(0, 1)))
                    .isInstanceOf(SeerException.class);
        }
    }

    @Test
    void rowsRefusedBeforeRecordingKeepTheirPlaces() {
        // record 1 of the poll did not parse: the outcomes are records 0 and 2
        for (int attempt = 1; attempt < InternalFailures.ATTEMPTS; attempt++) {
            assertThatThrownBy(() -> recorder.record(records(0, 3), outcomes(List.of("poison", "prd_b")), List.of(0, 2)))
                    .isInstanceOf(SeerException.class);
        }
        FeedbackStore.BatchResult result = recorder.record(records(0, 3), outcomes(List.of("poison", "prd_b")), List.of(0, 2));
        assertThat(result.rows()).extracting(FeedbackStore.RowResult::row).as("indices into the outcomes").containsExactly(0, 1);
        assertThat(result.rows()).extracting(FeedbackStore.RowResult::status).containsExactly(FeedbackStore.Status.REFUSED,
                FeedbackStore.Status.RECORDED);
    }

    private static List<ConsumerRecord<byte[], byte[]>> records(long from, int n) {
        return IntStream.range(0, n).mapToObj(i -> new ConsumerRecord<byte[], byte[]>("outcomes", 0, from + i, null,
                new byte[0])).toList();
    }

    private static List<Feedback> outcomes(List<String> ids) {
        return ids.stream().map(id -> Feedback.forPrediction(id, 1, AT, "test")).toList();
    }
}

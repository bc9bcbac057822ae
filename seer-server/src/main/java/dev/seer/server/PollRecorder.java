package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What {@link FeedbackConsumer} makes of one poll's outcomes, decided without Kafka so it can be
 * tested with a fake {@link Recorder}.
 *
 * <p>Design: the outcomes are recorded in one call (one transaction). An UNAVAILABLE error is
 * thrown: the store is down, and the consumer reads the poll again after a pause, as long as it
 * takes. An INTERNAL error is thrown too, but counted ({@link InternalFailures}): once the poll
 * starting at the same offsets has failed with INTERNAL {@link InternalFailures#ATTEMPTS} times in a
 * row, each outcome is recorded alone, and one that alone still fails with INTERNAL is refused
 * (its message {@code internal error: ...}, its error the code) while the others are
 * recorded. Recording is idempotent (an outcome recorded twice counts once), so outcomes recorded
 * in an attempt that then failed need no bookkeeping: read again, they are duplicates.
 */
final class PollRecorder {
    /** Records outcomes in one call, one result per outcome in order; throws {@link SeerException}. */
    @FunctionalInterface
    interface Recorder {
        FeedbackStore.BatchResult record(List<Feedback> outcomes);
    }

    private final Recorder recorder;
    private final InternalFailures failures = new InternalFailures();

    PollRecorder(Recorder recorder) {
        this.recorder = requireNonNull(recorder, "recorder is null");
    }

    /**
     * Records {@code outcomes}, read from {@code records} at the indices {@code at}, and returns a result per outcome
     * in order; an outcome that alone failed with INTERNAL is REFUSED with its reason. Throws a {@link SeerException}
     * when the poll must be read again (UNAVAILABLE, or INTERNAL within its attempts) or cannot be recorded at all.
     */
    FeedbackStore.BatchResult record(List<ConsumerRecord<byte[], byte[]>> records, List<Feedback> outcomes, List<Integer> at) {
        if (outcomes.isEmpty()) {
            failures.handled(records);
            return new FeedbackStore.BatchResult(List.of());
        }
        Map<TopicPartition, Long> first = InternalFailures.firstOffsets(records);
        FeedbackStore.BatchResult result;
        if (failures.times(first) >= InternalFailures.ATTEMPTS) { // an earlier attempt isolated, then stopped (UNAVAILABLE)
            result = alone(records, outcomes, at);
        } else {
            try {
                result = recorder.record(outcomes);
            } catch (SeerException e) {
                if (e.errorCode().category() != ErrorCategory.INTERNAL || failures.failed(first) < InternalFailures.ATTEMPTS) {
                    throw e;
                }
                result = alone(records, outcomes, at);
            }
        }
        failures.handled(records);
        return result;
    }

    private FeedbackStore.BatchResult alone(List<ConsumerRecord<byte[], byte[]>> records, List<Feedback> outcomes,
            List<Integer> at) {
        List<FeedbackStore.RowResult> rows = new ArrayList<>(outcomes.size());
        for (int j = 0; j < outcomes.size(); j++) {
            try {
                FeedbackStore.RowResult row = recorder.record(List.of(outcomes.get(j))).rows().get(0);
                rows.add(new FeedbackStore.RowResult(j, row.predictionId(), row.status(), row.error(), row.message(),
                        row.shadows()));
            } catch (SeerException e) {
                if (e.errorCode().category() != ErrorCategory.INTERNAL) {
                    throw e; // UNAVAILABLE: read again; what was recorded alone so far counts once then
                }
                rows.add(new FeedbackStore.RowResult(j, Optional.empty(), FeedbackStore.Status.REFUSED,
                        Optional.of(e.errorCode()), "internal error: " + e.getMessage(), List.of()));
            }
        }
        return new FeedbackStore.BatchResult(rows);
    }
}

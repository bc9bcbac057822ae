package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.feedback.Feedback;
import dev.seer.serving.feedback.FeedbackStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Outcomes from the {@code feedback.topic} into the {@link FeedbackStore}, in group
 * {@code seer-feedback}: each poll's records are read as the feedback route reads one outcome and
 * recorded in one call ({@link FeedbackStore#recordAll}, one transaction); those the store refuses
 * (an unknown prediction, an outcome that conflicts with the one recorded, a bad field) and those
 * that do not parse go to the dead-letter topic with the reason and the record's
 * {@code topic/partition@offset}, acknowledged; only then are the offsets committed. A crash
 * before the commit reads the poll again: the store counts an outcome it has once (a duplicate),
 * and the dead letters of that poll may be written twice. While the store or the log is
 * unavailable the poll is read again after a pause; nothing is skipped. An internal error is
 * retried a few times, then the poll's outcomes are recorded one by one and one that alone still
 * fails is a dead letter ({@link PollRecorder}), so one outcome cannot stop the topic for good.
 */
final class FeedbackConsumer extends PollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackConsumer.class);
    static final String GROUP = "seer-feedback";
    static final String SOURCE = "feedback";
    static final String ACTOR = "system:feedback-stream";

    private final String topic;
    private final ServingKafka kafka;
    private final Clock clock;
    private final PollRecorder recorder;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    FeedbackConsumer(String topic, ServingKafka kafka, FeedbackStore store, Clock clock) {
        super(requireNonNull(topic, "topic is null"), "Feedback", requireNonNull(kafka, "kafka is null").consumer(GROUP),
                kafka.producer());
        this.topic = topic;
        this.kafka = kafka;
        requireNonNull(store, "store is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.recorder = new PollRecorder(outcomes -> store.recordAll(outcomes, 0, ACTOR));
    }

    /** Records one poll, then commits it; false if it must be read again. */
    @Override
    boolean process(ConsumerRecords<byte[], byte[]> polled) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
        polled.forEach(records::add);
        String[] problems = new String[records.size()];
        List<Feedback> outcomes = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            try {
                outcomes.add(StreamedRecords.feedback(records.get(i).value(), topic, clock.instant()));
                at.add(i);
            } catch (SeerException e) {
                problems[i] = StreamedRecords.reason(e, records.get(i));
            }
        }
        FeedbackStore.BatchResult result;
        try {
            result = recorder.record(records, outcomes, at);
        } catch (SeerException e) {
            if (e.errorCode().category() == ErrorCategory.UNAVAILABLE || e.errorCode().category() == ErrorCategory.INTERNAL) {
                error = e.getMessage();
                LOG.warn("Feedback from topic [{}] paused: {}; reading again", topic, e.getMessage());
                return false;
            }
            throw e;
        }
        for (FeedbackStore.RowResult row : result.rows()) {
            int i = at.get(row.row());
            if (row.status() == FeedbackStore.Status.REFUSED) {
                problems[i] = row.error().map(c -> c.code() + ": ").orElse("") + row.message() + " (at "
                        + StreamedRecords.where(records.get(i)) + ")";
            }
        }
        try {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < records.size(); i++) {
                if (problems[i] != null) {
                    acks.add(producer.send(StreamedRecords.deadLetter(kafka.deadLetterTopic(), SOURCE, records.get(i),
                            problems[i])));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
            consumer.commitSync(next(records));
            recorded.addAndGet(result.count(FeedbackStore.Status.RECORDED));
            duplicates.addAndGet(result.count(FeedbackStore.Status.DUPLICATE));
            deadLettered.addAndGet(acks.size());
            error = "";
            return true;
        } catch (InterruptedException e) {
            interrupted();
            return false;
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            // Recorded outcomes are recorded; read again, they count as duplicates.
            error = e.toString();
            LOG.warn("Feedback from topic [{}]: dead letters or offsets not written ({}); reading again", topic, e.toString());
            return false;
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> next(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        records.forEach(r -> next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1)));
        return next;
    }

    /** Where the feedback consumer stands: recorded, duplicates and dead letters since start, and its last error. */
    record Status(String topic, boolean failed, String error, long recorded, long duplicates, long deadLettered) {}

    Status status() {
        return new Status(topic, failure().isPresent(), error, recorded.get(), duplicates.get(), deadLettered.get());
    }
}

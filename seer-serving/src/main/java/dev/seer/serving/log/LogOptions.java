package dev.seer.serving.log;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.util.Map;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import dev.seer.serving.deploy.StreamBinding;

/**
 * How the prediction log sizes its files and bounds its memory: the {@code prediction-log} section.
 *
 * @param segmentBytes    a segment is sealed and a new one started when the next batch would pass this size
 * @param queueCapacity   appends waiting for the writer at most; past it an append fails at once with OVERLOADED
 * @param maxQueuedBytes  encoded bytes waiting for the writer at most, the same way (memory stays bounded
 *                        whatever the size of the appends)
 * @param maxBatchBytes   bytes one group commit writes at most; also the largest single append
 * @param answerAfter    when an append completes: see {@link AnswerAfter} and {@link PredictionLog} for what
 *                       each costs and guarantees
 * @param syncIntervalMs with {@link AnswerAfter#WRITE}, how often the written batches are synced to disk
 * @param kafkaTopic     the Kafka topic the server copies every batch to ({@link BatchReplica}), on the cluster of
 *                       the {@code kafka} section; empty for none
 */
public record LogOptions(long segmentBytes, int queueCapacity, long maxQueuedBytes, int maxBatchBytes,
        AnswerAfter answerAfter, int syncIntervalMs, String kafkaTopic) {
    /** The point at which a logged prediction may be answered, from the fastest and weakest to the slowest. */
    public enum AnswerAfter {
        /**
         * Its batch is written to the operating system (the page cache): it survives the server process being
         * killed, SIGKILL included, but not a crash of the machine within the sync interval. Kafka's acknowledged
         * writes make the same trade on each broker (no flush per message).
         */
        WRITE,
        /** Its batch is on disk ({@code fdatasync}); the batch's audit entry follows. The default. */
        SYNC,
        /** Its batch is on disk and the batch's audit entry is durable too. */
        AUDIT
    }

    public static final ConfigKey SEGMENT_MB = new ConfigKey("prediction-log.segment-mb", ConfigType.POSITIVE_INT, 64,
            "Size in MiB at which a prediction log segment is sealed and the next one started.");
    public static final ConfigKey QUEUE_CAPACITY = new ConfigKey("prediction-log.queue-capacity", ConfigType.POSITIVE_INT,
            10_000, "Most appends waiting to be written; past it a prediction is refused at once as overloaded.");
    public static final ConfigKey QUEUE_MB = new ConfigKey("prediction-log.queue-mb", ConfigType.POSITIVE_INT, 64,
            "Most MiB of encoded predictions waiting to be written; past it a prediction is refused at once as overloaded.");
    public static final ConfigKey BATCH_MB = new ConfigKey("prediction-log.batch-mb", ConfigType.POSITIVE_INT, 4,
            "Most MiB written and synced as one batch (group commit); also the largest single append.");
    public static final ConfigKey ANSWER_AFTER = new ConfigKey("prediction-log.answer-after", ConfigType.STRING, "sync",
            "When a prediction is answered: 'write' (its batch is written to the operating system: it survives a kill of"
                    + " the server, not a crash of the machine before the next sync), 'sync' (its batch is on disk; the"
                    + " batch's audit entry follows, and a crash before it is reconciled at the next start) or 'audit' (also"
                    + " its audit entry is durable; slower).");
    public static final ConfigKey SYNC_INTERVAL_MS = new ConfigKey("prediction-log.sync-interval-ms",
            ConfigType.POSITIVE_INT, 100, "With answer-after: write, how often in milliseconds written batches are synced"
                    + " to disk.");
    public static final ConfigKey KAFKA_TOPIC = new ConfigKey("prediction-log.kafka-topic", ConfigType.STRING, "",
            "A Kafka topic (on the cluster of the kafka section) that every batch of the prediction log is copied to with"
                    + " acks=all; a prediction is answered only once its batch is there too. Empty: none.");
    public static final ConfigSection<LogOptions> SECTION = ConfigSection.of("prediction-log",
            v -> new LogOptions((long) v.number(SEGMENT_MB) << 20, v.number(QUEUE_CAPACITY), (long) v.number(QUEUE_MB) << 20,
                    Math.toIntExact((long) v.number(BATCH_MB) << 20), answerAfter(v.text(ANSWER_AFTER)),
                    v.number(SYNC_INTERVAL_MS), kafkaTopic(v.text(KAFKA_TOPIC))), SEGMENT_MB, QUEUE_CAPACITY, QUEUE_MB,
            BATCH_MB, ANSWER_AFTER, SYNC_INTERVAL_MS, KAFKA_TOPIC);
    public static final LogOptions DEFAULT = SECTION.defaults();

    public LogOptions {
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, not " + segmentBytes);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, not " + queueCapacity);
        }
        if (maxBatchBytes < 1024 || maxQueuedBytes < maxBatchBytes) {
            throw new IllegalArgumentException("maxBatchBytes (" + maxBatchBytes + ") must be at least 1024 and at most maxQueuedBytes ("
                    + maxQueuedBytes + ")");
        }
        java.util.Objects.requireNonNull(answerAfter, "answerAfter is null");
        if (syncIntervalMs < 1) {
            throw new IllegalArgumentException("syncIntervalMs must be at least 1, not " + syncIntervalMs);
        }
        java.util.Objects.requireNonNull(kafkaTopic, "kafkaTopic is null");
    }

    /** Answering once synced. */
    public LogOptions(long segmentBytes, int queueCapacity, long maxQueuedBytes, int maxBatchBytes) {
        this(segmentBytes, queueCapacity, maxQueuedBytes, maxBatchBytes, AnswerAfter.SYNC, 100, "");
    }

    public LogOptions withSegmentBytes(long bytes) {
        return new LogOptions(bytes, queueCapacity, maxQueuedBytes, maxBatchBytes, answerAfter, syncIntervalMs, kafkaTopic);
    }

    public LogOptions withQueue(int capacity, long bytes) {
        return new LogOptions(segmentBytes, capacity, bytes, Math.toIntExact(Math.min(maxBatchBytes, bytes)), answerAfter,
                syncIntervalMs, kafkaTopic);
    }

    public LogOptions answering(AnswerAfter when) {
        return new LogOptions(segmentBytes, queueCapacity, maxQueuedBytes, maxBatchBytes, when, syncIntervalMs, kafkaTopic);
    }

    /** The same options, copying every batch to the Kafka topic {@code topic} (empty for none). */
    public LogOptions replicatedTo(String topic) {
        return new LogOptions(segmentBytes, queueCapacity, maxQueuedBytes, maxBatchBytes, answerAfter, syncIntervalMs,
                kafkaTopic(topic));
    }

    /** A topic name Kafka would take, as a deployment's stream topics are checked; empty for none. */
    private static String kafkaTopic(String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            return StreamBinding.checkTopic(value, "prediction-log.kafka-topic");
        } catch (SeerException e) {
            throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, e.getMessage(), Map.of("key", "prediction-log.kafka-topic"), e);
        }
    }

    private static AnswerAfter answerAfter(String value) {
        return switch (value) {
            case "write" -> AnswerAfter.WRITE;
            case "sync" -> AnswerAfter.SYNC;
            case "audit" -> AnswerAfter.AUDIT;
            default -> throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "[prediction-log.answer-after] must be"
                    + " write, sync or audit, not [" + value + "]", Map.of("key", "prediction-log.answer-after"));
        };
    }
}

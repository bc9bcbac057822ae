package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.deploy.StreamBinding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores one deployment's input topic into its output topic: consume, transform, produce, exactly
 * once for the output topic.
 *
 * <p>Design: a consumer in group {@code seer-score-<deployment>} reads committed records. Each poll
 * is scored through {@link Predictor#predict}, the predict route's own path, so every prediction is
 * durable in the prediction log before its output exists. Then one Kafka transaction writes the
 * outputs (keyed as their inputs), the dead letters of refused records, and the consumer's next
 * offsets ({@code sendOffsetsToTransaction} with the group's metadata, KIP-447, so a consumer that
 * lost its partitions cannot commit); read-committed readers of the output topic see each
 * input's prediction once. A record that is not a JSON object, names a bad field, or lacks a
 * feature the deployment refuses to score without is a dead letter naming the field and the
 * input's {@code topic/partition@offset}; the others go on. A poll is scored in one call; if that
 * call refuses input, each record is scored alone so that only the bad ones are refused
 * ({@link PollScorer}).
 *
 * <p>Failures: an unavailable store or log (a 503 on the route) is transient: the poll is read
 * again after a pause ({@link PollLoop}) for as long as it lasts. An internal error is retried so
 * too, but only {@link PollScorer#INTERNAL_ATTEMPTS} times for a poll starting at the same
 * offsets; then the poll is scored record by record, and a record that alone still fails with an
 * internal error is a dead letter ({@code internal error: CODE: message (at topic/partition@offset)},
 * counted with the others, the last one kept as the status's error) so that one poisonous record
 * cannot stop the deployment's stream for good.
 *
 * <p>What is not exactly once: the log. A poll read again after its scoring failed or its
 * transaction aborted, or after a crash between scoring and commit, is scored again, except the
 * records whose outcome an earlier attempt kept; the predictions made before are in the log but
 * their outputs were never committed, so the log may hold a prediction of an input twice (two
 * ids), and the output topic only the second.
 */
final class ScoreConsumer extends PollLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreConsumer.class);

    private final String deployment;
    private final StreamBinding binding;
    private final ServingKafka kafka;
    private final PollScorer scorer;
    private final AtomicLong scored = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    /** The last record dead-lettered for an internal error: shown while nothing else is wrong. */
    private volatile String poisoned = "";

    /** {@code instance}: unique per process, so two Seer processes scoring one deployment never fence each other. */
    ScoreConsumer(String deployment, StreamBinding binding, ServingKafka kafka, Predictor predictor, String instance) {
        super(requireNonNull(binding, "binding is null").inputTopic(), "Scoring of deployment ["
                + requireNonNull(deployment, "deployment is null") + "]", requireNonNull(kafka, "kafka is null")
                .consumer(group(deployment)), kafka.transactionalProducer("seer-score-" + deployment + "-" + instance));
        this.deployment = deployment;
        this.binding = binding;
        this.kafka = kafka;
        requireNonNull(predictor, "predictor is null");
        this.scorer = new PollScorer(rows -> outputs(predictor.predict(deployment, rows)));
    }

    static String group(String deployment) {
        return "seer-score-" + deployment;
    }

    StreamBinding binding() {
        return binding;
    }

    @Override
    void starting() {
        producer.initTransactions();
    }

    /** Scores one poll and commits it; false if it must be tried again (the transaction, if begun, aborted). */
    @Override
    boolean process(ConsumerRecords<byte[], byte[]> polled) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
        polled.forEach(records::add);
        PollScorer.Scored scored;
        try {
            scored = scorer.score(records);
        } catch (SeerException e) {
            if (e.errorCode().category() == ErrorCategory.UNAVAILABLE || e.errorCode().category() == ErrorCategory.INTERNAL) {
                error = e.getMessage();
                LOG.warn("Scoring of deployment [{}] paused: {}; trying again", deployment, e.getMessage());
                return false;
            }
            throw e; // an unknown deployment (removed meanwhile): ServingStreams stops this consumer
        }
        producer.beginTransaction();
        try {
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (int i = 0; i < records.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                if (scored.outputs()[i] != null) {
                    producer.send(StreamedRecords.output(binding.outputTopic(), record, scored.outputs()[i]));
                } else {
                    producer.send(StreamedRecords.deadLetter(kafka.deadLetterTopic(), source(deployment), record,
                            scored.problems()[i]));
                }
                next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException e) {
            throw e; // the producer cannot go on: ServingStreams starts a new consumer
        } catch (KafkaException e) {
            // A rebalance took a partition (the commit is refused for a stale generation), or the broker
            // failed: nothing of this poll is visible; what this consumer still owns is read again, its scores kept.
            abort();
            scorer.uncommitted(records, scored);
            error = e.toString();
            LOG.warn("Scoring of deployment [{}]: transaction aborted ({}); reading again", deployment, e.toString());
            return false;
        }
        scorer.committed();
        this.scored.addAndGet(scored.good());
        deadLettered.addAndGet(records.size() - scored.good());
        String internal = scored.internalError();
        if (internal != null) {
            poisoned = internal;
            LOG.error("Scoring of deployment [{}]: after {} attempts at its poll, a record that alone fails with an"
                    + " internal error is a dead letter: {}", deployment, PollScorer.INTERNAL_ATTEMPTS, internal);
        }
        error = "";
        return true;
    }

    /** The output record values of an answer, in the order of its rows. */
    private static List<byte[]> outputs(Predictor.Answer answer) {
        PredictOperations.Predicted predicted = PredictOperations.answer(answer);
        List<byte[]> outputs = new ArrayList<>(predicted.predictions().size());
        for (PredictOperations.Prediction prediction : predicted.predictions()) {
            outputs.add(StreamedRecords.output(predicted.deployment(), predicted.revision(), prediction));
        }
        return outputs;
    }

    static String source(String deployment) {
        return "deployment:" + deployment;
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            LOG.debug("Abort failed", e);
        }
    }

    /**
     * Where this consumer stands, for {@code seer deployments show}: retrying while a poll is read again, with why; else
     * the last record dead-lettered for an internal error, if any.
     */
    DeploymentOperations.StreamStatus status() {
        String retrying = error;
        DeploymentOperations.StreamState state = failure().isPresent() ? DeploymentOperations.StreamState.FAILED
                : !started() ? DeploymentOperations.StreamState.STARTING
                : retrying.isEmpty() ? DeploymentOperations.StreamState.RUNNING : DeploymentOperations.StreamState.RETRYING;
        return new DeploymentOperations.StreamStatus(binding.inputTopic(), binding.outputTopic(), state,
                retrying.isEmpty() ? poisoned : retrying, assigned(), lag(), scored.get(), deadLettered.get());
    }
}

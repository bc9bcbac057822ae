package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.deploy.StreamBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
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
 * call refuses input, each record is scored alone so that only the bad ones are refused.
 *
 * <p>What is not exactly once: the log. An unavailable store or log (a 503 on the route) aborts
 * the transaction, rewinds to the poll's first offsets and tries again after a pause, and a crash
 * after scoring but before the commit does the same at the next start; the predictions made
 * before are in the log but their outputs were never committed, so the log may hold a prediction
 * of an input twice (two ids), and the output topic only the second.
 */
final class ScoreConsumer implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreConsumer.class);
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final String deployment;
    private final StreamBinding binding;
    private final ServingKafka kafka;
    private final Predictor predictor;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong scored = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private volatile String error = "";
    private volatile boolean started;
    private volatile Throwable failure;

    /** {@code instance}: unique per process, so two Seer processes scoring one deployment never fence each other. */
    ScoreConsumer(String deployment, StreamBinding binding, ServingKafka kafka, Predictor predictor, String instance) {
        this.deployment = requireNonNull(deployment, "deployment is null");
        this.binding = requireNonNull(binding, "binding is null");
        this.kafka = requireNonNull(kafka, "kafka is null");
        this.predictor = requireNonNull(predictor, "predictor is null");
        this.consumer = new KafkaConsumer<>(kafka.consumer(group(deployment)));
        try {
            this.producer = new KafkaProducer<>(kafka.transactionalProducer("seer-score-" + deployment + "-" + instance));
        } catch (RuntimeException e) {
            consumer.close(java.time.Duration.ZERO); // its background thread would outlive a failed start
            throw e;
        }
    }

    static String group(String deployment) {
        return "seer-score-" + deployment;
    }

    StreamBinding binding() {
        return binding;
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(binding.inputTopic()), new Rebalance());
            started = true;
            while (running.get()) {
                ConsumerRecords<byte[], byte[]> polled;
                try {
                    polled = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    break;
                }
                measureLag();
                if (!polled.isEmpty() && !process(polled)) {
                    rewind(polled);
                    pause();
                }
            }
        } catch (WakeupException e) {
            LOG.debug("Scoring of deployment [{}] woken to stop", deployment);
        } catch (RuntimeException e) {
            failure = e;
            error = e.toString();
            LOG.error("Scoring of deployment [{}] from topic [{}] stopped", deployment, binding.inputTopic(), e);
        } finally {
            close(consumer, producer);
        }
    }

    /** A record's outcome scored in a poll whose transaction did not commit. */
    private record Kept(byte[] output, String problem) {}

    /**
     * Outcomes of records scored in a poll that was not committed, by {@code topic/partition@offset}: when the poll is
     * read again they are reused, not scored again, so a transaction that keeps failing does not log the same records
     * over and over. Cleared once a poll commits; bounded by {@link #MAX_KEPT}.
     */
    private final Map<String, Kept> kept = new HashMap<>();
    private static final int MAX_KEPT = 100_000;

    /** Scores one poll and commits it; false if it must be tried again (the transaction, if begun, aborted). */
    private boolean process(ConsumerRecords<byte[], byte[]> polled) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
        polled.forEach(records::add);
        Scored scored;
        try {
            scored = score(records);
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
                if (scored.outputs[i] != null) {
                    producer.send(StreamedRecords.output(binding.outputTopic(), record, scored.outputs[i]));
                } else {
                    producer.send(StreamedRecords.deadLetter(kafka.deadLetterTopic(), source(deployment), record,
                            scored.problems[i]));
                }
                next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (org.apache.kafka.common.errors.ProducerFencedException
                | org.apache.kafka.common.errors.InvalidProducerEpochException
                | org.apache.kafka.common.errors.OutOfOrderSequenceException
                | org.apache.kafka.common.errors.AuthorizationException e) {
            throw e; // the producer cannot go on: ServingStreams starts a new consumer
        } catch (org.apache.kafka.common.KafkaException e) {
            // A rebalance took a partition (the commit is refused for a stale generation), or the broker
            // failed: nothing of this poll is visible; what this consumer still owns is read again, its scores kept.
            abort();
            keep(records, scored);
            error = e.toString();
            LOG.warn("Scoring of deployment [{}]: transaction aborted ({}); reading again", deployment, e.toString());
            return false;
        }
        kept.clear();
        this.scored.addAndGet(scored.good);
        deadLettered.addAndGet(records.size() - scored.good);
        error = "";
        return true;
    }

    /** Per record, its output or why it was refused. */
    private record Scored(byte[][] outputs, String[] problems, int good) {}

    private Scored score(List<ConsumerRecord<byte[], byte[]>> records) {
        int n = records.size();
        byte[][] outputs = new byte[n][];
        String[] problems = new String[n];
        List<Integer> parsed = new ArrayList<>(n);
        List<Predictor.Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Kept before = kept.get(StreamedRecords.where(records.get(i)));
            if (before != null) { // scored and logged in an earlier attempt at this poll
                outputs[i] = before.output();
                problems[i] = before.problem();
                continue;
            }
            try {
                rows.add(StreamedRecords.row(records.get(i).value()));
                parsed.add(i);
            } catch (SeerException e) {
                problems[i] = StreamedRecords.reason(e, records.get(i));
            }
        }
        if (!rows.isEmpty()) {
            try {
                answer(predictor.predict(deployment, rows), parsed, outputs);
            } catch (SeerException e) {
                if (e.errorCode().category() != ErrorCategory.USER_ERROR) {
                    throw e;
                }
                for (int j = 0; j < rows.size(); j++) { // some row is refused: each alone, so only the bad ones are
                    int i = parsed.get(j);
                    try {
                        answer(predictor.predict(deployment, List.of(rows.get(j))), List.of(i), outputs);
                    } catch (SeerException one) {
                        if (one.errorCode().category() != ErrorCategory.USER_ERROR) {
                            throw one;
                        }
                        problems[i] = StreamedRecords.reason(one, records.get(i));
                    }
                }
            }
        }
        int good = 0;
        for (byte[] output : outputs) {
            good += output == null ? 0 : 1;
        }
        return new Scored(outputs, problems, good);
    }

    private void keep(List<ConsumerRecord<byte[], byte[]>> records, Scored scored) {
        if (kept.size() + records.size() > MAX_KEPT) {
            kept.clear(); // partitions that moved away left theirs; those records would be scored again, as before
        }
        for (int i = 0; i < records.size(); i++) {
            kept.put(StreamedRecords.where(records.get(i)), new Kept(scored.outputs[i], scored.problems[i]));
        }
    }

    private static void answer(Predictor.Answer answer, List<Integer> at, byte[][] outputs) {
        PredictOperations.Predicted predicted = PredictOperations.answer(answer);
        for (int j = 0; j < at.size(); j++) {
            outputs[at.get(j)] = StreamedRecords.output(predicted.deployment(), predicted.revision(),
                    predicted.predictions().get(j));
        }
    }

    static String source(String deployment) {
        return "deployment:" + deployment;
    }

    private void abort() {
        try {
            producer.abortTransaction();
        } catch (org.apache.kafka.common.KafkaException e) {
            LOG.debug("Abort failed", e);
        }
    }

    /** Back to the first offset of the poll on every partition this consumer still owns: nothing of it was committed. */
    private void rewind(ConsumerRecords<byte[], byte[]> polled) {
        for (TopicPartition partition : polled.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, polled.records(partition).get(0).offset());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    private void measureLag() {
        for (TopicPartition partition : consumer.assignment()) {
            consumer.currentLag(partition).ifPresent(l -> lag.put(partition.partition(), l));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing is pending between polls: every poll is committed or rewound before the next.
            partitions.forEach(p -> {
                assigned.remove(p.partition());
                lag.remove(p.partition());
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(p -> assigned.add(p.partition()));
        }
    }

    /** Where this consumer stands, for {@code seer deployments show}. */
    DeploymentOperations.StreamStatus status() {
        DeploymentOperations.StreamState state = failure != null ? DeploymentOperations.StreamState.FAILED
                : !started ? DeploymentOperations.StreamState.STARTING
                : error.isEmpty() ? DeploymentOperations.StreamState.RUNNING : DeploymentOperations.StreamState.RETRYING;
        return new DeploymentOperations.StreamStatus(binding.inputTopic(), binding.outputTopic(), state, error,
                new java.util.TreeSet<>(assigned), new TreeMap<>(lag), scored.get(), deadLettered.get());
    }

    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Asks the loop to stop after the poll in hand is committed or rewound; {@link ServingStreams} waits for the thread. */
    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }

    private static void close(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer) {
        try {
            consumer.close(Duration.ofSeconds(5));
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}

package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import dev.seer.serving.log.BatchReplica;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prediction log's copy on a Kafka topic ({@code prediction-log.kafka-topic}): one record per
 * batch on partition 0, so the topic's order is the log's; key the batch number (decimal text),
 * value the batch's bytes as the local log holds them, header {@value #HASH_HEADER} the SHA-256
 * the audit log records for the batch. The producer is idempotent with {@code acks=all}, and keeps
 * one request in flight: when a copy fails (after the producer's own retries, within
 * {@value #DELIVERY_TIMEOUT_MS} ms) the producer is closed at once from the failure's callback, on
 * the producer's I/O thread, before it sends anything queued behind it, so the topic never holds a
 * batch after one it lacks and {@link #lastReplicated} is where the log resumes. A topic Seer
 * creates keeps its records forever, as the local log does; if a topic's records were deleted
 * anyway, opening fails rather than copy every batch again.
 */
final class KafkaBatchReplica implements BatchReplica {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchReplica.class);
    static final String HASH_HEADER = "seer.sha256";
    /** How long a copy may take, the producer's retries included, before it fails and the log stops. */
    static final int DELIVERY_TIMEOUT_MS = 30_000;
    /** Room in a record beside the batch: Kafka's record and batch framing and the header. */
    private static final int FRAMING = 64 << 10;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final ServingKafka kafka;
    private final TopicPartition partition;
    private final KafkaProducer<byte[], byte[]> producer;
    private volatile Exception failed;

    private KafkaBatchReplica(ServingKafka kafka, String topic, int maxBatchBytes) {
        this.kafka = kafka;
        this.partition = new TopicPartition(topic, 0);
        Properties p = kafka.producer();
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("max.request.size", Integer.toString(maxBatchBytes + FRAMING));
        // one request in flight carries one producer batch of the partition: let it pack many small log batches
        p.put("batch.size", Integer.toString(Math.min(maxBatchBytes + FRAMING, 1 << 20)));
        p.put("request.timeout.ms", "10000");
        p.put("delivery.timeout.ms", Integer.toString(DELIVERY_TIMEOUT_MS));
        this.producer = new KafkaProducer<>(p);
    }

    /**
     * Creates {@code topic} if missing (one partition, the cluster's default replication, records as
     * large as a batch) and opens the producer.
     *
     * @throws SeerException LOG_FAILURE when the cluster cannot be reached or refuses the topic
     */
    static KafkaBatchReplica open(ServingKafka kafka, String topic, int maxBatchBytes) {
        requireNonNull(kafka, "kafka is null");
        requireNonNull(topic, "topic is null");
        try (Admin admin = Admin.create(kafka.admin())) {
            // kept as long as the local log, which deletes nothing: a copy that expired would leave nowhere to resume
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of("max.message.bytes",
                    Integer.toString(maxBatchBytes + FRAMING), "retention.ms", "-1", "retention.bytes", "-1"))))
                    .all().get();
            LOG.info("Created topic {} for the prediction log's copy", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw failure("Creating the prediction log's topic [" + topic + "]", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("Creating the prediction log's topic [" + topic + "]", e);
        } catch (RuntimeException e) {
            throw failure("Creating the prediction log's topic [" + topic + "]", e);
        }
        return new KafkaBatchReplica(kafka, topic, maxBatchBytes);
    }

    @Override
    public CompletableFuture<Void> replicate(long batch, byte[] bytes, String sha256) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Exception earlier = failed;
        if (earlier != null) {
            done.completeExceptionally(earlier);
            return done;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(HASH_HEADER, sha256.getBytes(StandardCharsets.US_ASCII));
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(partition.topic(), partition.partition(), key(batch), bytes,
                headers);
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                done.complete(null);
                return;
            }
            failed = error;
            producer.close(Duration.ZERO); // on the I/O thread: what is queued behind is aborted, never sent after a gap
            done.completeExceptionally(error);
        });
        return done;
    }

    /** Reads the key of the last record of partition 0. */
    @Override
    public OptionalLong lastReplicated() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.reader())) {
            List<TopicPartition> only = List.of(partition);
            consumer.assign(only);
            long end = consumer.endOffsets(only, READ_TIMEOUT).get(partition);
            long start = consumer.beginningOffsets(only, READ_TIMEOUT).get(partition);
            if (end == 0) {
                return OptionalLong.empty();
            }
            if (end <= start) {
                throw new SeerException(ServingErrorCode.LOG_FAILURE, "The records of [" + partition + "] were deleted (its"
                        + " offsets end at " + end + "): where the prediction log's copy resumes is unknown; give"
                        + " prediction-log.kafka-topic a new topic", Map.of("topic", partition.topic()));
            }
            consumer.seek(partition, end - 1);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            ConsumerRecord<byte[], byte[]> last = null;
            while (last == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    last = r;
                }
            }
            if (last == null) {
                throw failure("Reading the last record of [" + partition + "]", new IllegalStateException("no record arrived within "
                        + READ_TIMEOUT.toSeconds() + " s"));
            }
            return OptionalLong.of(batchOf(last));
        } catch (SeerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure("Reading the last record of [" + partition + "]", e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofMillis(DELIVERY_TIMEOUT_MS));
    }

    static byte[] key(long batch) {
        return Long.toString(batch).getBytes(StandardCharsets.US_ASCII);
    }

    private long batchOf(ConsumerRecord<byte[], byte[]> r) {
        String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new SeerException(ServingErrorCode.LOG_FAILURE, "The last record of [" + partition + "] (offset " + r.offset()
                    + ") is not a prediction log batch: its key is not a batch number", Map.of("topic", partition.topic()), e);
        }
    }

    private static SeerException failure(String what, Throwable e) {
        return new SeerException(ServingErrorCode.LOG_FAILURE, what + " failed: " + e.getMessage(), Map.of(), e);
    }
}

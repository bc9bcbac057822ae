package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.features.stream.KafkaClients;
import java.util.Properties;

/**
 * The Kafka clients of stream scoring, of feedback from a topic and of the prediction log's copy,
 * on the cluster of the {@code kafka} section (the embedded broker, which the feature store's
 * {@code Streaming} starts on first need, or the configured cluster with its
 * {@code kafka.properties}). Each role is one of the feature store's {@link KafkaClients}, so the
 * settings Seer owns are set in one place; only what serving needs otherwise is added here, with
 * why.
 *
 * @param partitions partitions of a topic Seer creates (an output topic, the dead-letter topic)
 * @param deadLetterTopic where refused records go, with headers naming where they came from and why
 */
record ServingKafka(KafkaClients clients, int partitions, String deadLetterTopic) {
    ServingKafka {
        requireNonNull(clients, "clients is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
    }

    String bootstrap() {
        return clients.bootstrap();
    }

    /**
     * A consumer of committed records whose offsets Seer commits itself: with the scored outputs
     * in their transaction, or after the feedback store has recorded.
     */
    Properties consumer(String group) {
        Properties p = clients.groupConsumer(group);
        // A poll is scored in one predict call (logged durably first) and committed in one
        // transaction, or recorded in one store transaction: smaller polls than ingestion's keep
        // each well inside the transaction timeout and the first output soon after its input.
        p.put("max.poll.records", "500");
        return p;
    }

    /** The transactional producer of a scoring consumer: outputs, dead letters and offsets commit together. */
    Properties transactionalProducer(String transactionalId) {
        Properties p = clients.transactionalProducer(transactionalId);
        waitLittle(p);
        return p;
    }

    /** The idempotent producer of feedback's dead letters and of the prediction log's copy. */
    Properties producer() {
        Properties p = clients.deadLetterProducer();
        waitLittle(p);
        return p;
    }

    /**
     * A poll of a consumer, or a prediction's answer, waits on these sends: send at once, and fail
     * within 10 s (for the consumer to read the poll again) rather than block a minute while the
     * broker is away.
     */
    private static void waitLittle(Properties p) {
        p.put("linger.ms", "0");
        p.put("max.block.ms", "10000");
    }

    /** A consumer outside any group, of a partition it assigns itself: the prediction log's replica reads its last record. */
    Properties reader() {
        // read-committed, as every reader: the copy's producer is not transactional, so its end is the same
        Properties p = clients.reader();
        // the calls the replica gives no timeout of its own give up with its READ_TIMEOUT (15 s), not Kafka's minute
        p.put("default.api.timeout.ms", "15000");
        return p;
    }

    Properties admin() {
        return clients.admin();
    }
}

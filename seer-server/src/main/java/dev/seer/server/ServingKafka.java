package dev.seer.server;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of stream scoring and of feedback from a topic, on the cluster of the
 * {@code kafka} section (the embedded broker, which the feature store's {@code Streaming} starts on
 * first need, or the configured cluster with its {@code kafka.properties}). Settings follow the
 * feature store's clients: the cluster's address, then the configured client settings (which may
 * not touch what Seer owns: that is refused when {@code seer.yaml} is read), then the role's.
 *
 * @param partitions partitions of a topic Seer creates (an output topic, the dead-letter topic)
 * @param deadLetterTopic where refused records go, with headers naming where they came from and why
 */
record ServingKafka(String bootstrap, Map<String, String> properties, int partitions, String deadLetterTopic) {
    ServingKafka {
        requireNonNull(bootstrap, "bootstrap is null");
        properties = Map.copyOf(properties);
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
    }

    /**
     * A consumer of committed records whose offsets Seer commits itself: with the scored outputs
     * in their transaction, or after the feedback store has recorded.
     */
    Properties consumer(String group) {
        Properties p = common();
        p.put("group.id", group);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", "500");
        p.put("group.protocol", "consumer"); // KIP-848, as stream ingestion: no group-wide rebalance barrier
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The transactional producer of a scoring consumer: outputs, dead letters and offsets commit together. */
    Properties transactionalProducer(String transactionalId) {
        Properties p = producer();
        p.put("transactional.id", transactionalId);
        // A process killed mid-transaction must not hold back readers of the output topic for long.
        p.put("transaction.timeout.ms", "10000");
        return p;
    }

    /** The idempotent producer of feedback's dead letters. */
    Properties producer() {
        Properties p = common();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        p.put("max.block.ms", "10000");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    /** A consumer outside any group, of a partition it assigns itself: the prediction log's replica reads its last record. */
    Properties reader() {
        Properties p = common();
        p.put("enable.auto.commit", "false");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("default.api.timeout.ms", "15000");
        return p;
    }

    Properties admin() {
        Properties p = common();
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "10000");
        return p;
    }

    private Properties common() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.putAll(properties);
        return p;
    }
}

package dev.seer.features.stream;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings of every Kafka client Seer makes, in one place and one order: the cluster's
 * address, then the {@code kafka.properties} of {@code seer.yaml} (TLS, SASL, timeouts of a real
 * cluster), then what the role needs. The settings Seer's correctness rests on (exactly-once
 * reading and writing, its own offsets, its own (de)serializers) cannot be given in
 * {@code kafka.properties}: such a key is refused when the configuration is read, naming it.
 * The embedded broker is plain local Kafka, so {@code kafka.properties} apply only to a
 * configured cluster. Public for the Kafka clients outside the feature store (serving's stream
 * scoring, feedback from a topic and the prediction log's copy), which build on the same roles.
 */
public final class KafkaClients {
    /** What {@code kafka.properties} may not set, because a role below sets it. */
    static final Set<String> OWNED = Set.of("bootstrap.servers", "group.id", "group.protocol", "isolation.level",
            "enable.auto.commit", "auto.offset.reset", "acks", "enable.idempotence", "transactional.id",
            "transaction.timeout.ms", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "application.id", "processing.guarantee", "state.dir");

    private final String bootstrap;
    private final Map<String, String> properties;

    KafkaClients(String bootstrap, Map<String, String> properties) {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
        this.properties = Map.copyOf(properties);
        refuseOwned(properties);
    }

    /** The clients of the configured cluster, or of the embedded broker at {@code embedded}. */
    public static KafkaClients of(KafkaConfig config, String embedded) {
        return config.embedded() ? new KafkaClients(embedded, Map.of()) : new KafkaClients(config.bootstrap(), config.properties());
    }

    /** Fails on a {@code kafka.properties} key that Seer owns, before anything starts. */
    static void refuseOwned(Map<String, String> properties) {
        Set<String> owned = new TreeSet<>(properties.keySet());
        owned.retainAll(OWNED);
        if (!owned.isEmpty()) {
            String key = "kafka.properties." + owned.iterator().next();
            throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "Config key [" + key + "] sets a Kafka client"
                    + " setting that Seer owns; remove it. Owned: " + new TreeSet<>(OWNED), Map.of("key", key));
        }
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The consumer of a source's ingestion: a {@link #groupConsumer} with large polls and text keys. */
    Properties ingestionConsumer(String group) {
        Properties p = groupConsumer(group);
        p.put("max.poll.records", "5000");
        p.put("key.deserializer", StringDeserializer.class.getName());
        return p;
    }

    /**
     * A consumer in {@code group} of committed records only, from the start of a topic the group
     * has not read, whose offsets Seer commits itself once what it read is durable; keys and values
     * as bytes.
     */
    public Properties groupConsumer(String group) {
        Properties p = common();
        p.put("group.id", group);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        // The consumer group protocol of KIP-848: the broker assigns partitions incrementally, so a
        // member that dies costs its own partitions a session timeout (a broker setting), and the
        // others keep consuming instead of waiting at a group-wide rebalance barrier.
        p.put("group.protocol", "consumer");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A consumer without a group, for reading a topic's offsets or committed records on request. */
    public Properties reader() {
        Properties p = common();
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The idempotent producer of dead letters; keys and values as bytes. */
    public Properties deadLetterProducer() {
        Properties p = common();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    /** A transactional producer of pushed records: a {@link #transactionalProducer} tuned for many small pushes, text keys. */
    Properties pushProducer(String transactionalId) {
        Properties p = transactionalProducer(transactionalId);
        p.put("linger.ms", "0");
        // The next transaction's first send waits for the previous commit's markers, retrying on
        // CONCURRENT_TRANSACTIONS: at the default backoff (100 ms) that wait dominated a push.
        p.put("retry.backoff.ms", "5");
        p.put("retry.backoff.max.ms", "50");
        p.put("max.block.ms", "10000");
        p.put("key.serializer", StringSerializer.class.getName());
        return p;
    }

    /** A transactional producer with id {@code transactionalId}; keys and values as bytes. */
    public Properties transactionalProducer(String transactionalId) {
        Properties p = deadLetterProducer();
        p.put("transactional.id", transactionalId);
        // A process that dies mid-transaction must not hold back readers of the topic for long.
        p.put("transaction.timeout.ms", "10000");
        return p;
    }

    /** The admin client that lists and creates topics. */
    public Properties admin() {
        Properties p = common();
        p.put("request.timeout.ms", "10000");
        p.put("default.api.timeout.ms", "10000");
        return p;
    }

    /**
     * The base of a Kafka Streams application; Kafka Streams hands unprefixed client settings to
     * its consumers, producers and admin client, so {@code kafka.properties} reach all of them.
     */
    Properties streams() {
        return common();
    }

    private Properties common() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.putAll(properties);
        return p;
    }
}

package dev.seer.features.stream;

import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import java.util.Map;

/**
 * The Kafka cluster of push and kafka sources: the {@code kafka} section. {@code bootstrap}
 * empty: the embedded single-node broker in the home. {@code properties} are client settings
 * passed on to every Kafka client of a configured cluster (TLS, SASL); see {@link KafkaClients}.
 */
public record KafkaConfig(String bootstrap, int partitions, Map<String, String> properties) {
    public static final ConfigKey BOOTSTRAP = new ConfigKey("kafka.bootstrap", ConfigType.STRING, "",
            "Kafka cluster of push and kafka sources (host:port,...). Empty: a single-node broker with its data in"
                    + " the home, started by the server when a streaming source is defined.");
    public static final ConfigKey PARTITIONS = new ConfigKey("kafka.partitions", ConfigType.POSITIVE_INT, 4,
            "Partitions of the topics Seer creates (push sources, dead letters).");
    public static final ConfigKey PROPERTIES = new ConfigKey("kafka.properties", ConfigType.PROPERTIES, Map.of(),
            "Kafka client settings passed to every client Seer makes for a configured cluster, e.g."
                    + " security.protocol: SASL_SSL, sasl.mechanism, ssl.truststore.location. Settings Seer owns"
                    + " (group.id, isolation.level, enable.auto.commit, acks, transactional.id, ...) are refused;"
                    + " a few tunings Seer sets for one client override yours there (README)."
                    + " As variables: SEER_KAFKA_PROPERTIES_SASL_MECHANISM is sasl.mechanism.");
    public static final ConfigSection<KafkaConfig> SECTION = ConfigSection.of("kafka",
            v -> new KafkaConfig(v.text(BOOTSTRAP), v.number(PARTITIONS), v.properties(PROPERTIES)),
            BOOTSTRAP, PARTITIONS, PROPERTIES);

    /** Refuses a setting Seer owns, naming it, so a bad {@code seer.yaml} fails when it is read. */
    public KafkaConfig {
        properties = Map.copyOf(properties);
        KafkaClients.refuseOwned(properties);
    }

    public KafkaConfig(String bootstrap, int partitions) {
        this(bootstrap, partitions, Map.of());
    }

    public boolean embedded() {
        return bootstrap.isBlank();
    }
}

package dev.seer.core.config;

import java.util.List;
import java.util.Map;

/** Every key {@code seer.yaml} accepts. Adding a key here and to {@link SeerConfig} is all it takes. */
public final class ConfigKeys {
    public static final ConfigKey SERVER_HOST = new ConfigKey("server.host", ConfigType.STRING, "127.0.0.1",
            "Address the server listens on.");
    public static final ConfigKey SERVER_PORT = new ConfigKey("server.port", ConfigType.PORT, 7070,
            "Port the server listens on; 0 picks a free port.");
    public static final ConfigKey METADATA_URL = new ConfigKey("metadata.url", ConfigType.STRING, "",
            "JDBC URL of the metadata store. Empty: a SQLite file (metadata.db) in the home. "
                    + "A jdbc:postgresql:// URL uses PostgreSQL.");
    public static final ConfigKey METADATA_USERNAME = new ConfigKey("metadata.username", ConfigType.STRING, "",
            "User name for a PostgreSQL metadata store.");
    public static final ConfigKey METADATA_PASSWORD = new ConfigKey("metadata.password", ConfigType.STRING, "",
            "Password for a PostgreSQL metadata store; prefer the SEER_METADATA_PASSWORD variable.");
    public static final ConfigKey METADATA_POOL_SIZE = new ConfigKey("metadata.pool-size", ConfigType.POSITIVE_INT, 4,
            "Most connections the metadata store opens.");
    public static final ConfigKey AUDIT_BATCH_MAX_ENTRIES = new ConfigKey("audit.batch-max-entries",
            ConfigType.POSITIVE_INT, 1000,
            "Most audit entries committed in one transaction (group commit).");
    public static final ConfigKey AUDIT_QUEUE_CAPACITY = new ConfigKey("audit.queue-capacity",
            ConfigType.POSITIVE_INT, 100_000,
            "Most audit entries waiting to be committed; appenders wait when it is full.");

    public static final ConfigKey ONLINE_TYPE = new ConfigKey("online.type", ConfigType.ONLINE_STORE, "rocksdb",
            "The online store: rocksdb (in the home) or redis.");
    public static final ConfigKey ONLINE_REDIS_URL = new ConfigKey("online.redis-url", ConfigType.STRING,
            "redis://127.0.0.1:6379", "Where Redis listens, when online.type is redis.");
    public static final ConfigKey ONLINE_REDIS_PREFIX = new ConfigKey("online.redis-prefix", ConfigType.STRING, "seer:",
            "Prefix of every Redis key of this home, so that several homes can share one Redis.");

    public static final ConfigKey KAFKA_BOOTSTRAP = new ConfigKey("kafka.bootstrap", ConfigType.STRING, "",
            "Kafka cluster of push and kafka sources (host:port,...). Empty: a single-node broker with its data in"
                    + " the home, started by the server when a streaming source is defined.");
    public static final ConfigKey KAFKA_PARTITIONS = new ConfigKey("kafka.partitions", ConfigType.POSITIVE_INT, 4,
            "Partitions of the topics Seer creates (push sources, dead letters).");

    public static final ConfigKey KAFKA_PROPERTIES = new ConfigKey("kafka.properties", ConfigType.PROPERTIES, Map.of(),
            "Kafka client settings passed to every client Seer makes for a configured cluster, e.g."
                    + " security.protocol: SASL_SSL, sasl.mechanism, ssl.truststore.location. Settings Seer owns"
                    + " (group.id, isolation.level, enable.auto.commit, acks, transactional.id, ...) are refused;"
                    + " a few tunings Seer sets for one client override yours there (README)."
                    + " As variables: SEER_KAFKA_PROPERTIES_SASL_MECHANISM is sasl.mechanism.");

    public static final ConfigKey FILES_ROOTS = new ConfigKey("files.roots", ConfigType.ABSOLUTE_PATHS, "",
            "Server folders that requests may name as inputs or outputs (absolute, comma-separated), besides the"
                    + " home's own files/ folder, which is always one. Any other path in a request is refused (403);"
                    + " remote callers upload inputs and download outputs instead.");
    public static final ConfigKey FILES_MAX_UPLOAD_MB = new ConfigKey("files.max-upload-mb", ConfigType.POSITIVE_INT, 1024,
            "Largest upload the server accepts in one request, in MiB; a larger one is refused with 413.");

    public static final List<ConfigKey> ALL = List.of(
            SERVER_HOST, SERVER_PORT,
            METADATA_URL, METADATA_USERNAME, METADATA_PASSWORD, METADATA_POOL_SIZE,
            AUDIT_BATCH_MAX_ENTRIES, AUDIT_QUEUE_CAPACITY,
            ONLINE_TYPE, ONLINE_REDIS_URL, ONLINE_REDIS_PREFIX,
            KAFKA_BOOTSTRAP, KAFKA_PARTITIONS, KAFKA_PROPERTIES,
            FILES_ROOTS, FILES_MAX_UPLOAD_MB);

    private ConfigKeys() {}
}

package dev.seer.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The typed configuration of one Seer home: {@code seer.yaml} with {@code SEER_*} environment
 * overrides applied. Immutable; built once at start-up, invalid input fails there.
 */
public record SeerConfig(Server server, Metadata metadata, Audit audit, Online online, Kafka kafka, Files files) {
    public SeerConfig {
        requireNonNull(files, "files is null");
        requireNonNull(server, "server is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(audit, "audit is null");
        requireNonNull(online, "online is null");
        requireNonNull(kafka, "kafka is null");
    }

    /** A configuration with the default {@link Files} section. */
    public SeerConfig(Server server, Metadata metadata, Audit audit, Online online, Kafka kafka) {
        this(server, metadata, audit, online, kafka, Files.DEFAULTS);
    }

    /** The same configuration with another server section (tests and tools pick their own port). */
    public SeerConfig withServer(Server other) {
        return new SeerConfig(other, metadata, audit, online, kafka, files);
    }

    /** The same configuration with another files section. */
    public SeerConfig withFiles(Files other) {
        return new SeerConfig(server, metadata, audit, online, kafka, other);
    }

    /**
     * Where requests may name server files: {@code roots} are absolute folders besides the
     * home's own {@code files/}; {@code maxUploadMb} bounds one request's uploads.
     */
    public record Files(List<String> roots, int maxUploadMb) {
        static final Files DEFAULTS = new Files(List.of(), 1024);

        public Files {
            roots = List.copyOf(roots);
        }

        public long maxUploadBytes() {
            return maxUploadMb * 1024L * 1024L;
        }
    }

    /**
     * {@code bootstrap} empty: the embedded single-node broker in the home. {@code properties}
     * are client settings passed on to every Kafka client (TLS, SASL).
     */
    public record Kafka(String bootstrap, int partitions, Map<String, String> properties) {
        public Kafka {
            properties = Map.copyOf(properties);
        }

        public Kafka(String bootstrap, int partitions) {
            this(bootstrap, partitions, Map.of());
        }

        public boolean embedded() {
            return bootstrap.isBlank();
        }
    }

    /** {@code type} is {@code rocksdb} or {@code redis}; Redis keys start with {@code redisPrefix}. */
    public record Online(String type, String redisUrl, String redisPrefix) {}

    public record Server(String host, int port) {}

    /** {@code url} is empty for the embedded SQLite store. */
    public record Metadata(String url, String username, String password, int poolSize) {
        @Override
        public String toString() {
            return "Metadata[url=" + url + ", username=" + username + ", password=***, poolSize=" + poolSize + "]";
        }
    }

    public record Audit(int batchMaxEntries, int queueCapacity) {}

    public static SeerConfig defaults() {
        return fromValues(ConfigLoader.defaults());
    }

    /** Reads {@code file} (which may be absent) and applies overrides from {@code environment}. */
    public static SeerConfig load(Path file, Map<String, String> environment) {
        return fromValues(ConfigLoader.load(file, environment));
    }

    static SeerConfig fromValues(Map<ConfigKey, Object> values) {
        return new SeerConfig(
                new Server((String) values.get(ConfigKeys.SERVER_HOST), (Integer) values.get(ConfigKeys.SERVER_PORT)),
                new Metadata(
                        (String) values.get(ConfigKeys.METADATA_URL),
                        (String) values.get(ConfigKeys.METADATA_USERNAME),
                        (String) values.get(ConfigKeys.METADATA_PASSWORD),
                        (Integer) values.get(ConfigKeys.METADATA_POOL_SIZE)),
                new Audit(
                        (Integer) values.get(ConfigKeys.AUDIT_BATCH_MAX_ENTRIES),
                        (Integer) values.get(ConfigKeys.AUDIT_QUEUE_CAPACITY)),
                new Online((String) values.get(ConfigKeys.ONLINE_TYPE), (String) values.get(ConfigKeys.ONLINE_REDIS_URL),
                        (String) values.get(ConfigKeys.ONLINE_REDIS_PREFIX)),
                new Kafka((String) values.get(ConfigKeys.KAFKA_BOOTSTRAP), (Integer) values.get(ConfigKeys.KAFKA_PARTITIONS),
                        properties(values.get(ConfigKeys.KAFKA_PROPERTIES))),
                new Files(roots((String) values.get(ConfigKeys.FILES_ROOTS)), (Integer) values.get(ConfigKeys.FILES_MAX_UPLOAD_MB)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> properties(Object value) {
        return (Map<String, String>) value;
    }

    private static List<String> roots(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(","));
    }

    /** The text of a fresh {@code seer.yaml}: every key, commented out at its default. */
    public static String defaultYaml() {
        StringBuilder out = new StringBuilder("# Seer configuration. Every key is listed at its default.\n"
                + "# Any key can also be set by an environment variable: server.port -> SEER_SERVER_PORT.\n");
        String section = "";
        for (ConfigKey key : ConfigKeys.ALL) {
            String[] parts = key.name().split("\\.", 2);
            if (!parts[0].equals(section)) {
                section = parts[0];
                out.append('\n').append(section).append(":\n");
            }
            out.append("  # ").append(key.description()).append('\n');
            out.append("  # ").append(parts[1]).append(": ").append(yamlScalar(key.defaultValue())).append('\n');
        }
        return out.toString();
    }

    private static String yamlScalar(Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}

package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigType;
import dev.seer.core.config.SeerConfig;
import dev.seer.features.online.OnlineConfig;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.MetadataConfig;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.core.home.SeerHome;
import dev.seer.serving.online.OnlineOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeerConfigTest {
    @TempDir
    Path dir;

    @Test
    void pinsEveryKeyItsTypeAndDefault() {
        assertThat(ConfigSections.ALL.stream().flatMap(s -> s.keys().stream()).toList())
                .extracting(ConfigKey::name, ConfigKey::type, ConfigKey::defaultValue, ConfigKey::environmentVariable)
                .containsExactly(
                        tuple("server.host", ConfigType.STRING, "127.0.0.1", "SEER_SERVER_HOST"),
                        tuple("server.port", ConfigType.PORT, 7070, "SEER_SERVER_PORT"),
                        tuple("server.max-predictions-in-flight", ConfigType.POSITIVE_INT, 128,
                                "SEER_SERVER_MAX_PREDICTIONS_IN_FLIGHT"),
                        tuple("metadata.url", ConfigType.STRING, "", "SEER_METADATA_URL"),
                        tuple("metadata.username", ConfigType.STRING, "", "SEER_METADATA_USERNAME"),
                        tuple("metadata.password", ConfigType.STRING, "", "SEER_METADATA_PASSWORD"),
                        tuple("metadata.pool-size", ConfigType.POSITIVE_INT, 4, "SEER_METADATA_POOL_SIZE"),
                        tuple("audit.batch-max-entries", ConfigType.POSITIVE_INT, 1000, "SEER_AUDIT_BATCH_MAX_ENTRIES"),
                        tuple("audit.queue-capacity", ConfigType.POSITIVE_INT, 100_000, "SEER_AUDIT_QUEUE_CAPACITY"),
                        tuple("online.type", ConfigType.STRING, "rocksdb", "SEER_ONLINE_TYPE"),
                        tuple("online.redis-url", ConfigType.STRING, "redis://127.0.0.1:6379", "SEER_ONLINE_REDIS_URL"),
                        tuple("online.redis-prefix", ConfigType.STRING, "seer:", "SEER_ONLINE_REDIS_PREFIX"),
                        tuple("kafka.bootstrap", ConfigType.STRING, "", "SEER_KAFKA_BOOTSTRAP"),
                        tuple("kafka.partitions", ConfigType.POSITIVE_INT, 4, "SEER_KAFKA_PARTITIONS"),
                        tuple("kafka.properties", ConfigType.PROPERTIES, Map.of(), "SEER_KAFKA_PROPERTIES"),
                        tuple("files.roots", ConfigType.ABSOLUTE_PATHS, "", "SEER_FILES_ROOTS"),
                        tuple("files.max-upload-mb", ConfigType.POSITIVE_INT, 1024, "SEER_FILES_MAX_UPLOAD_MB"),
                        tuple("prediction-log.segment-mb", ConfigType.POSITIVE_INT, 64, "SEER_PREDICTION_LOG_SEGMENT_MB"),
                        tuple("prediction-log.queue-capacity", ConfigType.POSITIVE_INT, 10_000,
                                "SEER_PREDICTION_LOG_QUEUE_CAPACITY"),
                        tuple("prediction-log.queue-mb", ConfigType.POSITIVE_INT, 64, "SEER_PREDICTION_LOG_QUEUE_MB"),
                        tuple("prediction-log.batch-mb", ConfigType.POSITIVE_INT, 4, "SEER_PREDICTION_LOG_BATCH_MB"),
                        tuple("prediction-log.answer-after", ConfigType.STRING, "sync", "SEER_PREDICTION_LOG_ANSWER_AFTER"),
                        tuple("prediction-log.sync-interval-ms", ConfigType.POSITIVE_INT, 100,
                                "SEER_PREDICTION_LOG_SYNC_INTERVAL_MS"),
                        tuple("prediction-log.kafka-topic", ConfigType.STRING, "", "SEER_PREDICTION_LOG_KAFKA_TOPIC"),
                        tuple("feedback.topic", ConfigType.STRING, "", "SEER_FEEDBACK_TOPIC"),
                        tuple("online-learning.snapshot-every", ConfigType.STRING, "PT1H",
                                "SEER_ONLINE_LEARNING_SNAPSHOT_EVERY"),
                        tuple("online-learning.snapshot-min-updates", ConfigType.POSITIVE_INT, 100,
                                "SEER_ONLINE_LEARNING_SNAPSHOT_MIN_UPDATES"),
                        tuple("monitoring.window", ConfigType.STRING, "PT1H", "SEER_MONITORING_WINDOW"),
                        tuple("monitoring.grace", ConfigType.STRING, "PT10S", "SEER_MONITORING_GRACE"),
                        tuple("monitoring.reservoir-size", ConfigType.POSITIVE_INT, 10_000, "SEER_MONITORING_RESERVOIR_SIZE"),
                        tuple("monitoring.catch-up", ConfigType.STRING, "P7D", "SEER_MONITORING_CATCH_UP"),
                        tuple("monitoring.webhooks.urls", ConfigType.STRING, "", "SEER_MONITORING_WEBHOOKS_URLS"),
                        tuple("monitoring.webhooks.allowed-hosts", ConfigType.STRING, "",
                                "SEER_MONITORING_WEBHOOKS_ALLOWED_HOSTS"));
    }

    @Test
    void onlineSnapshotsRunOnAnIsoDurationOfAtLeastASecond() {
        assertThat(ConfigSections.defaults().section(OnlineOptions.SECTION))
                .isEqualTo(new OnlineOptions(Duration.ofHours(1), 100));
        SeerConfig config = SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_ONLINE_LEARNING_SNAPSHOT_EVERY", "PT5M",
                "SEER_ONLINE_LEARNING_SNAPSHOT_MIN_UPDATES", "20"), ConfigSections.ALL);
        assertThat(config.section(OnlineOptions.SECTION)).isEqualTo(new OnlineOptions(Duration.ofMinutes(5), 20));
        for (String bad : List.of("hourly", "PT0.5S", "-PT1H")) {
            assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_ONLINE_LEARNING_SNAPSHOT_EVERY",
                    bad), ConfigSections.ALL).section(OnlineOptions.SECTION)).as(bad).isInstanceOf(SeerException.class)
                    .hasMessageContaining("online-learning.snapshot-every");
        }
    }

    @Test
    void monitoringWindowsAreAWholeDivisorOfADayAndTheirSettingsBounded() {
        assertThat(ConfigSections.defaults().section(MonitoringOptions.SECTION)).isEqualTo(MonitoringOptions.DEFAULTS);
        SeerConfig config = SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_MONITORING_WINDOW", "PT15M",
                "SEER_MONITORING_GRACE", "PT0S", "SEER_MONITORING_RESERVOIR_SIZE", "500", "SEER_MONITORING_CATCH_UP", "P1D"),
                ConfigSections.ALL);
        assertThat(config.section(MonitoringOptions.SECTION)).isEqualTo(new MonitoringOptions(Duration.ofMinutes(15),
                Duration.ZERO, 500, Duration.ofDays(1)));
        Map<String, String> bad = Map.of("SEER_MONITORING_WINDOW", "PT7M", "SEER_MONITORING_GRACE", "PT1H",
                "SEER_MONITORING_RESERVOIR_SIZE", "2000000", "SEER_MONITORING_CATCH_UP", "hourly");
        bad.forEach((variable, value) -> assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of(variable,
                value), ConfigSections.ALL).section(MonitoringOptions.SECTION)).as(variable).isInstanceOf(SeerException.class)
                .hasMessageContaining("monitoring."));
    }

    @Test
    void defaultsBindToTheTypedConfig() {
        SeerConfig defaults = ConfigSections.defaults();
        assertThat(defaults.section(ServerConfig.SECTION)).isEqualTo(new ServerConfig("127.0.0.1", 7070));
        assertThat(defaults.section(MetadataConfig.SECTION)).isEqualTo(new MetadataConfig("", "", "", 4));
        assertThat(defaults.section(AuditConfig.SECTION)).isEqualTo(new AuditConfig(1000, 100_000));
        assertThat(defaults.section(OnlineConfig.SECTION)).isEqualTo(new OnlineConfig("rocksdb", "redis://127.0.0.1:6379", "seer:"));
        assertThat(defaults.section(KafkaConfig.SECTION)).isEqualTo(new KafkaConfig("", 4));
        assertThat(defaults.section(FilesConfig.SECTION)).isEqualTo(new FilesConfig(List.of(), 1024));
        assertThat(defaults.section(dev.seer.serving.feedback.FeedbackOptions.SECTION))
                .isEqualTo(new dev.seer.serving.feedback.FeedbackOptions(Optional.empty()));
    }

    @Test
    void aFeedbackTopicThatKafkaWouldRefuseFailsWhenTheConfigIsRead() {
        SeerConfig config = SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FEEDBACK_TOPIC", "outcomes.v1"),
                ConfigSections.ALL);
        assertThat(config.section(dev.seer.serving.feedback.FeedbackOptions.SECTION).topic()).contains("outcomes.v1");
        for (String bad : List.of("out comes", "a/b", "..", "__consumer_offsets", "x".repeat(250))) {
            assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FEEDBACK_TOPIC", bad),
                    ConfigSections.ALL).section(dev.seer.serving.feedback.FeedbackOptions.SECTION))
                    .as(bad).isInstanceOf(SeerException.class).hasMessageContaining("feedback.topic");
        }
    }

    @Test
    void fileRootsAreAbsoluteFoldersSeparatedByCommas() {
        SeerConfig config = SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FILES_ROOTS", " /data/in , /data/out,"), ConfigSections.ALL);
        assertThat(config.section(FilesConfig.SECTION).roots()).containsExactly("/data/in", "/data/out");
        assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FILES_ROOTS", "/data,relative/x"), ConfigSections.ALL))
                .isInstanceOf(SeerException.class).hasMessageContaining("files.roots")
                .hasMessageContaining("absolute folders separated by commas");
    }

    @Test
    void theDefaultFileParsesToTheDefaults() throws IOException {
        Path file = write(ConfigSections.defaultYaml());
        assertThat(SeerConfig.load(file, Map.of(), ConfigSections.ALL)).isEqualTo(ConfigSections.defaults());
        assertThat(ConfigSections.defaultYaml()).contains("# port: 7070", "# pool-size: 4");
    }

    @Test
    void aMissingFileGivesTheDefaults() {
        assertThat(SeerConfig.load(dir.resolve("absent.yaml"), Map.of(), ConfigSections.ALL)).isEqualTo(ConfigSections.defaults());
    }

    @Test
    void fileValuesAndEnvironmentOverridesApplyInThatOrder() throws IOException {
        Path file = write("server:\n  port: 8080\n  host: 0.0.0.0\naudit:\n  batch-max-entries: 64\n");
        SeerConfig config = SeerConfig.load(file, Map.of("SEER_SERVER_PORT", "9090", "PATH", "/bin"), ConfigSections.ALL);
        assertThat(config.section(ServerConfig.SECTION)).isEqualTo(new ServerConfig("0.0.0.0", 9090));
        assertThat(config.section(AuditConfig.SECTION).batchMaxEntries()).isEqualTo(64);
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        Path file = write("server:\n  port: 8080\n  host: [unclosed\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("not valid YAML at line 4 (key [server.host])")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_MALFORMED));
        Path tabs = write("audit:\n  batch-max-entries: 10\n\tqueue-capacity: 5\n");
        assertThatThrownBy(() -> SeerConfig.load(tabs, Map.of(), ConfigSections.ALL))
                .hasMessageContaining("not valid YAML at line 3 (key [audit.batch-max-entries])");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() throws IOException {
        Path file = write("server:\n  port: 8080\n  prot: 1\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown key [server.prot]")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_UNKNOWN_KEY));
    }

    @Test
    void anUnknownSectionIsAnUnknownKey() throws IOException {
        Path file = write("servr:\n  port: 8080\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL)).hasMessageContaining("unknown key [servr]")
                .hasMessageContaining("line 1");
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyLineAndExpectation() throws IOException {
        Path file = write("server:\n  host: localhost\n  port: eighty\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL))
                .hasMessageContaining("[server.port]")
                .hasMessageContaining(":3")
                .hasMessageContaining("[eighty]")
                .hasMessageContaining("port number");
    }

    @Test
    void aDuplicateKeyIsRejected() throws IOException {
        Path file = write("server:\n  port: 1\n  port: 2\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL)).hasMessageContaining("appears twice")
                .hasMessageContaining("line 3");
    }

    @Test
    void aBadEnvironmentValueAndAnUnknownVariableAreRejected() {
        Path absent = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> SeerConfig.load(absent, Map.of("SEER_METADATA_POOL_SIZE", "0"), ConfigSections.ALL))
                .hasMessageContaining("environment variable SEER_METADATA_POOL_SIZE");
        assertThatThrownBy(() -> SeerConfig.load(absent, Map.of("SEER_SERVER_PROT", "1"), ConfigSections.ALL))
                .hasMessageContaining("[SEER_SERVER_PROT] names no config key");
        assertThat(SeerConfig.load(absent, Map.of("SEER_HOME", "/x", "SEER_TOKEN", "t"), ConfigSections.ALL)).isEqualTo(ConfigSections.defaults());
    }

    @Test
    void theOnlineStoreTypeIsOneTheWiringKnows() throws IOException {
        SeerHome home = SeerHome.create(dir.resolve("home"), ConfigSections.ALL);
        Files.writeString(home.configFile(), "server:\n  port: 0\nonline:\n  type: memcached\n");
        SeerConfig config = ConfigSections.load(home, Map.of());
        assertThatThrownBy(() -> SeerServices.open(home, config, Clock.systemUTC()))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("Config key [online.type] at " + home.configFile() + ":4 has value [memcached]")
                .hasMessageContaining("expected one of [redis, rocksdb]")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_INVALID_VALUE));
        SeerConfig fromEnvironment = ConfigSections.load(home, Map.of("SEER_ONLINE_TYPE", "memcached"));
        assertThatThrownBy(() -> SeerServices.open(home, fromEnvironment, Clock.systemUTC()))
                .hasMessageContaining("[online.type] at environment variable SEER_ONLINE_TYPE");
        assertThat(ConfigSections.load(home, Map.of("SEER_ONLINE_TYPE", "redis")).section(OnlineConfig.SECTION).type())
                .isEqualTo("redis");
    }

    @Test
    void aModuleSectionIsReadFromTheFileWithEnvironmentOverrides() throws IOException {
        Path file = write("online:\n  type: redis\n  redis-url: redis://cache:6379\n  redis-prefix: \"a:\"\n");
        SeerConfig config = SeerConfig.load(file, Map.of("SEER_ONLINE_REDIS_PREFIX", "b:"), ConfigSections.ALL);
        assertThat(config.section(OnlineConfig.SECTION)).isEqualTo(new OnlineConfig("redis", "redis://cache:6379", "b:"));
        assertThat(config.where(OnlineConfig.REDIS_URL)).isEqualTo(file + ":3");
        assertThat(config.where(OnlineConfig.REDIS_PREFIX)).isEqualTo("environment variable SEER_ONLINE_REDIS_PREFIX");
        assertThat(config.where(OnlineConfig.TYPE)).isEqualTo(file + ":2");
        assertThat(config.where(MetadataConfig.URL)).isEqualTo("its default");
    }

    @Test
    void anUnknownKeyInAModuleSectionIsNamedWithItsLine() throws IOException {
        Path file = write("server:\n  port: 8080\nonline:\n  type: redis\n  redis-urll: redis://cache:6379\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), ConfigSections.ALL))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("Config file [" + file + "] line 5: unknown key [online.redis-urll]")
                .hasMessageContaining("online.redis-url")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_UNKNOWN_KEY));
        assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_ONLINE_REDIS_URLL", "x"),
                ConfigSections.ALL)).hasMessageContaining("[SEER_ONLINE_REDIS_URLL] names no config key");
    }

    @Test
    void aSectionTheWiringDidNotDeclareIsRefused() {
        SeerConfig onlyServer = SeerConfig.defaults(List.of(ServerConfig.SECTION));
        assertThat(onlyServer.section(ServerConfig.SECTION).port()).isEqualTo(7070);
        assertThatThrownBy(() -> onlyServer.section(OnlineConfig.SECTION))
                .hasMessageContaining("Config section [online] was not declared; declared: [server]");
    }

    @Test
    void thePasswordIsNotPrinted() {
        assertThat(new MetadataConfig("jdbc:postgresql://x/db", "u", "secret", 4).toString()).doesNotContain("secret");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("seer.yaml");
        Files.writeString(file, text);
        return file;
    }
}

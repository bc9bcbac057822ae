package dev.seer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeerConfigTest {
    @TempDir
    Path dir;

    @Test
    void pinsEveryKeyItsTypeAndDefault() {
        assertThat(ConfigKeys.ALL)
                .extracting(ConfigKey::name, ConfigKey::type, ConfigKey::defaultValue, ConfigKey::environmentVariable)
                .containsExactly(
                        tuple("server.host", ConfigType.STRING, "127.0.0.1", "SEER_SERVER_HOST"),
                        tuple("server.port", ConfigType.PORT, 7070, "SEER_SERVER_PORT"),
                        tuple("metadata.url", ConfigType.STRING, "", "SEER_METADATA_URL"),
                        tuple("metadata.username", ConfigType.STRING, "", "SEER_METADATA_USERNAME"),
                        tuple("metadata.password", ConfigType.STRING, "", "SEER_METADATA_PASSWORD"),
                        tuple("metadata.pool-size", ConfigType.POSITIVE_INT, 4, "SEER_METADATA_POOL_SIZE"),
                        tuple("audit.batch-max-entries", ConfigType.POSITIVE_INT, 1000, "SEER_AUDIT_BATCH_MAX_ENTRIES"),
                        tuple("audit.queue-capacity", ConfigType.POSITIVE_INT, 100_000, "SEER_AUDIT_QUEUE_CAPACITY"),
                        tuple("online.type", ConfigType.ONLINE_STORE, "rocksdb", "SEER_ONLINE_TYPE"),
                        tuple("online.redis-url", ConfigType.STRING, "redis://127.0.0.1:6379", "SEER_ONLINE_REDIS_URL"),
                        tuple("online.redis-prefix", ConfigType.STRING, "seer:", "SEER_ONLINE_REDIS_PREFIX"),
                        tuple("kafka.bootstrap", ConfigType.STRING, "", "SEER_KAFKA_BOOTSTRAP"),
                        tuple("kafka.partitions", ConfigType.POSITIVE_INT, 4, "SEER_KAFKA_PARTITIONS"),
                        tuple("kafka.properties", ConfigType.PROPERTIES, Map.of(), "SEER_KAFKA_PROPERTIES"),
                        tuple("files.roots", ConfigType.ABSOLUTE_PATHS, "", "SEER_FILES_ROOTS"),
                        tuple("files.max-upload-mb", ConfigType.POSITIVE_INT, 1024, "SEER_FILES_MAX_UPLOAD_MB"));
    }

    @Test
    void defaultsBindToTheTypedConfig() {
        assertThat(SeerConfig.defaults()).isEqualTo(new SeerConfig(
                new SeerConfig.Server("127.0.0.1", 7070),
                new SeerConfig.Metadata("", "", "", 4),
                new SeerConfig.Audit(1000, 100_000),
                new SeerConfig.Online("rocksdb", "redis://127.0.0.1:6379", "seer:"),
                new SeerConfig.Kafka("", 4),
                new SeerConfig.Files(List.of(), 1024)));
    }

    @Test
    void fileRootsAreAbsoluteFoldersSeparatedByCommas() {
        SeerConfig config = SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FILES_ROOTS", " /data/in , /data/out,"));
        assertThat(config.files().roots()).containsExactly("/data/in", "/data/out");
        assertThatThrownBy(() -> SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_FILES_ROOTS", "/data,relative/x")))
                .isInstanceOf(SeerException.class).hasMessageContaining("files.roots")
                .hasMessageContaining("absolute folders separated by commas");
    }

    @Test
    void theDefaultFileParsesToTheDefaults() throws IOException {
        Path file = write(SeerConfig.defaultYaml());
        assertThat(SeerConfig.load(file, Map.of())).isEqualTo(SeerConfig.defaults());
        assertThat(SeerConfig.defaultYaml()).contains("# port: 7070", "# pool-size: 4");
    }

    @Test
    void aMissingFileGivesTheDefaults() {
        assertThat(SeerConfig.load(dir.resolve("absent.yaml"), Map.of())).isEqualTo(SeerConfig.defaults());
    }

    @Test
    void fileValuesAndEnvironmentOverridesApplyInThatOrder() throws IOException {
        Path file = write("server:\n  port: 8080\n  host: 0.0.0.0\naudit:\n  batch-max-entries: 64\n");
        SeerConfig config = SeerConfig.load(file, Map.of("SEER_SERVER_PORT", "9090", "PATH", "/bin"));
        assertThat(config.server()).isEqualTo(new SeerConfig.Server("0.0.0.0", 9090));
        assertThat(config.audit().batchMaxEntries()).isEqualTo(64);
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        Path file = write("server:\n  port: 8080\n  host: [unclosed\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of()))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("not valid YAML at line 4 (key [server.host])")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_MALFORMED));
        Path tabs = write("audit:\n  batch-max-entries: 10\n\tqueue-capacity: 5\n");
        assertThatThrownBy(() -> SeerConfig.load(tabs, Map.of()))
                .hasMessageContaining("not valid YAML at line 3 (key [audit.batch-max-entries])");
    }

    @Test
    void anUnknownKeyIsNamedWithItsLine() throws IOException {
        Path file = write("server:\n  port: 8080\n  prot: 1\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of()))
                .isInstanceOf(SeerException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("unknown key [server.prot]")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_UNKNOWN_KEY));
    }

    @Test
    void anUnknownSectionIsAnUnknownKey() throws IOException {
        Path file = write("servr:\n  port: 8080\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of())).hasMessageContaining("unknown key [servr]")
                .hasMessageContaining("line 1");
    }

    @Test
    void aValueOfTheWrongTypeNamesKeyLineAndExpectation() throws IOException {
        Path file = write("server:\n  host: localhost\n  port: eighty\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of()))
                .hasMessageContaining("[server.port]")
                .hasMessageContaining(":3")
                .hasMessageContaining("[eighty]")
                .hasMessageContaining("port number");
    }

    @Test
    void aDuplicateKeyIsRejected() throws IOException {
        Path file = write("server:\n  port: 1\n  port: 2\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of())).hasMessageContaining("appears twice")
                .hasMessageContaining("line 3");
    }

    @Test
    void aBadEnvironmentValueAndAnUnknownVariableAreRejected() {
        Path absent = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> SeerConfig.load(absent, Map.of("SEER_METADATA_POOL_SIZE", "0")))
                .hasMessageContaining("environment variable SEER_METADATA_POOL_SIZE");
        assertThatThrownBy(() -> SeerConfig.load(absent, Map.of("SEER_SERVER_PROT", "1")))
                .hasMessageContaining("[SEER_SERVER_PROT] names no config key");
        assertThat(SeerConfig.load(absent, Map.of("SEER_HOME", "/x", "SEER_TOKEN", "t"))).isEqualTo(SeerConfig.defaults());
    }

    @Test
    void theOnlineStoreTypeIsOneOfTwo() throws IOException {
        Path file = write("online:\n  type: memcached\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of())).hasMessageContaining("[online.type]")
                .hasMessageContaining("rocksdb or redis");
        assertThat(SeerConfig.load(dir.resolve("absent.yaml"), Map.of("SEER_ONLINE_TYPE", "redis")).online().type())
                .isEqualTo("redis");
    }

    @Test
    void thePasswordIsNotPrinted() {
        assertThat(new SeerConfig.Metadata("jdbc:postgresql://x/db", "u", "secret", 4).toString()).doesNotContain("secret");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("seer.yaml");
        Files.writeString(file, text);
        return file;
    }
}

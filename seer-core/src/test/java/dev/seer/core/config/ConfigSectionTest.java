package dev.seer.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mechanism with a section of its own; the real sections are tested where they are wired (seer-server). */
class ConfigSectionTest {
    record Cache(String type, int size, Map<String, String> options) {}

    static final ConfigKey TYPE = new ConfigKey("cache.type", ConfigType.STRING, "memory", "The cache.");
    static final ConfigKey SIZE = new ConfigKey("cache.size", ConfigType.POSITIVE_INT, 10, "Entries.");
    static final ConfigKey OPTIONS = new ConfigKey("cache.options", ConfigType.PROPERTIES, Map.of(), "Passed on.");
    static final ConfigSection<Cache> CACHE = ConfigSection.of("cache",
            v -> new Cache(v.text(TYPE), v.number(SIZE), v.properties(OPTIONS)), TYPE, SIZE, OPTIONS);
    static final List<ConfigSection<?>> SECTIONS = List.of(CACHE);

    @TempDir
    Path dir;

    @Test
    void aSectionBindsItsKeysFromFileAndEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("seer.yaml"),
                "cache:\n  type: disk\n  size: 5\n  options:\n    a.b: 1\n    c:\n      d: 2\n  options.e: 3\n");
        SeerConfig config = SeerConfig.load(file, Map.of("SEER_CACHE_SIZE", "7", "SEER_CACHE_OPTIONS_F_G", "4"), SECTIONS);
        assertThat(config.section(CACHE)).isEqualTo(new Cache("disk", 7, Map.of("a.b", "1", "c.d", "2", "e", "3", "f.g", "4")));
        assertThat(config.where(TYPE)).isEqualTo(file + ":2");
        assertThat(config.where(SIZE)).isEqualTo("environment variable SEER_CACHE_SIZE");
        assertThat(CACHE.defaults()).isEqualTo(new Cache("memory", 10, Map.of()));
        assertThat(SeerConfig.defaults(SECTIONS).section(CACHE)).isEqualTo(CACHE.defaults());
    }

    @Test
    void aKeyOutsideItsSectionIsADeclarationError() {
        assertThatThrownBy(() -> ConfigSection.of("other", v -> v, TYPE))
                .hasMessageContaining("Key [cache.type] is outside section [other]");
    }

    @Test
    void aChoiceNotAmongTheKnownNamesNamesKeyPlaceAndChoices() throws IOException {
        Path file = Files.writeString(dir.resolve("seer.yaml"), "cache:\n  size: 5\n  type: tape\n");
        SeerConfig config = SeerConfig.load(file, Map.of(), SECTIONS);
        Map<String, String> backends = Map.of("memory", "M", "disk", "D");
        assertThatThrownBy(() -> config.choose(TYPE, config.section(CACHE).type(), backends))
                .isInstanceOf(SeerException.class)
                .hasMessage("Config key [cache.type] at " + file + ":3 has value [tape], expected one of [disk, memory]")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(CoreErrorCode.CONFIG_INVALID_VALUE));
        assertThat(SeerConfig.defaults(SECTIONS).choose(TYPE, "disk", backends)).isEqualTo("D");
    }

    @Test
    void aPropertiesKeyTakesOnlyAMapping() throws IOException {
        Path file = Files.writeString(dir.resolve("seer.yaml"), "cache:\n  options: 5\n");
        assertThatThrownBy(() -> SeerConfig.load(file, Map.of(), SECTIONS))
                .hasMessageContaining("line 2 key [cache.options]: the value must be a mapping of names to values");
        Path nested = Files.writeString(dir.resolve("seer.yaml"), "cache:\n  options:\n    a: [1, 2]\n");
        assertThatThrownBy(() -> SeerConfig.load(nested, Map.of(), SECTIONS))
                .hasMessageContaining("line 3 key [cache.options.a]: the value must be a single value");
    }
}

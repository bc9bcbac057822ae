package dev.seer.core.config;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The configuration of one Seer home: {@code seer.yaml} with {@code SEER_*} environment overrides
 * applied, bound to the typed sections the modules declare ({@link ConfigSection}). Immutable;
 * built once at start-up, where an unknown key or an invalid value fails naming file, line and key.
 * A module reads its own section: {@code config.section(OnlineConfig.SECTION)}.
 */
public final class SeerConfig {
    private final Map<ConfigSection<?>, Object> sections;
    /** Where each key's value came from: {@code file:line}, an environment variable, or absent for a default. */
    private final Map<ConfigKey, String> origins;

    private SeerConfig(Map<ConfigSection<?>, Object> sections, Map<ConfigKey, String> origins) {
        this.sections = sections;
        this.origins = origins;
    }

    /** Every section at its defaults. */
    public static SeerConfig defaults(List<ConfigSection<?>> sections) {
        return bind(sections, new ConfigLoader.Loaded(ConfigLoader.defaults(sections), Map.of()));
    }

    /** Reads {@code file} (which may be absent) and applies overrides from {@code environment}. */
    public static SeerConfig load(Path file, Map<String, String> environment, List<ConfigSection<?>> sections) {
        return bind(sections, ConfigLoader.load(file, environment, sections));
    }

    private static SeerConfig bind(List<ConfigSection<?>> sections, ConfigLoader.Loaded loaded) {
        Map<ConfigSection<?>, Object> bound = new LinkedHashMap<>();
        for (ConfigSection<?> section : sections) {
            bound.put(section, section.bind(loaded.values()));
        }
        return new SeerConfig(bound, loaded.origins());
    }

    /** A module's section; fails if the wiring did not declare it when the configuration was read. */
    public <T> T section(ConfigSection<T> section) {
        Object value = sections.get(section);
        if (value == null) {
            throw new IllegalArgumentException("Config section [" + section.name() + "] was not declared; declared: "
                    + sections.keySet().stream().map(ConfigSection::name).toList());
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    /** The same configuration with another value of one section (tests and tools pick their own port). */
    public <T> SeerConfig with(ConfigSection<T> section, T value) {
        requireNonNull(value, "value is null");
        section(section); // declared
        Map<ConfigSection<?>, Object> changed = new LinkedHashMap<>(sections);
        changed.put(section, value);
        return new SeerConfig(changed, origins);
    }

    /** Where {@code key}'s value came from, for error messages: {@code file:line}, a variable, or the default. */
    public String where(ConfigKey key) {
        return origins.getOrDefault(key, "its default");
    }

    /**
     * The one of {@code choices} that {@code value} of {@code key} names (a backend chosen by
     * {@code type}); an unknown name fails naming the key, where it was set and the known names.
     */
    public <T> T choose(ConfigKey key, String value, Map<String, T> choices) {
        T chosen = choices.get(value);
        if (chosen == null) {
            throw new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "Config key [" + key.name() + "] at " + where(key)
                    + " has value [" + value + "], expected one of " + new TreeSet<>(choices.keySet()),
                    Map.of("key", key.name(), "value", value, "where", where(key)));
        }
        return chosen;
    }

    /** The text of a fresh {@code seer.yaml}: every key, commented out at its default. */
    public static String defaultYaml(List<ConfigSection<?>> sections) {
        StringBuilder out = new StringBuilder("# Seer configuration. Every key is listed at its default.\n"
                + "# Any key can also be set by an environment variable: server.port -> SEER_SERVER_PORT.\n");
        for (ConfigSection<?> section : sections) {
            out.append('\n').append(section.name()).append(":\n");
            for (ConfigKey key : section.keys()) {
                out.append("  # ").append(key.description()).append('\n');
                out.append("  # ").append(key.name().substring(section.name().length() + 1)).append(": ")
                        .append(yamlScalar(key.defaultValue())).append('\n');
            }
        }
        return out.toString();
    }

    private static String yamlScalar(Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeerConfig that && sections.equals(that.sections);
    }

    @Override
    public int hashCode() {
        return sections.hashCode();
    }

    @Override
    public String toString() {
        return "SeerConfig" + sections.values();
    }
}

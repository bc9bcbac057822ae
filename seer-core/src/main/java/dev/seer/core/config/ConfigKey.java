package dev.seer.core.config;

import static java.util.Objects.requireNonNull;

/**
 * One key of {@code seer.yaml}: its dotted, kebab-case name, type, default and meaning. A module
 * declares its keys in its {@link ConfigSection}; the environment variable overriding a key is
 * derived from its name ({@code server.port} is {@code SEER_SERVER_PORT}).
 */
public record ConfigKey(String name, ConfigType type, Object defaultValue, String description) {
    public ConfigKey {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(description, "description is null");
    }

    public String environmentVariable() {
        return "SEER_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}

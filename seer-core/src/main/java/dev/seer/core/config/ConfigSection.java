package dev.seer.core.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One module's part of {@code seer.yaml}: a name ({@code online}), its keys ({@code online.type},
 * ...) and a binder to the module's typed record. A module declares its section as a constant
 * beside its config record ({@code OnlineConfig.SECTION}); the wiring lists the sections of a
 * home, so the loader knows every key and refuses the rest.
 *
 * @param <T> the module's config record
 */
public final class ConfigSection<T> {
    private final String name;
    private final List<ConfigKey> keys;
    private final Function<ConfigValues, T> binder;

    private ConfigSection(String name, List<ConfigKey> keys, Function<ConfigValues, T> binder) {
        this.name = requireNonNull(name, "name is null");
        this.keys = List.copyOf(keys);
        this.binder = requireNonNull(binder, "binder is null");
        for (ConfigKey key : keys) {
            if (!key.name().startsWith(name + ".")) {
                throw new IllegalArgumentException("Key [" + key.name() + "] is outside section [" + name + "]");
            }
        }
    }

    /** A section whose keys all start with {@code name.}; {@code binder} reads them into the record. */
    public static <T> ConfigSection<T> of(String name, Function<ConfigValues, T> binder, ConfigKey... keys) {
        return new ConfigSection<>(name, List.of(keys), binder);
    }

    public String name() {
        return name;
    }

    public List<ConfigKey> keys() {
        return keys;
    }

    /** The record at every key's default. */
    public T defaults() {
        Map<ConfigKey, Object> values = new LinkedHashMap<>();
        keys.forEach(key -> values.put(key, key.defaultValue()));
        return bind(values);
    }

    T bind(Map<ConfigKey, Object> values) {
        return binder.apply(new ConfigValues(this, values));
    }

    @Override
    public String toString() {
        return "ConfigSection[" + name + "]";
    }
}

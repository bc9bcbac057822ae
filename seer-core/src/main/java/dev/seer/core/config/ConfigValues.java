package dev.seer.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The parsed values of one section's keys, read by the section's binder. */
public final class ConfigValues {
    private final ConfigSection<?> section;
    private final Map<ConfigKey, Object> values;

    ConfigValues(ConfigSection<?> section, Map<ConfigKey, Object> values) {
        this.section = section;
        this.values = values;
    }

    /** A key of type STRING (or any type whose value is text). */
    public String text(ConfigKey key) {
        return (String) value(key);
    }

    /** A key of a whole-number type (PORT, POSITIVE_INT). */
    public int number(ConfigKey key) {
        return (Integer) value(key);
    }

    /** A key of type ABSOLUTE_PATHS, as its list. */
    public List<String> list(ConfigKey key) {
        String text = text(key);
        return text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
    }

    /** A key of type PROPERTIES. */
    @SuppressWarnings("unchecked")
    public Map<String, String> properties(ConfigKey key) {
        return (Map<String, String>) value(key);
    }

    private Object value(ConfigKey key) {
        if (!section.keys().contains(key)) {
            throw new IllegalArgumentException("Key [" + key.name() + "] is not of " + section);
        }
        return values.get(key);
    }
}

package dev.seer.core.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The value types a config key can have, each with its parser and its accepted range. */
public enum ConfigType {
    STRING("a string") {
        @Override
        Optional<Object> parse(String text) {
            return Optional.of(text);
        }
    },
    PORT("a port number from 0 to 65535 (0 picks a free port)") {
        @Override
        Optional<Object> parse(String text) {
            return parseInt(text).filter(v -> v >= 0 && v <= 65535).map(v -> v);
        }
    },
    ABSOLUTE_PATHS("absolute folders separated by commas, or empty") {
        @Override
        Optional<Object> parse(String text) {
            List<String> parts = Arrays.stream(text.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
            boolean absolute = parts.stream().allMatch(p -> p.startsWith("/") && !p.contains("\0"));
            return absolute ? Optional.of(String.join(",", parts)) : Optional.empty();
        }
    },
    /**
     * Names with values, passed on as they are (client settings of a library). In YAML a mapping,
     * nested or with dotted names; each entry can also be one key {@code <key>.<name>}.
     */
    PROPERTIES("a mapping of names to values") {
        @Override
        Optional<Object> parse(String text) {
            return Optional.empty(); // only ever a mapping, read entry by entry
        }
    },
    POSITIVE_INT("a whole number of at least 1") {
        @Override
        Optional<Object> parse(String text) {
            return parseInt(text).filter(v -> v >= 1).map(v -> v);
        }
    };

    private final String expectation;

    ConfigType(String expectation) {
        this.expectation = expectation;
    }

    /** Parses the text of a value; empty when it is not of this type. */
    abstract Optional<Object> parse(String text);

    String expectation() {
        return expectation;
    }

    private static Optional<Integer> parseInt(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}

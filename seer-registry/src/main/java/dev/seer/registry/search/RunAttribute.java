package dev.seer.registry.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The run attributes a filter or an order may name: MLflow's searchable attributes, plus
 * {@code lifecycle_stage}. Each constant's key is also its column in {@code runs}, so this enum is
 * the allow-list of the columns a search can touch.
 */
enum RunAttribute {
    RUN_ID(false), RUN_NAME(false), USER_ID(false), STATUS(false), ARTIFACT_URI(false), LIFECYCLE_STAGE(false),
    START_TIME(true), END_TIME(true);

    /** MLflow's other spellings of two attributes (its UI's column names). */
    private static final Map<String, RunAttribute> ALIASES = Map.of(
            "created", START_TIME, "Created", START_TIME,
            "run name", RUN_NAME, "Run name", RUN_NAME, "Run Name", RUN_NAME);

    private final boolean time;

    RunAttribute(boolean time) {
        this.time = time;
    }

    /** The attribute's name in filters, and its column. */
    String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Epoch milliseconds, compared as numbers; the others are strings. */
    boolean isTime() {
        return time;
    }

    /** Only a running run has no end time. */
    boolean isNullable() {
        return this == END_TIME;
    }

    /** The attribute a filter's key names, by its name or an alias; keys are case-sensitive, as in MLflow. */
    static Optional<RunAttribute> forKey(String key) {
        return Arrays.stream(values()).filter(a -> a.key().equals(key)).findFirst()
                .or(() -> Optional.ofNullable(ALIASES.get(key)));
    }

    /** The keys, for messages. */
    static String keys() {
        return Arrays.stream(values()).map(RunAttribute::key).collect(Collectors.joining(", "));
    }
}

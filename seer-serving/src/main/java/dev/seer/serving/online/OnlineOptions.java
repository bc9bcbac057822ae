package dev.seer.serving.online;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * When online models are snapshotted to the registry: the {@code online-learning} section.
 *
 * @param snapshotEvery      how often the server looks for online models to snapshot
 * @param snapshotMinUpdates the updates since its last snapshot a model needs to be snapshotted on
 *                           schedule (a snapshot asked for by hand needs one)
 */
public record OnlineOptions(Duration snapshotEvery, int snapshotMinUpdates) {
    public static final ConfigKey SNAPSHOT_EVERY = new ConfigKey("online-learning.snapshot-every", ConfigType.STRING,
            "PT1H", "How often the server registers a new version of each online model that has learnt enough since its"
                    + " last one (ISO-8601, at least PT1S), and moves the deployments it champions to it.");
    public static final ConfigKey SNAPSHOT_MIN_UPDATES = new ConfigKey("online-learning.snapshot-min-updates",
            ConfigType.POSITIVE_INT, 100, "Outcomes an online model must have learnt from since its last version for the"
                    + " schedule to register a new one.");
    public static final ConfigSection<OnlineOptions> SECTION = ConfigSection.of("online-learning",
            v -> new OnlineOptions(every(v.text(SNAPSHOT_EVERY)), v.number(SNAPSHOT_MIN_UPDATES)), SNAPSHOT_EVERY,
            SNAPSHOT_MIN_UPDATES);

    public OnlineOptions {
        if (snapshotEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw invalid(snapshotEvery.toString());
        }
        if (snapshotMinUpdates < 1) {
            throw new IllegalArgumentException("snapshotMinUpdates must be at least 1, not " + snapshotMinUpdates);
        }
    }

    private static Duration every(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(text);
        }
    }

    private static SeerException invalid(String text) {
        return new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "[" + SNAPSHOT_EVERY.name() + "] must be an ISO-8601"
                + " duration of at least PT1S, such as PT1H, not [" + text + "]", Map.of("key", SNAPSHOT_EVERY.name()));
    }
}

package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.CoreErrorCode;
import dev.seer.core.SeerException;
import dev.seer.core.config.ConfigKey;
import dev.seer.core.config.ConfigSection;
import dev.seer.core.config.ConfigType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * How deployments are watched: the {@code monitoring} section of {@code seer.yaml}.
 *
 * @param window        the length of a window, windows being aligned to the epoch (PT1H: whole hours, UTC)
 * @param grace         how long after a window's end it stays open, so predictions made before the end but appended
 *                      after it still land in it
 * @param reservoirSize rows of a window kept as a uniform sample (the exact tests, PCA and CBPE read them)
 * @param catchUp       how far back the log is read at start-up to rebuild the windows missed while down
 * @param webhooks      where alert transitions are posted, and the hosts they may be posted to
 */
public record MonitoringOptions(Duration window, Duration grace, int reservoirSize, Duration catchUp,
        WebhookOptions webhooks) {
    public static final ConfigKey WINDOW = new ConfigKey("monitoring.window", ConfigType.STRING, "PT1H",
            "Length of a monitoring window (ISO-8601, from PT1M to P1D, dividing a day evenly); windows are aligned to the"
                    + " epoch, so PT1H windows are whole UTC hours.");
    public static final ConfigKey GRACE = new ConfigKey("monitoring.grace", ConfigType.STRING, "PT10S",
            "How long a window stays open after its end for predictions still being appended (ISO-8601, PT0S to PT10M);"
                    + " a prediction that arrives later is counted as late and dropped.");
    public static final ConfigKey RESERVOIR_SIZE = new ConfigKey("monitoring.reservoir-size", ConfigType.POSITIVE_INT,
            10_000, "Rows of each window kept as a uniform sample for the exact drift tests, PCA and CBPE (at most 1000000).");
    public static final ConfigKey CATCH_UP = new ConfigKey("monitoring.catch-up", ConfigType.STRING, "P7D",
            "How far back the server reads the prediction log at start-up to build the windows it missed while down"
                    + " (ISO-8601, PT0S to P90D).");
    public static final ConfigSection<MonitoringOptions> SECTION = ConfigSection.of("monitoring",
            v -> new MonitoringOptions(duration(WINDOW, v.text(WINDOW)), duration(GRACE, v.text(GRACE)),
                    v.number(RESERVOIR_SIZE), duration(CATCH_UP, v.text(CATCH_UP)), WebhookOptions.from(v)),
            WINDOW, GRACE, RESERVOIR_SIZE, CATCH_UP, WebhookOptions.URLS, WebhookOptions.ALLOWED_HOSTS);

    /** Every default: hourly windows, 10 s of grace, 10,000 rows sampled, 7 days caught up. */
    public static final MonitoringOptions DEFAULTS = new MonitoringOptions(Duration.ofHours(1), Duration.ofSeconds(10),
            10_000, Duration.ofDays(7));

    /** Options without webhooks. */
    public MonitoringOptions(Duration window, Duration grace, int reservoirSize, Duration catchUp) {
        this(window, grace, reservoirSize, catchUp, WebhookOptions.NONE);
    }

    public MonitoringOptions {
        requireNonNull(window, "window is null");
        requireNonNull(webhooks, "webhooks is null");
        requireNonNull(grace, "grace is null");
        requireNonNull(catchUp, "catchUp is null");
        // a window dividing a day keeps every window's start on the same grid whatever the day
        if (window.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofDays(1)) > 0
                || Duration.ofDays(1).toMillis() % window.toMillis() != 0 || window.toMillis() * 1_000_000 != window.toNanos()) {
            throw invalid(WINDOW, window + " (from PT1M to P1D, dividing a day evenly)");
        }
        if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw invalid(GRACE, grace + " (PT0S to PT10M)");
        }
        if (reservoirSize < 1 || reservoirSize > 1_000_000) {
            throw invalid(RESERVOIR_SIZE, reservoirSize + " (1 to 1000000)");
        }
        if (catchUp.isNegative() || catchUp.compareTo(Duration.ofDays(90)) > 0) {
            throw invalid(CATCH_UP, catchUp + " (PT0S to P90D)");
        }
    }

    private static Duration duration(ConfigKey key, String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(key, text + " (an ISO-8601 duration such as PT1H)");
        }
    }

    private static SeerException invalid(ConfigKey key, String what) {
        return new SeerException(CoreErrorCode.CONFIG_INVALID_VALUE, "[" + key.name() + "] cannot be " + what,
                Map.of("key", key.name()));
    }
}

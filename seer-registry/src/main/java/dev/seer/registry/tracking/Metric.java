package dev.seer.registry.tracking;

import static java.util.Objects.requireNonNull;

/**
 * One logged value of a metric: its key, value (NaN and infinities allowed), when (epoch
 * milliseconds, as MLflow carries it) and at which step.
 */
public record Metric(String key, double value, long timestamp, long step) {
    public Metric {
        requireNonNull(key, "key is null");
    }
}

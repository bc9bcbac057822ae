package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One answered prediction as the monitor sees it: when, for which deployment, the values its
 * model saw in {@link WatchedColumns#features()} order (NaN for missing), and its output reduced
 * to one value (the score, the regressed value, or the class index). Shadow predictions are not
 * observations: they never reached a caller.
 */
@SuppressWarnings("ArrayRecordComponent")
public record Observation(String deployment, Instant time, double[] features, double output) {
    public Observation {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(time, "time is null");
        requireNonNull(features, "features is null");
    }
}

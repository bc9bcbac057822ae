package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.profile.Profile;
import java.time.Instant;

/**
 * A closed window of one deployment's answered predictions: its profile (every row, sketched)
 * and a uniform sample of its rows (for the exact tests, PCA reconstruction and CBPE).
 *
 * @param rows the observations in the window (the reservoir holds at most its capacity of them)
 */
public record ClosedWindow(String deployment, Instant start, Instant end, long rows, WatchedColumns columns,
        Profile profile, Reservoir reservoir) {
    public ClosedWindow {
        requireNonNull(deployment, "deployment is null");
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(reservoir, "reservoir is null");
    }
}

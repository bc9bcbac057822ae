package dev.seer.monitoring.profile;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Profiles kept per fixed time window (1 hour by default), so that the profile of any range of
 * windows is the merge of the windows in it, with no raw rows kept.
 *
 * <p>Windows are aligned on the epoch: the window of time t starts at
 * {@code floor(t / window) * window}. A window exists once a row falls in it. Windows that end at or
 * before {@code latest - retention}, where latest is the latest time given to {@link #evict}
 * (the caller's clock, never a row's own time), are dropped; a row that would fall into such a window is not counted in any
 * window, only in {@link #droppedLate()}, so memory stays bounded by retention / window profiles.
 *
 * <p>Thread-safe: every method holds this object's lock, and {@link #range} returns a new profile,
 * so a reader never sees a window being written. An update costs the profile's update plus an
 * uncontended lock.
 */
public final class WindowedProfiles {
    /** The default window, one hour. */
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

    private final List<Profile.Column> schema;
    private final Profile.Settings settings;
    private final long windowMillis;
    private final long retentionMillis;
    private final TreeMap<Long, Profile> windows = new TreeMap<>();
    private long latestMillis = Long.MIN_VALUE;
    private long droppedLate;

    /**
     * @param window the length of a window, at least one millisecond
     * @param retention how long windows are kept after they end, relative to the latest time given
     *     to {@link #evict}; at least one window
     */
    public WindowedProfiles(List<Profile.Column> schema, Profile.Settings settings, Duration window, Duration retention) {
        requireNonNull(window, "window is null");
        requireNonNull(retention, "retention is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.schema = Profile.create(schema, settings).schema(); // validates the schema once
        this.windowMillis = window.toMillis();
        this.retentionMillis = retention.toMillis();
        if (windowMillis < 1) {
            throw SketchDrift.invalid("Window [" + window + "] must be at least one millisecond");
        }
        if (retention.compareTo(window) < 0) {
            throw SketchDrift.invalid("Retention [" + retention + "] must be at least one window [" + window + "]");
        }
    }

    public List<Profile.Column> schema() {
        return schema;
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /**
     * Adds one row (values in schema order, as {@link Profile#update}) to the window of its time. A row's time never
     * evicts windows (only {@link #evict} with the caller's clock does): one row stamped far in the future would
     * otherwise drop every current window and count every later row as late.
     */
    public synchronized void update(Instant time, Object[] row) {
        requireNonNull(time, "time is null");
        long millis = time.toEpochMilli();
        long start = Math.floorDiv(millis, windowMillis) * windowMillis;
        if (latestMillis != Long.MIN_VALUE && start + windowMillis <= latestMillis - retentionMillis) {
            droppedLate++;
            return;
        }
        windows.computeIfAbsent(start, s -> Profile.create(schema, settings)).update(row);
    }

    /**
     * The merge of every window overlapping {@code [from, to)}, or empty when no window does
     * (no data). A window partly in the range counts whole: a window is the finest grain.
     */
    public synchronized Optional<Profile> range(Instant from, Instant to) {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!from.isBefore(to)) {
            throw SketchDrift.invalid("Range start [" + from + "] must be before its end [" + to + "]");
        }
        long first = Math.floorDiv(from.toEpochMilli(), windowMillis) * windowMillis;
        Profile merged = null;
        for (Profile profile : windows.subMap(first, true, to.toEpochMilli(), false).values()) {
            if (merged == null) {
                merged = profile.copy();
            } else {
                merged.mergeFrom(profile); // same schema by construction; merged is our own copy
            }
        }
        return Optional.ofNullable(merged);
    }

    /** The start of every window kept, oldest first. */
    public synchronized List<Instant> windowStarts() {
        List<Instant> starts = new ArrayList<>();
        for (Long start : windows.keySet()) {
            starts.add(Instant.ofEpochMilli(start));
        }
        return starts;
    }

    /**
     * Drops every window that ends at or before {@code now - retention}; later updates older than
     * that are dropped too. Returns how many windows were dropped.
     */
    public synchronized int evict(Instant now) {
        requireNonNull(now, "now is null");
        return evictBefore(now.toEpochMilli());
    }

    private int evictBefore(long nowMillis) {
        latestMillis = Math.max(latestMillis, nowMillis);
        Map<Long, Profile> expired = windows.headMap(latestMillis - retentionMillis - windowMillis, true);
        int dropped = expired.size();
        expired.clear();
        return dropped;
    }

    /** Rows not counted because their window had already been evicted. */
    public synchronized long droppedLate() {
        return droppedLate;
    }
}

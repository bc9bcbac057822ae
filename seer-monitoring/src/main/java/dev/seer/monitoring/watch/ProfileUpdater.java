package dev.seer.monitoring.watch;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.monitoring.profile.Profile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The open window of each deployment, fed one observation at a time, and its closing.
 *
 * <p>Windows are {@link MonitoringOptions#window()} long and aligned to the epoch (start =
 * floor(time / length) x length), so a window is the same whoever builds it: the live feed, or
 * the feed rebuilding the log after a restart. A window holds a {@link Profile} of every row and a
 * {@link Reservoir} seeded by the deployment and the window's start, so the same observations in
 * the same order give the same window twice.
 *
 * <p>A window closes when its end plus {@link MonitoringOptions#grace()} has passed
 * ({@link #closeDue}), when an observation of a later window arrives (the feed reads the log in
 * order, so the open window is then complete but for stragglers), or early when a deployment's
 * columns change (a new champion with other inputs): the old window is stored with the old
 * columns, ending at the first observation of the new ones, and a new one opens there, ending
 * where the old would have. An observation older than the deployment's last closed window's end
 * is late: counted ({@link #late()}) and dropped, never added to a stored window. A window that
 * saw no observation is never stored; the monitor reports the gap itself.
 *
 * <p>Every closed window is stored through the {@link WindowStore} as it closes and handed out
 * once, by the next {@link #closeDue}, for the caller to run the monitor on; one the store
 * already held (built before a restart) is not handed out again.
 *
 * <p>Thread-safe: one lock, as observations come from one feeding thread and the other calls are rare.
 */
public final class ProfileUpdater {
    private final WindowStore store;
    private final MonitoringOptions options;
    private final long windowMicros;
    private final Map<String, OpenWindow> open = new HashMap<>();
    /** Per deployment, the end of its last closed window (from the store at first sight): what comes before is late. */
    private final Map<String, Instant> closedThrough = new HashMap<>();
    /** Closed and stored, waiting for the next {@link #closeDue} to hand them out. */
    private final List<ClosedWindow> closed = new ArrayList<>();
    /** Closed but not yet stored (the store failed): stored again, in order, before anything closed later. */
    private final List<ClosedWindow> unsaved = new ArrayList<>();
    private long late;

    public ProfileUpdater(WindowStore store, MonitoringOptions options) {
        this.store = requireNonNull(store, "store is null");
        this.options = requireNonNull(options, "options is null");
        this.windowMicros = options.window().toNanos() / 1000;
    }

    /** Adds an answered prediction to its deployment's open window (see the class comment for closing and lateness). */
    public synchronized void observe(WatchedColumns columns, Observation observation) {
        requireNonNull(columns, "columns is null");
        requireNonNull(observation, "observation is null");
        String deployment = observation.deployment();
        Instant time = observation.time();
        Instant through = closedThrough(deployment);
        OpenWindow window = open.get(deployment);
        if (time.isBefore(through) || window != null && time.isBefore(window.start)) {
            late++;
            return;
        }
        Instant start = null;
        if (window != null && !time.isBefore(window.end)) {
            close(window, window.end);
            window = null;
        } else if (window != null && !window.columns.equals(columns)) {
            // a new window cannot start where the old one did (same key): it starts a microsecond later then
            Instant at = time.isAfter(window.start) ? time : window.start.plusNanos(1000);
            close(window, at);
            start = at;
            window = null;
        }
        if (window == null) {
            window = openWindow(deployment, columns, start == null ? time : start);
        }
        window.add(observation);
    }

    private OpenWindow openWindow(String deployment, WatchedColumns columns, Instant time) {
        long micros = Times.toMicros(time);
        long aligned = Math.floorDiv(micros, windowMicros) * windowMicros;
        Instant start = Times.ofMicros(Math.max(aligned, Times.toMicros(closedThrough(deployment))));
        OpenWindow window = new OpenWindow(deployment, columns, start, Times.ofMicros(aligned + windowMicros),
                options.reservoirSize());
        open.put(deployment, window);
        return window;
    }

    /**
     * Closes the open window at {@code end} and stores it, queued for the next {@link #closeDue}
     * unless the store already held it. A failed store keeps it for the next {@link #closeDue} to
     * store again, rather than failing the observation: the feed would then read its batch again
     * and count what it had already added.
     */
    private void close(OpenWindow window, Instant end) {
        open.remove(window.deployment);
        closedThrough.put(window.deployment, end);
        unsaved.add(window.freeze(end));
        try {
            storeUnsaved();
        } catch (SeerException e) {
            // kept in unsaved; closeDue stores it again and reports the failure
        }
    }

    /** Stores the closed windows not yet stored, oldest first; stops at the first failure, keeping the rest. */
    private void storeUnsaved() {
        while (!unsaved.isEmpty()) {
            ClosedWindow next = unsaved.get(0);
            if (store.save(next)) {
                closed.add(next);
            }
            unsaved.remove(0);
        }
    }

    /**
     * Closes and stores every open window whose end plus the grace is at or before {@code now}.
     *
     * @return the windows closed since the last call (these and those closed by observations), each once, oldest first
     * @throws SeerException STORE_FAILURE when a closed window could not be stored; it is tried again at the next call
     */
    public synchronized List<ClosedWindow> closeDue(Instant now) {
        requireNonNull(now, "now is null");
        List<OpenWindow> due = open.values().stream().filter(w -> !w.end.plus(options.grace()).isAfter(now))
                .sorted((a, b) -> a.start.compareTo(b.start)).toList();
        due.forEach(w -> close(w, w.end));
        storeUnsaved(); // a store still failing throws here: the caller sees it, and the windows wait for the next call
        List<ClosedWindow> out = new ArrayList<>(closed);
        closed.clear();
        return out;
    }

    /** A copy of {@code deployment}'s open window so far, ending at its scheduled end; empty when none is open. */
    public synchronized Optional<ClosedWindow> open(String deployment) {
        OpenWindow window = open.get(deployment);
        return window == null ? Optional.empty() : Optional.of(window.copy());
    }

    /** The end of {@code deployment}'s last closed window (stored by this updater or before it): older observations are late. */
    public synchronized Instant closedThrough(String deployment) {
        return closedThrough.computeIfAbsent(deployment, d -> store.lastClosedEnd(d).orElse(Instant.EPOCH));
    }

    /** Observations dropped because their window had closed. */
    public synchronized long late() {
        return late;
    }

    /** A reservoir seed of the deployment and the window's start: the same window is sampled the same way twice. */
    static long seed(String deployment, Instant start) {
        long z = deployment.hashCode() * 0x9E3779B97F4A7C15L + Times.toMicros(start);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A window being filled. */
    private static final class OpenWindow {
        final String deployment;
        final WatchedColumns columns;
        final Instant start;
        final Instant end;
        final Profile profile;
        final Reservoir reservoir;
        long rows;

        OpenWindow(String deployment, WatchedColumns columns, Instant start, Instant end, int capacity) {
            this.deployment = deployment;
            this.columns = columns;
            this.start = start;
            this.end = end;
            this.profile = Profile.create(columns.schema());
            this.reservoir = Reservoir.create(columns.width(), capacity, seed(deployment, start));
        }

        void add(Observation o) {
            double[] features = o.features();
            if (features.length != columns.features().size()) {
                throw new IllegalArgumentException("An observation of " + features.length + " features for columns "
                        + columns.features());
            }
            Object[] profileRow = new Object[features.length + 1];
            double[] sampleRow = new double[features.length + 1];
            for (int i = 0; i < features.length; i++) {
                profileRow[i] = features[i];
                sampleRow[i] = features[i];
            }
            double output = o.output();
            profileRow[features.length] = columns.output() != OutputShape.CLASS ? (Object) output
                    : WatchedColumns.classLabel(output);
            sampleRow[features.length] = output;
            profile.update(profileRow);
            reservoir.offer(sampleRow);
            rows++;
        }

        ClosedWindow freeze(Instant closedAt) {
            return new ClosedWindow(deployment, start, closedAt, rows, columns, profile, reservoir);
        }

        ClosedWindow copy() {
            return new ClosedWindow(deployment, start, end, rows, columns, profile.copy(), Reservoir.fromBytes(reservoir.toBytes()));
        }
    }
}

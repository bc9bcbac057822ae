package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.ErrorCategory;
import dev.seer.core.SeerException;
import dev.seer.models.OutputKind;
import dev.seer.monitoring.watch.ClosedWindow;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.monitoring.watch.Observation;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.ProfileUpdater;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.log.Prediction;
import dev.seer.serving.log.PredictionLog;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The link from the prediction log to the monitor: every second ({@link #tick}) it reads the
 * batches appended since its last read, observes each champion's answered predictions in their
 * deployment's open window, closes the windows that are due and hands each closed window once to
 * {@code closed} (the monitor).
 *
 * <p>Reading is by the log's batch numbers ({@link PredictionLog#readAfter}), not by time, so no
 * prediction is missed or read twice whatever its time stamp. Only the champion arm is observed:
 * the windows are compared with the champion's training data, a challenger's outputs are another
 * model's (and its inputs may differ, which would close the window at each switch), and shadows
 * never reached a caller.
 *
 * <p>After a restart the position is lost with the process: the first tick reads the log again
 * from the end of the earliest deployment's last stored window (one window earlier, for a
 * deployment whose window was still open at the crash; at most {@link MonitoringOptions#catchUp()}
 * back), skipping each deployment's predictions that its stored windows already hold. The windows
 * missed while down are built, closed and handed over like any other.
 */
final class MonitorFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorFeed.class);

    private final PredictionLog log;
    private final WindowStore store;
    private final ProfileUpdater updater;
    private final Function<Prediction, OutputKind> kinds;
    private final MonitoringOptions options;
    private final Consumer<ClosedWindow> closed;
    private final Clock clock;
    /** Per model version, its watched columns (empty: unwatchable, e.g. an input named {@code prediction}). */
    private final Map<String, Optional<Columns>> columns = new HashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    /** Just past the last batch observed; null before the first tick. */
    private PredictionLog.Tail tail;
    /** While catching up after a start: the earliest time read (predictions stored windows hold are skipped); then null. */
    private Instant catchUpFrom;
    /** Windows stored whose judgement failed, judged again first at the next tick. */
    private final List<ClosedWindow> unjudged = new ArrayList<>();
    private final AtomicLong unreadable = new AtomicLong();
    private ScheduledExecutorService schedule;

    /** A model version's columns and how its output reduces to one value. */
    private record Columns(WatchedColumns watched, OutputKind kind) {}

    /**
     * @param kinds  a logged prediction's model version's output kind (the registry's signature)
     * @param closed told of each closed window once, on the feed's thread
     */
    MonitorFeed(PredictionLog log, WindowStore store, ProfileUpdater updater, Function<Prediction, OutputKind> kinds,
            MonitoringOptions options, Consumer<ClosedWindow> closed, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.store = requireNonNull(store, "store is null");
        this.updater = requireNonNull(updater, "updater is null");
        this.kinds = requireNonNull(kinds, "kinds is null");
        this.options = requireNonNull(options, "options is null");
        this.closed = requireNonNull(closed, "closed is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Reads what was appended since the last tick (at the first, catches up), then closes and hands
     * over the windows due at {@code now}.
     *
     * @return the windows closed by this tick
     */
    synchronized List<ClosedWindow> tick(Instant now) {
        read(now);
        List<ClosedWindow> due = new ArrayList<>(unjudged);
        unjudged.clear();
        due.addAll(updater.closeDue(now));
        for (ClosedWindow w : due) {
            try {
                closed.accept(w);
            } catch (RuntimeException e) { // stored but not judged: judged again at the next tick, in order
                unjudged.add(w);
                LOG.warn("Monitoring window {} of deployment [{}] failed; judged again at the next tick", w.start(),
                        w.deployment(), e);
            }
        }
        return due;
    }

    /**
     * Reads the batches appended since the last tick. Progress is kept batch by batch, so a read
     * that fails part-way (an unreadable segment) goes on next time just past the last batch it
     * observed, counting none twice; a batch that does not decode is counted, logged and passed.
     * The first read catches up, skipping what stored windows hold, until it has reached the end.
     */
    private void read(Instant now) {
        if (tail == null) {
            tail = PredictionLog.Tail.START;
            catchUpFrom = catchUpFrom(now);
        }
        Instant from = catchUpFrom;
        try {
            log.readAfter(tail, from == null ? Instant.EPOCH : from, new PredictionLog.BatchVisitor() {
                @Override
                public void visit(PredictionLog.Tail after, List<Prediction> predictions) {
                    observe(predictions, from);
                    tail = after;
                }

                @Override
                public void unreadable(PredictionLog.Tail after, SeerException error) {
                    unreadable.incrementAndGet();
                    LOG.warn("Batch {} of the prediction log does not decode and is not monitored: {}", after.batch(),
                            error.getMessage());
                    tail = after;
                }
            });
            catchUpFrom = null;
        } catch (SeerException e) {
            LOG.warn("Reading the prediction log for monitoring stopped after batch {}; going on from there at the next"
                    + " tick: {}", tail.batch(), e.getMessage());
        }
    }

    /** The earliest time a restart reads from: before every deployment's open window, bounded by the catch-up. */
    private Instant catchUpFrom(Instant now) {
        Instant bound = now.minus(options.catchUp());
        Optional<Instant> earliest = store.deployments().stream().map(updater::closedThrough).min(Instant::compareTo);
        // a window and its grace back: a deployment with no stored window yet may have had one open when the server stopped
        return earliest.map(e -> e.minus(options.window()).minus(options.grace())).filter(e -> e.isAfter(bound))
                .orElse(bound);
    }

    /** @param from during catch-up, where it starts (null after); the predictions stored windows hold are skipped then */
    private void observe(List<Prediction> predictions, Instant from) {
        for (Prediction p : predictions) {
            if (p.shadow() || !Arm.CHAMPION.id().equals(p.arm())) {
                continue;
            }
            try {
                observe(p, from);
            } catch (RuntimeException e) {
                // not thrown on: the tail would not move past this batch and its other predictions would be counted twice
                skipped.incrementAndGet();
                LOG.warn("Prediction [{}] of deployment [{}] not monitored: {}", p.id(), p.deployment(), e.getMessage());
            }
        }
    }

    private void observe(Prediction p, Instant from) {
        if (from != null && (p.time().isBefore(from) || p.time().isBefore(updater.closedThrough(p.deployment())))) {
            return; // already in a stored window, or older than catching up reaches: not late, just done
        }
        Optional<Columns> c = columnsOf(p);
        if (c.isEmpty()) {
            skipped.incrementAndGet();
            return;
        }
        double[] features = new double[p.features().size()];
        for (int i = 0; i < features.length; i++) {
            features[i] = p.features().get(i).value();
        }
        updater.observe(c.get().watched(), new Observation(p.deployment(), p.time(), features, output(c.get().kind(),
                p.output())));
    }

    private Optional<Columns> columnsOf(Prediction p) {
        return columns.computeIfAbsent(p.model() + ":" + p.modelVersion(), k -> {
            try {
                OutputKind kind = kinds.apply(p);
                List<String> names = new ArrayList<>(p.features().size());
                p.features().forEach(f -> names.add(f.name()));
                return Optional.of(new Columns(new WatchedColumns(names, shape(kind)), kind));
            } catch (SeerException e) {
                ErrorCategory category = e.errorCode().category();
                if (category == ErrorCategory.INTERNAL || category == ErrorCategory.UNAVAILABLE) {
                    throw e; // perhaps passing (the registry's store): this prediction is skipped, the next asks again
                }
                LOG.warn("Predictions of model [{}] are not monitored: {}", k, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The watched output of a model's output kind. */
    static OutputShape shape(OutputKind kind) {
        return switch (kind) {
            case PROBABILITY -> OutputShape.SCORE;
            case VALUE -> OutputShape.VALUE;
            case CLASS_PROBABILITIES -> OutputShape.CLASS;
        };
    }

    /** A logged prediction's output as one value: {@link #output(OutputShape, double[], int, int)} of all of it. */
    static double output(OutputKind kind, double[] output) {
        return output(shape(kind), output, 0, output.length);
    }

    /**
     * One value from a row's {@code width} outputs at {@code at}, the one rule for windows (logged
     * predictions) and references (scored training rows), so the two compare: a binary
     * classifier's P(class 1) (one number; the second of two when a model gives both), the regressed
     * value, or the index of the likeliest class (NaN when its probability is).
     */
    static double output(OutputShape shape, double[] out, int at, int width) {
        if (width == 0) {
            return Double.NaN;
        }
        return switch (shape) {
            case SCORE -> width == 2 ? out[at + 1] : out[at];
            case VALUE -> out[at];
            case CLASS -> {
                int best = 0;
                for (int c = 1; c < width; c++) {
                    if (out[at + c] > out[at + best]) {
                        best = c;
                    }
                }
                yield Double.isNaN(out[at + best]) ? Double.NaN : best;
            }
        };
    }

    /** Predictions dropped because their window had closed when they were read. */
    long late() {
        return updater.late();
    }

    /** Has these stored windows judged first at the next tick, in their order (the ones a stop left unjudged). */
    synchronized void judgeAgain(List<ClosedWindow> windows) {
        unjudged.addAll(windows);
    }

    /** Batches of the log that did not decode, passed unmonitored. */
    long unreadable() {
        return unreadable.get();
    }

    /** Answered predictions not observed because their model's inputs cannot be watched. */
    long skipped() {
        return skipped.get();
    }

    /** Starts ticking every second on a thread of its own (the server does, once it listens); stopped by {@link #close}. */
    synchronized void start() {
        if (schedule != null) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "seer-monitor-feed");
            thread.setDaemon(true);
            return thread;
        });
        schedule.scheduleWithFixedDelay(this::scheduledTick, 1, 1, TimeUnit.SECONDS);
    }

    private void scheduledTick() {
        try {
            tick(clock.instant());
        } catch (RuntimeException e) { // a thrown exception would end the schedule for good
            LOG.warn("Reading the prediction log for monitoring failed; trying again at the next tick", e);
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = schedule;
            schedule = null;
        }
        if (s != null) {
            s.shutdown();
            try {
                if (!s.awaitTermination(30, TimeUnit.SECONDS)) {
                    LOG.warn("A monitoring tick was still running after 30 s at close");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

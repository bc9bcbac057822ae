package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditSink;
import dev.seer.monitoring.MonitoringErrorCode;
import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.Figure;
import dev.seer.monitoring.report.MonitorReport;
import dev.seer.monitoring.watch.AlertStore;
import dev.seer.monitoring.watch.Alerts;
import dev.seer.monitoring.watch.ClosedWindow;
import dev.seer.monitoring.watch.Labelled;
import dev.seer.monitoring.watch.Monitor;
import dev.seer.monitoring.watch.ProfileUpdater;
import dev.seer.monitoring.watch.Reference;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.deploy.DeploymentStore;
import dev.seer.serving.feedback.FeedbackStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitoring wiring (issue 18): what happens when the feed closes a deployment's window, and
 * what the routes read. A closed window is judged against the deployment's champion's
 * {@link Reference} ({@link MonitorReferences}) with the outcomes joined by then to the window's
 * champion predictions (realised performance and concept drift); the figures go to {@link Alerts},
 * which stores them with the rules' new states in one transaction and then delivers each change of
 * phase to the {@link AlertNotifier} (log, audit, webhooks) and to the listeners (the retraining
 * loop). Nothing here throws at the feed: a deployment removed since, a champion without a usable
 * reference or a window of other columns is logged and judged as far as it can be (NO_DATA figures),
 * never a stopped monitor.
 *
 * <p>Realised figures of a window are computed when it closes, from the outcomes joined by then;
 * outcomes that arrive later count in {@link #report}, which joins them again, not in the window's
 * stored figures (an alert is never re-judged on an old window).
 */
final class Monitoring {
    private static final Logger LOG = LoggerFactory.getLogger(Monitoring.class);
    /** How long a window's figures are kept in the store (the windows' profiles are kept longer: reports merge them). */
    static final Duration FIGURE_RETENTION = Duration.ofDays(90);
    /**
     * The most windows a report merges: each brings its profile and a sample of up to
     * {@code monitoring.reservoir-size} rows into memory (a week of hourly windows of 10,000 rows
     * of 20 features is about 270 MB), so a range is bounded before anything is read.
     */
    static final long MAX_REPORT_WINDOWS = 168;

    private final DeploymentStore deployments;
    private final FeedbackStore feedback;
    private final MonitorReferences references;
    private final Monitor monitor;
    private final AlertStore store;
    private final Alerts alerts;
    private final WindowStore windows;
    private final ProfileUpdater updater;
    private final Duration window;
    private final Clock clock;
    private final List<Consumer<AlertEvaluator.Transition>> listeners = new CopyOnWriteArrayList<>();

    Monitoring(Parts parts, AlertNotifier notifier, AuditSink audit, Clock clock) {
        this.deployments = parts.deployments();
        this.feedback = parts.feedback();
        this.references = parts.references();
        this.monitor = parts.monitor();
        this.store = parts.store();
        this.windows = parts.windows();
        this.updater = parts.updater();
        this.window = parts.window();
        this.clock = requireNonNull(clock, "clock is null");
        this.alerts = new Alerts(store, audit, transition -> {
            notifier.deliver(transition);
            for (Consumer<AlertEvaluator.Transition> listener : listeners) {
                try {
                    listener.accept(transition);
                } catch (RuntimeException e) { // a listener's failure is its own; the alert was stored and announced
                    LOG.warn("An alert listener failed on rule [{}]", transition.ruleId(), e);
                }
            }
        }, clock);
    }

    /** What the monitor is made of, built by {@link SeerServices}. */
    record Parts(DeploymentStore deployments, FeedbackStore feedback, MonitorReferences references, Monitor monitor,
            AlertStore store, WindowStore windows, ProfileUpdater updater, Duration window) {}

    /** Told of every change of an alert's phase, after it is stored and announced (the retraining loop). */
    void onTransition(Consumer<AlertEvaluator.Transition> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    Alerts alerts() {
        return alerts;
    }

    Monitor monitor() {
        return monitor;
    }

    /**
     * The figure names an alert rule on {@code deployment}'s figures may name: those of its
     * champion's reference columns if it has one, else those of the columns of its latest stored
     * window. For {@code *} (a rule on every deployment), the union over the deployments that have
     * either, so a pattern is accepted when some deployment has a figure it matches. UNKNOWN_NAME
     * naming the deployment when it does not exist, or has neither a reference nor a window yet.
     */
    Set<String> knownFigures(String deployment) {
        requireNonNull(deployment, "deployment is null");
        if (deployment.equals("*")) {
            Set<String> all = new LinkedHashSet<>();
            for (Deployment d : deployments.list()) {
                knownFigures(d).ifPresent(all::addAll);
            }
            return all;
        }
        Deployment d = deployments.find(deployment).orElseThrow(() -> new SeerException(MonitoringErrorCode.UNKNOWN_NAME,
                "No deployment [" + deployment + "]: an alert rule's figure starts with a deployment's name, or *",
                Map.of("field", "figure", "deployment", deployment)));
        return knownFigures(d).orElseThrow(() -> new SeerException(MonitoringErrorCode.UNKNOWN_NAME,
                "Deployment [" + deployment + "] has no known figures yet: its champion " + d.champion()
                        + " has no reference (" + references.lookup(d.champion()).missing().orElse("") + ") and no window"
                        + " of its predictions is stored", Map.of("field", "figure", "deployment", deployment)));
    }

    private Optional<Set<String>> knownFigures(Deployment d) {
        Optional<Reference> reference = references.lookup(d.champion()).reference();
        if (reference.isPresent()) {
            return Optional.of(monitor.knownFigures(reference.get(), d.name()));
        }
        return latestWindow(d.name()).map(w -> monitor.knownFigures(w.columns(), d.name()));
    }

    /**
     * The deployment's newest stored window. Windows are aligned and at most a day long, so the
     * last one starts within a day of the last end; the span read doubles from a minute, so at
     * most two windows (profiles and reservoirs) are read whatever the window's length.
     */
    private Optional<ClosedWindow> latestWindow(String deployment) {
        Optional<Instant> end = windows.lastClosedEnd(deployment);
        if (end.isEmpty()) {
            return Optional.empty();
        }
        for (Duration span = Duration.ofMinutes(1); span.compareTo(Duration.ofDays(2)) <= 0; span = span.multipliedBy(2)) {
            List<ClosedWindow> found = windows.between(deployment, end.get().minus(span), end.get());
            if (!found.isEmpty()) {
                return Optional.of(found.get(found.size() - 1));
            }
        }
        return Optional.empty();
    }

    /** The feed's consumer: judges a closed window and evaluates the rules on its figures. */
    List<AlertEvaluator.Transition> judge(ClosedWindow window) {
        Optional<Deployment> deployment = deployments.find(window.deployment());
        if (deployment.isEmpty()) {
            LOG.info("Window {} of deployment [{}] not judged: the deployment was removed", window.start(),
                    window.deployment());
            return List.of();
        }
        MonitorReferences.Lookup lookup = references.lookup(deployment.get().champion());
        List<Figure> figures;
        if (lookup.reference().isEmpty()) {
            LOG.warn("Window {} of deployment [{}]: no reference, drift not judged: {}", window.start(),
                    window.deployment(), lookup.missing().orElse(""));
            figures = List.of(Figure.ok(Monitor.name(window.deployment(), "volume", "rows", "count"), window.start(),
                    window.end(), window.rows()));
        } else {
            Monitor.Monitored judged = monitor.figures(lookup.reference().get(), window, realised(window.deployment(),
                    window.start(), window.end()));
            judged.problems().forEach(p -> LOG.info("Window {} of deployment [{}]: {}", window.start(),
                    window.deployment(), p));
            figures = judged.figures();
        }
        List<AlertEvaluator.Transition> transitions = alerts.evaluate(window.deployment(), figures);
        store.pruneFigures(clock.instant().minus(FIGURE_RETENTION));
        return transitions;
    }

    /**
     * The stored windows starting in [{@code from}, {@code to}) of deployments that still exist which have no figures: a
     * server stopped between storing a window and judging it (the two are not one transaction).
     * Every judged window has at least its volume figure, so none of these was judged.
     */
    List<ClosedWindow> unjudged(Instant from, Instant to) {
        List<ClosedWindow> left = new ArrayList<>();
        for (String d : windows.deployments()) {
            if (deployments.find(d).isEmpty()) {
                continue;
            }
            for (ClosedWindow w : windows.between(d, from, to)) {
                if (store.figures(d, w.start(), w.end()).isEmpty()) {
                    left.add(w);
                }
            }
        }
        return left;
    }

    /** The outcomes joined so far to the champion's predictions made in [from, to), in prediction order. */
    private Optional<Labelled> realised(String deployment, Instant from, Instant to) {
        List<FeedbackStore.Pair> pairs = feedback.pairs(deployment, Optional.of(Arm.CHAMPION.id()), from, to);
        if (pairs.isEmpty()) {
            return Optional.empty();
        }
        double[] scores = new double[pairs.size()];
        double[] outcomes = new double[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            scores[i] = MonitorFeed.output(pairs.get(i).kind(), pairs.get(i).output());
            outcomes[i] = pairs.get(i).outcome();
        }
        return Optional.of(new Labelled(scores, outcomes));
    }

    /** The stored figures of a deployment's windows starting in [from, to). */
    List<Figure> figures(String deployment, Instant from, Instant to) {
        return store.figures(deployment, from, to);
    }

    /**
     * The drift and performance report of a deployment over [from, to): its stored windows in the
     * range and the open one if it starts there, against its champion's reference, with the outcomes
     * joined by now. A champion without a reference is refused naming why.
     */
    MonitorReport report(String deployment, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "[from] " + from + " must be before [to] " + to,
                    Map.of("field", "from"));
        }
        long spanned = Duration.between(from, to).toMillis() / window.toMillis() + 1;
        if (spanned > MAX_REPORT_WINDOWS) {
            throw new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, "A report covers at most " + MAX_REPORT_WINDOWS
                    + " windows of " + window + "; [from] " + from + " to [to] " + to + " spans " + spanned
                    + ": ask for a shorter range", Map.of("field", "from"));
        }
        Deployment d = deployments.get(deployment);
        Reference reference = references.reference(d.champion());
        List<ClosedWindow> range = new ArrayList<>(windows.between(deployment, from, to));
        updater.open(deployment).filter(w -> !w.start().isBefore(from) && w.start().isBefore(to)).ifPresent(range::add);
        List<Optional<Labelled>> realised = range.stream().map(w -> realised(deployment, w.start(), w.end())).toList();
        return monitor.report(reference, range, realised, deployment, from, to, clock.instant());
    }

    /** What {@code /metrics} shows: every watched deployment's latest figures and the alerts' states. */
    MonitorGauges.Source gauges() {
        return new MonitorGauges.Source() {
            @Override
            public List<Figure> latestFigures() {
                List<Figure> all = new ArrayList<>();
                for (String d : windows.deployments()) {
                    all.addAll(store.latestFigures(d));
                }
                return all;
            }

            @Override
            public List<AlertEvaluator.State> alerts() {
                return alerts.list(Optional.empty()).stream().map(Alerts.Alert::state).toList();
            }
        };
    }
}

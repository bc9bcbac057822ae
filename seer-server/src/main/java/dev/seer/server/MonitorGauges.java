package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.Figure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's latest figures and alerts as Prometheus gauges, read from the alerts' store when
 * {@code GET /metrics} is scraped (the monitor writes figures once a window, so a scrape reads
 * rows, never computes drift):
 * <ul>
 *   <li>{@code seer_drift_score{deployment,feature,test}}: every {@code D/drift/SUBJECT/STATISTIC}
 *       figure, {@code feature} the subject (a feature, {@code prediction}, {@code dataset} or
 *       {@code multivariate}) and {@code test} the statistic (a test's id, or {@code drifted}, {@code share},
 *       {@code reconstruction_error}, {@code alert});
 *   <li>{@code seer_performance_estimated{deployment,metric}} and {@code seer_performance_realised{deployment,metric}}:
 *       the {@code D/performance/estimated|realised/METRIC} figures;
 *   <li>{@code seer_alert_active{rule,figure}}: 1 while an alert fires, 0 in its other phases.
 * </ul>
 * A figure without data (NO_DATA) has no series in that scrape: an absent series is Prometheus'
 * "unknown", where a 0 would read as "no drift". Series of a figure or alert that is gone
 * disappear at the next scrape.
 */
final class MonitorGauges implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorGauges.class);

    /** What the gauges read: the alerts' store (its latest figures of every deployment, and every alert's state). */
    interface Source {
        List<Figure> latestFigures();

        List<AlertEvaluator.State> alerts();
    }

    private final Source source;
    private final MultiGauge drift;
    private final MultiGauge estimated;
    private final MultiGauge realised;
    private final MultiGauge active;

    MonitorGauges(MeterRegistry registry, Source source) {
        this.source = requireNonNull(source, "source is null");
        this.drift = MultiGauge.builder("seer.drift.score")
                .description("The latest window's drift figure of a deployment's column: a test's score (p-value or"
                        + " distance, by the test), or its 1/0 verdict under test=\"drifted\"")
                .register(registry);
        this.estimated = MultiGauge.builder("seer.performance.estimated")
                .description("A deployment's performance estimated without labels (CBPE) on its latest window")
                .register(registry);
        this.realised = MultiGauge.builder("seer.performance.realised")
                .description("A deployment's performance on its latest window's predictions that have outcomes")
                .register(registry);
        this.active = MultiGauge.builder("seer.alert.active")
                .description("1 while an alert rule fires on a figure, 0 while it is pending, resolved or inactive")
                .register(registry);
    }

    /** Registers the gauges and has {@code metrics} refresh them before each scrape. */
    static void bind(ServerMetrics metrics, Source source) {
        metrics.beforeScrape(new MonitorGauges(metrics.registry(), source));
    }

    /** Refreshes the figures and the alerts each on its own: one that cannot be read keeps its last values. */
    @Override
    public void run() {
        try {
            refreshFigures(source.latestFigures());
        } catch (RuntimeException e) {
            LOG.warn("GET /metrics could not read the monitor's figures; they show the last values: {}", e.toString());
        }
        try {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (AlertEvaluator.State state : source.alerts()) {
                rows.add(MultiGauge.Row.of(Tags.of("rule", state.ruleId(), "figure", state.figure()),
                        state.phase() == AlertEvaluator.Phase.FIRING ? 1 : 0));
            }
            active.register(rows, true);
        } catch (RuntimeException e) {
            LOG.warn("GET /metrics could not read the alerts; they show the last values: {}", e.toString());
        }
    }

    private void refreshFigures(List<Figure> figures) {
        List<MultiGauge.Row<?>> drifts = new ArrayList<>();
        List<MultiGauge.Row<?>> estimates = new ArrayList<>();
        List<MultiGauge.Row<?>> realisations = new ArrayList<>();
        for (Figure figure : figures) {
            String[] parts = figure.name().split("/", -1);
            if (figure.status() != Figure.Status.OK || parts.length != 4) {
                continue;
            }
            String deployment = parts[0];
            if (parts[1].equals("drift")) {
                drifts.add(MultiGauge.Row.of(Tags.of("deployment", deployment, "feature", parts[2], "test", parts[3]),
                        figure.value()));
            } else if (parts[1].equals("performance") && parts[2].equals("estimated")) {
                estimates.add(MultiGauge.Row.of(Tags.of("deployment", deployment, "metric", parts[3]), figure.value()));
            } else if (parts[1].equals("performance") && parts[2].equals("realised")) {
                realisations.add(MultiGauge.Row.of(Tags.of("deployment", deployment, "metric", parts[3]), figure.value()));
            }
        }
        drift.register(drifts, true);
        estimated.register(estimates, true);
        realised.register(realisations, true);
    }
}

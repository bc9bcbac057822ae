package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.monitoring.alert.AlertEvaluator;
import dev.seer.monitoring.alert.AlertEvaluator.Phase;
import dev.seer.monitoring.alert.Figure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The monitor's figures and alerts on {@code /metrics}, read at each scrape from a hand-written source. */
class MonitorGaugesTest {
    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant END = Instant.parse("2026-12-04T11:00:00Z");

    /** A store whose figures and alerts the test sets between scrapes. */
    private static final class Source implements MonitorGauges.Source {
        final List<Figure> figures = new ArrayList<>();
        final List<AlertEvaluator.State> alerts = new ArrayList<>();
        boolean failing;

        @Override
        public List<Figure> latestFigures() {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            return List.copyOf(figures);
        }

        @Override
        public List<AlertEvaluator.State> alerts() {
            return List.copyOf(alerts);
        }
    }

    @Test
    void theLatestFiguresAndAlertsAreSeriesAtEachScrapeAndGoneWhenTheyAre() {
        ServerMetrics metrics = new ServerMetrics();
        Source source = new Source();
        MonitorGauges.bind(metrics, source);
        source.figures.addAll(List.of(Figure.ok("churn/drift/spend/wasserstein_normed", START, END, 0.25),
                Figure.ok("churn/drift/dataset/share", START, END, 0.5),
                Figure.noData("churn/drift/tenure/ks", START, END),
                Figure.ok("churn/performance/estimated/roc_auc", START, END, 0.81),
                Figure.ok("churn/performance/realised/accuracy", START, END, 0.75),
                Figure.ok("churn/volume/rows/count", START, END, 1200)));
        source.alerts.add(state("spend-drift", "churn/drift/spend/wasserstein_normed", Phase.FIRING));
        source.alerts.add(state("auc-drop", "churn/performance/estimated/roc_auc", Phase.PENDING));

        String first = metrics.scrape();
        assertThat(first).contains(
                "seer_drift_score{deployment=\"churn\",feature=\"spend\",test=\"wasserstein_normed\"} 0.25",
                "seer_drift_score{deployment=\"churn\",feature=\"dataset\",test=\"share\"} 0.5",
                "seer_performance_estimated{deployment=\"churn\",metric=\"roc_auc\"} 0.81",
                "seer_performance_realised{deployment=\"churn\",metric=\"accuracy\"} 0.75",
                "seer_alert_active{figure=\"churn/drift/spend/wasserstein_normed\",rule=\"spend-drift\"} 1.0",
                "seer_alert_active{figure=\"churn/performance/estimated/roc_auc\",rule=\"auc-drop\"} 0.0");
        assertThat(first).as("no data is no series, not a zero").doesNotContain("test=\"ks\"");
        assertThat(first).doesNotContain("rows");

        // the next window: spend no longer has a figure, the alert resolved; an unreadable store keeps the last figures
        source.figures.removeIf(f -> f.name().contains("spend"));
        source.alerts.set(0, state("spend-drift", "churn/drift/spend/wasserstein_normed", Phase.RESOLVED));
        String second = metrics.scrape();
        assertThat(second).doesNotContain("feature=\"spend\"")
                .contains("seer_alert_active{figure=\"churn/drift/spend/wasserstein_normed\",rule=\"spend-drift\"} 0.0");
        source.failing = true;
        assertThat(metrics.scrape()).contains("seer_drift_score{deployment=\"churn\",feature=\"dataset\",test=\"share\"} 0.5");
    }

    private static AlertEvaluator.State state(String rule, String figure, Phase phase) {
        return new AlertEvaluator.State(rule, figure, phase, 1, false, 0.3, START, END, null);
    }
}

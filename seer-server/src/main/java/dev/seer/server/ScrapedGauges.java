package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineHealth;
import dev.seer.serving.deploy.Deployment;
import dev.seer.serving.feedback.LiveMetrics;
import dev.seer.training.metrics.Metric;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges whose values cost a query, computed when {@code GET /metrics} is scraped, never on
 * the predict path: each deployment's live performance per arm, the feature views' freshness, the
 * stream scoring consumers' lag, and the online store's state. Series of a deployment, arm or view
 * that no longer exists disappear at the next scrape.
 *
 * <p>Live performance is {@code GET /api/v1/deployments/{name}/metrics}'s default answer (the
 * outcomes of predictions made in the last 24 hours, {@link LiveMetrics}), recomputed at most once
 * a minute ({@link #LIVE_REFRESH}): it reads every joined pair of the window, which at a high
 * feedback rate is more than a scrape every few seconds, or several Prometheus servers, should
 * repeat.
 */
final class ScrapedGauges implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapedGauges.class);
    /** The window of the live performance gauges: the metrics route's default. */
    static final Duration LIVE_WINDOW = Duration.ofDays(1);
    /** How long computed live performance is served before it is computed again. */
    static final Duration LIVE_REFRESH = Duration.ofMinutes(1);

    private final Serving serving;
    private final Materializer materializer;
    private final Clock clock;
    private final MultiGauge live;
    private final MultiGauge liveOutcomes;
    private final MultiGauge freshness;
    private final MultiGauge materializedAt;
    private final MultiGauge lag;
    /** When live performance was last computed; null before the first scrape. */
    private Instant liveComputed;
    private List<MultiGauge.Row<?>> liveRows = List.of();
    private List<MultiGauge.Row<?>> outcomeRows = List.of();

    private ScrapedGauges(MeterRegistry registry, Serving serving, FeatureServer features, Materializer materializer,
            Clock clock) {
        this.serving = requireNonNull(serving, "serving is null");
        this.materializer = requireNonNull(materializer, "materializer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.live = MultiGauge.builder("seer.performance.live")
                .description("A deployment arm's metric (accuracy, roc_auc, log_loss, brier, rmse, mae) over the outcomes of"
                        + " predictions made in the last 24 hours, as GET /api/v1/deployments/{name}/metrics reports it")
                .register(registry);
        this.liveOutcomes = MultiGauge.builder("seer.performance.live.outcomes")
                .description("Outcomes behind seer_performance_live: predictions of the last 24 hours joined to feedback")
                .register(registry);
        this.freshness = MultiGauge.builder("seer.feature.freshness").baseUnit("seconds")
                .description("Seconds since a feature view's materialisation watermark (the end of its last"
                        + " materialisation run; streamed values are fresher, see seer_stream_freshness_seconds)")
                .register(registry);
        this.materializedAt = MultiGauge.builder("seer.feature.materialized.timestamp").baseUnit("seconds")
                .description("A feature view's materialisation watermark, in seconds since the epoch")
                .register(registry);
        this.lag = MultiGauge.builder("seer.stream.scoring.lag.records")
                .description("Records of a deployment's input topic not yet scored, summed over the partitions its consumer"
                        + " owns").register(registry);
        for (OnlineHealth.State state : OnlineHealth.State.values()) {
            Gauge.builder("seer.online.store.state", features, f -> f.health().state() == state ? 1 : 0)
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .description("1 for the online store's current state (ready, unreachable, rebuilding), 0 for the others")
                    .register(registry);
        }
    }

    /** Registers the gauges and has {@code metrics} refresh them before each scrape. */
    static void bind(ServerMetrics metrics, Serving serving, FeatureServer features, Materializer materializer, Clock clock) {
        metrics.beforeScrape(new ScrapedGauges(metrics.registry(), serving, features, materializer, clock));
    }

    /** Refreshes each part on its own: a part that fails keeps its last values and is logged, the scrape goes on. */
    @Override
    public void run() {
        Instant now = clock.instant();
        // the deployments unread, the parts that list them keep their last values rather than show none
        read("the deployments", () -> serving.deployments().list()).ifPresent(deployments -> {
            part("live performance", () -> refreshLive(deployments, now));
            part("stream scoring lag", () -> {
                List<MultiGauge.Row<?>> lags = new ArrayList<>();
                for (Deployment d : deployments) {
                    serving.streamStatus(d).ifPresent(s -> lags.add(MultiGauge.Row.of(Tags.of("deployment", d.name()),
                            s.lag().values().stream().mapToLong(Long::longValue).sum())));
                }
                lag.register(lags, true);
            });
        });
        part("feature freshness", () -> {
            List<MultiGauge.Row<?>> ages = new ArrayList<>();
            List<MultiGauge.Row<?>> ends = new ArrayList<>();
            materializer.materializedUpTo().forEach((view, end) -> {
                ages.add(MultiGauge.Row.of(Tags.of("view", view), Duration.between(end, now).toMillis() / 1000.0));
                ends.add(MultiGauge.Row.of(Tags.of("view", view), end.toEpochMilli() / 1000.0));
            });
            freshness.register(ages, true);
            materializedAt.register(ends, true);
        });
    }

    private static void part(String what, Runnable refresh) {
        read(what, () -> {
            refresh.run();
            return Boolean.TRUE;
        });
    }

    private static <T> Optional<T> read(String what, Supplier<T> refresh) {
        try {
            return Optional.of(refresh.get());
        } catch (RuntimeException e) {
            LOG.warn("GET /metrics could not refresh {}; it shows the last values: {}", what, e.toString());
            return Optional.empty();
        }
    }

    private void refreshLive(List<Deployment> deployments, Instant now) {
        if (liveComputed != null && !now.isBefore(liveComputed) && now.isBefore(liveComputed.plus(LIVE_REFRESH))) {
            live.register(liveRows, true);
            liveOutcomes.register(outcomeRows, true);
            return;
        }
        List<MultiGauge.Row<?>> values = new ArrayList<>();
        List<MultiGauge.Row<?>> counts = new ArrayList<>();
        for (Deployment d : deployments) {
            // one deployment that cannot be read (removed meanwhile) leaves the others' figures, and the minute's cache
            Optional<LiveMetrics.Window> read = read("live performance of deployment " + d.name(),
                    () -> serving.metrics(d.name(), now.minus(LIVE_WINDOW), now, Optional.empty()).get(0));
            if (read.isEmpty()) {
                continue;
            }
            LiveMetrics.Window window = read.get();
            // an arm whose model changed output kind in the window is reported once per kind: keep its larger group
            Map<String, LiveMetrics.ArmMetrics> byArm = new HashMap<>();
            for (LiveMetrics.ArmMetrics arm : window.arms()) {
                byArm.merge(arm.arm(), arm, (a, b) -> a.count() >= b.count() ? a : b);
            }
            for (LiveMetrics.ArmMetrics arm : byArm.values()) {
                counts.add(MultiGauge.Row.of(Tags.of("deployment", d.name(), "arm", arm.arm()), arm.count()));
                for (Map.Entry<Metric, LiveMetrics.Estimate> m : arm.metrics().entrySet()) {
                    values.add(MultiGauge.Row.of(Tags.of("deployment", d.name(), "arm", arm.arm(), "metric", m.getKey().id()),
                            m.getValue().value()));
                }
            }
        }
        liveRows = values;
        outcomeRows = counts;
        liveComputed = now;
        live.register(values, true);
        liveOutcomes.register(counts, true);
    }
}

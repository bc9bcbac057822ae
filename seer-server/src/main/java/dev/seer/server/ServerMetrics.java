package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.serving.deploy.Arm;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.deploy.Predictor;
import dev.seer.serving.feedback.FeedbackStore;
import dev.seer.serving.log.PredictionLog;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The meters behind {@code GET /metrics}: HTTP requests, the predict path, feedback, and the
 * figures computed only when scraped ({@link ScrapedGauges}).
 *
 * <p><b>Naming.</b> Every Seer metric follows Prometheus's conventions as {@code promtool check
 * metrics} lints them (docs/design/monitoring-research.md §6): a {@code seer_} prefix, snake_case,
 * base units spelt out as the last word before any suffix ({@code _seconds}, {@code _bytes}; never
 * {@code _ms} or a one-letter word such as {@code _s} or {@code _h}, which promtool reads as an
 * abbreviated unit), {@code _total} on counters and only on counters, no {@code _count}, {@code _sum},
 * {@code _bucket} or type names in other families' names, and a HELP text on every family.
 * Micrometer writes these names from dotted ones: a counter {@code seer.predictions} becomes
 * {@code seer_predictions_total}, a timer {@code seer.predict.duration} the histogram
 * {@code seer_predict_duration_seconds}, a gauge with base unit {@code seconds} gains
 * {@code _seconds}. Labels are bounded sets: route templates (never paths), status classes,
 * deployment names, arms, model versions deployed, feature view names, enum states. Figures that
 * cost a query (live performance, freshness, lag) are gauges computed at scrape time, never on the
 * predict path, which pays one counter increment per prediction and one histogram record per call.
 *
 * <p>The monitoring figures still to come follow the same pattern, one family per figure with the
 * figure's identity in labels: drift scores {@code seer_drift_score{deployment,feature,test}},
 * estimated performance {@code seer_performance_estimated{deployment,metric}} (beside the realised
 * {@code seer_performance_live{deployment,arm,metric}} here), alert states
 * {@code seer_alert_active{rule}} (1 firing, 0 not). Dimensionless scores carry no unit word.
 */
final class ServerMetrics implements AutoCloseable {
    /**
     * Latency buckets for requests and predictions, in seconds: from half a millisecond (a cached
     * lookup, a health check) to ten seconds (a training submission, an export), roughly 1-2.5-5
     * per decade, so a p99 anywhere in that range falls between two buckets within a factor of 2.5.
     */
    static final Duration[] LATENCY_BUCKETS = seconds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10);

    private final PrometheusMeterRegistry registry;
    /** Per matched route (or, unmatched, per method): its meters by status class. */
    private final Map<Object, RouteMeters> routes = new ConcurrentHashMap<>();
    /** Per deployment: its predict meters, built on its first prediction. */
    private final Map<String, DeploymentMeters> deployments = new ConcurrentHashMap<>();
    private final Counter logAppends;
    /** Run before each scrape, in order: they refresh what is computed at scrape time. */
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    ServerMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Micrometer's own names that promtool 2.42 flags, mended before any binder registers them
        registry.config().meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time")) // "_ns_total": abbreviated unit
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        // a gauge ending in "_count" reads as a histogram's or summary's count
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.available") : id;
                    }
                });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // the standard process_cpu_seconds_total, in place of Micrometer's nanoseconds
            FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the server's process").register(registry);
        }
        this.logAppends = Counter.builder("seer.prediction.log.appends")
                .description("Appends handed to the prediction log: one per predict call or stream poll, shadows included")
                .register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresh} before every scrape. */
    void beforeScrape(Runnable refresh) {
        beforeScrape.add(requireNonNull(refresh, "refresh is null"));
    }

    /** The Prometheus text format, the scrape-time figures refreshed first (one scrape at a time). */
    synchronized String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Counts and times one HTTP request, by method, route template and status class. */
    void request(Context ctx, double millis) {
        var matched = ctx.endpoints().matchedHttpEndpoint();
        Object key = matched == null ? ctx.method() : matched;
        RouteMeters meters = routes.get(key);
        if (meters == null) {
            meters = routes.computeIfAbsent(key, k -> new RouteMeters(ctx.method().name(),
                    matched == null ? "unmatched" : matched.path));
        }
        meters.record(ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    /** The prediction log's batches written and the duration of its syncs. */
    void bind(PredictionLog log) {
        FunctionCounter.builder("seer.prediction.log.batches", log, PredictionLog::batchesWritten)
                .description("Batches the prediction log wrote since the server started: appends grouped into one write"
                        + " and one sync").register(registry);
        Timer sync = Timer.builder("seer.prediction.log.sync.duration").serviceLevelObjectives(LATENCY_BUCKETS)
                .description("Time of one sync (fdatasync) of the prediction log's written batches").register(registry);
        log.onSync(nanos -> sync.record(nanos, TimeUnit.NANOSECONDS));
    }

    /** Counts predictions by deployment, arm and model version: called once per append to the prediction log. */
    void predicted(List<Predictor.Predicted> predictions) {
        logAppends.increment();
        DeploymentMeters last = null;
        for (Predictor.Predicted p : predictions) {
            if (last == null || !last.name.equals(p.deployment())) {
                last = deployment(p.deployment());
            }
            last.predicted(p.arm(), p.model());
        }
    }

    /**
     * Records one predict call's duration for its deployment. A failed call counts only for a deployment that has
     * answered before: the name of a failed call may be anything a caller sent (an unknown deployment, a bad name), and
     * each new name would be a new series.
     */
    void predictDuration(String deployment, long nanos, boolean answered) {
        DeploymentMeters meters = answered ? deployment(deployment) : deployments.get(deployment);
        if (meters != null) {
            meters.duration.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A learner that counts outcomes recorded per deployment, then hands them on to {@code next}. */
    FeedbackStore.Learner countingOutcomes(FeedbackStore.Learner next) {
        requireNonNull(next, "next is null");
        return (connection, labelled) -> {
            next.learn(connection, labelled);
            for (FeedbackStore.Labelled l : labelled) {
                if (!l.predictions().isEmpty()) {
                    deployment(l.predictions().get(0).deployment()).outcomes.increment();
                }
            }
        };
    }

    private DeploymentMeters deployment(String name) {
        DeploymentMeters meters = deployments.get(name);
        return meters != null ? meters : deployments.computeIfAbsent(name, n -> new DeploymentMeters(n, registry));
    }

    @Override
    public void close() {
        registry.close();
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }

    /** One route's request counter and latency histogram per status class (1xx to 5xx), each built on first use. */
    private final class RouteMeters {
        /** A status class's two meters, published together so no reader sees one without the other. */
        private record Meters(Counter counter, Timer timer) {}

        private final String method;
        private final String route;
        private final AtomicReferenceArray<Meters> meters = new AtomicReferenceArray<>(6);

        RouteMeters(String method, String route) {
            this.method = method;
            this.route = route;
        }

        void record(int status, long nanos) {
            int klass = status >= 100 && status < 600 ? status / 100 : 0; // 0: a status outside HTTP's classes
            Meters m = meters.get(klass);
            if (m == null) {
                String label = klass == 0 ? "other" : klass + "xx";
                m = new Meters(Counter.builder("seer.http.requests").tag("method", method).tag("route", route)
                        .tag("status_class", label).description("HTTP requests answered, by method, route template and"
                                + " status class").register(registry),
                        Timer.builder("seer.http.request.duration").tag("method", method).tag("route", route)
                        .tag("status_class", label).serviceLevelObjectives(LATENCY_BUCKETS)
                        .description("Time to answer an HTTP request, by method, route template and status class")
                        .register(registry));
                meters.set(klass, m); // registering again returns the same meters: a race only repeats a lookup
            }
            m.counter().increment();
            m.timer().record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** One deployment's predict meters; a counter per arm and model version, cached after its first prediction. */
    private static final class DeploymentMeters {
        private final String name;
        private final PrometheusMeterRegistry registry;
        private final Timer duration;
        private final Counter outcomes;
        private final Map<Arm, Map<ModelRef, Counter>> predictions = new ConcurrentHashMap<>();

        DeploymentMeters(String name, PrometheusMeterRegistry registry) {
            this.name = name;
            this.registry = registry;
            this.duration = Timer.builder("seer.predict.duration").tag("deployment", name)
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .description("Time of a predict call of a deployment: lookup, scoring and the prediction log's durability")
                    .register(registry);
            this.outcomes = Counter.builder("seer.feedback.outcomes").tag("deployment", name)
                    .description("Outcomes recorded as feedback for a deployment's answered predictions").register(registry);
        }

        void predicted(Arm arm, ModelRef model) {
            Map<ModelRef, Counter> byModel = predictions.get(arm);
            if (byModel == null) {
                byModel = predictions.computeIfAbsent(arm, a -> new ConcurrentHashMap<>());
            }
            Counter counter = byModel.get(model);
            if (counter == null) {
                counter = byModel.computeIfAbsent(model, m -> Counter.builder("seer.predictions").tag("deployment", name)
                        .tag("arm", arm.id()).tag("model", m.model()).tag("version", Integer.toString(m.version()))
                        .description("Predictions made, by deployment, arm (shadows included) and model version")
                        .register(registry));
            }
            counter.increment();
        }
    }
}

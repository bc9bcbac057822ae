package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Ids;
import dev.seer.core.catalog.Catalog;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetStore;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.ConsistencyCheck;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineConfig;
import dev.seer.features.online.OnlineGuard;
import dev.seer.features.online.OnlineStore;
import dev.seer.features.online.RedisOnlineStore;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.features.stream.KafkaClients;
import dev.seer.features.stream.KafkaConfig;
import dev.seer.features.stream.Streaming;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.metadata.TokenStore;
import dev.seer.monitoring.watch.AlertStore;
import dev.seer.monitoring.watch.Monitor;
import dev.seer.monitoring.watch.MonitorSettings;
import dev.seer.monitoring.watch.MonitoringOptions;
import dev.seer.monitoring.watch.ProfileUpdater;
import dev.seer.monitoring.watch.RetrainPolicies;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.registry.artifacts.ArtifactStore;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.training.Training;
import dev.seer.registry.versions.ModelRegistry;
import dev.seer.server.Startup.Step;
import dev.seer.serving.feedback.FeedbackOptions;
import dev.seer.serving.online.OnlineOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Map;

/**
 * The services of one home, wired by hand in one place. Both the server and the CLI (when no
 * server owns the home) open the home through this class, so both call the same service code.
 * Later components are added here, each built from the ones it needs.
 */
public final class SeerServices implements AutoCloseable {
    private final SeerHome home;
    private final SeerConfig config;
    private final Clock clock;
    private final MetadataDatabase database;
    private final AuditLog audit;
    private final TokenStore tokens;
    private final Catalog catalog;
    private final FeatureRegistry features;
    private final Ingestor ingestor;
    private final HistoricalRetrieval historical;
    private final OnlineStore online;
    /** Watches the online store: reachable, and still holding what was written (issue 17). */
    private final OnlineGuard onlineGuard;
    private final Materializer materializer;
    private final FeatureServer featureServer;
    private final Streaming streaming;
    private final DatasetStore datasets;
    private final TrackingStore tracking;
    private final ModelRegistry models;
    private final ArtifactStore artifacts;
    private final Training training;
    private final ExplainedModels explainedModels;
    /** Deployments, the predict path, the prediction log and feedback. */
    private final Serving serving;
    /** Online models: created, learnt from feedback by serving, snapshotted to the registry. */
    private final OnlineLearning onlineLearning;
    /** Monitoring: closed windows judged against the champion's reference, alert rules, reports. */
    private final Monitoring monitoring;
    /** Reads the prediction log into monitoring's windows (its schedule runs in a server). */
    private final MonitorFeed monitorFeed;
    /** The retraining loop: policies per deployment, runs on alerts, schedules or a request (issue 18). */
    private final Retraining retraining;
    /** The meters of this home's services, scraped by {@code GET /metrics}; it holds no resource but memory. */
    private final ServerMetrics metrics = new ServerMetrics();
    /** What start-up opened, closed in reverse order on a failed start or by {@link #close}. */
    private final Startup startup;

    private SeerServices(SeerHome home, SeerConfig config, Clock clock, Startup.Probe probe) {
        this.home = requireNonNull(home, "home is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.startup = new Startup(probe);
        try {
            OnlineConfig onlineConfig = config.section(OnlineConfig.SECTION);
            OnlineStoreFactory onlineStores = config.choose(OnlineConfig.TYPE, onlineConfig.type(), ONLINE_STORES); // before any step
            this.database = startup.open(Step.DATABASE, MetadataDatabase.open(config.section(MetadataConfig.SECTION), home.root()),
                    MetadataDatabase::close);
            this.audit = startup.open(Step.AUDIT_LOG, new AuditLog(database, clock, config.section(AuditConfig.SECTION)),
                    AuditLog::close);
            this.tokens = startup.step(Step.TOKENS, new TokenStore(database, audit, clock));
            this.catalog = startup.step(Step.CATALOG, new JdbcCatalog(database, audit, clock));
            this.features = startup.step(Step.FEATURES, new FeatureRegistry(catalog));
            this.ingestor = startup.step(Step.INGESTOR, new Ingestor(catalog, new OfflineStore(home.root().resolve("offline")),
                    clock));
            this.historical = startup.step(Step.RETRIEVAL, new HistoricalRetrieval(catalog, ingestor));
            OnlineStore store = startup.open(Step.ONLINE_STORE, onlineStores.open(home, onlineConfig), OnlineStore::close);
            // Online store outages: everyone writes through the guard's store, which marks it; the guard checks it in the
            // background (started below), rebuilds it when it lost its contents, and the feature server asks it first.
            this.onlineGuard = startup.open(Step.ONLINE_GUARD, new OnlineGuard(catalog, ingestor, store, onlineConfig.type(),
                    audit, clock), OnlineGuard::close);
            this.online = onlineGuard.store();
            this.materializer = startup.step(Step.MATERIALIZER, new Materializer(catalog, ingestor, online));
            this.featureServer = startup.step(Step.FEATURE_SERVER, new FeatureServer(catalog, onlineGuard, clock));
            features.onChange(featureServer::invalidate);
            // Nothing of it runs until a push or kafka source is defined and the server refreshes it;
            // closed first, it flushes what stream ingestion read into the offline store.
            this.streaming = startup.open(Step.STREAMING, new Streaming(home.root(), config.section(KafkaConfig.SECTION), catalog,
                    ingestor, materializer, online, new Ids(clock).next("proc"), clock), Streaming::close);
            // A rebuild of the online store has the window aggregates written again by their stream topologies.
            onlineGuard.windowStates(streaming::rewriteWindows);
            this.datasets = startup.step(Step.DATASETS, new DatasetStore(home.root().resolve("datasets"), catalog, historical,
                    audit, clock));
            this.tracking = startup.step(Step.TRACKING, new TrackingStore(database, audit, clock));
            this.models = startup.step(Step.MODEL_REGISTRY, new ModelRegistry(database, audit, clock));
            this.artifacts = startup.step(Step.ARTIFACTS, new ArtifactStore(database, home.root().resolve("artifacts"), audit,
                    clock));
            this.training = new Training(new TrainingDatasets(datasets), tracking, artifacts, clock,
                    Runtime.getRuntime().availableProcessors());
            this.explainedModels = new ExplainedModels(models, artifacts);
            KafkaConfig kafka = config.section(KafkaConfig.SECTION);
            // the embedded broker starts only when a consumer of serving needs it (Streaming.cluster)
            Serving.StreamSettings streams = new Serving.StreamSettings(() -> new ServingKafka(
                    KafkaClients.of(kafka, streaming.cluster()), kafka.partitions(), Streaming.DEAD_LETTER_TOPIC),
                    config.section(FeedbackOptions.SECTION), new Ids(clock).next("proc"));
            ServingModels servingModels = new ServingModels(models, artifacts); // one cache of loaded models: serving's, monitoring's
            this.serving = startup.open(Step.SERVING, Serving.open(home.root().resolve("predictions"),
                    config.section(dev.seer.serving.log.LogOptions.SECTION), database, audit,
                    models, servingModels, featureServer, clock, streams,
                    config.section(ServerConfig.SECTION).maxPredictionsInFlight(), metrics), Serving::close);
            ScrapedGauges.bind(metrics, serving, featureServer, materializer, clock);
            // its snapshot schedule runs only in a server (SeerServer starts it); closed before serving
            this.onlineLearning = startup.open(Step.ONLINE_LEARNING, new OnlineLearning(serving, catalog, models, artifacts,
                    config.section(OnlineOptions.SECTION), clock), OnlineLearning::close);
            MonitoringOptions monitoringOptions = config.section(MonitoringOptions.SECTION);
            WindowStore windows = new WindowStore(database);
            AlertStore alertStore = new AlertStore(database);
            ProfileUpdater updater = new ProfileUpdater(windows, monitoringOptions);
            // closed after the feed (which judges windows and so delivers alerts) and before the audit log it writes to
            AlertNotifier notifier = startup.open(Step.MONITORING, new AlertNotifier(audit, monitoringOptions.webhooks()),
                    AlertNotifier::close);
            this.monitoring = new Monitoring(new Monitoring.Parts(serving.deployments(), serving.feedbackStore(),
                    new MonitorReferences(models, tracking, servingModels, new TrainingDatasets(datasets),
                            windows, monitoringOptions.reservoirSize()), new Monitor(MonitorSettings.defaults(), alertStore),
                    alertStore, windows, updater, monitoringOptions.window()), notifier, audit, clock);
            // its schedule runs only in a server (SeerServer starts it), reading the log as it grows
            this.monitorFeed = startup.open(Step.MONITOR_FEED, new MonitorFeed(serving.log().log(), windows, updater,
                    serving.log()::kindOf, monitoringOptions, monitoring::judge, clock), MonitorFeed::close);
            MonitorGauges.bind(metrics, monitoring.gauges());
            // its policies' schedule runs only in a server; closed first, it stops a retraining between its steps
            this.retraining = startup.open(Step.RETRAINING, new Retraining(this, new RetrainPolicies(database, clock), clock),
                    Retraining::close);
            monitoring.onTransition(retraining::alerted); // a firing rule a policy names retrains its deployment
            onlineGuard.start(); // the online store's background check: once everything it may rebuild with is open
        } catch (RuntimeException | Error e) {
            startup.closeAll(e);
            throw e;
        }
    }

    /** Opens the online store that {@code online.type} names. */
    @FunctionalInterface
    private interface OnlineStoreFactory {
        OnlineStore open(SeerHome home, OnlineConfig config);
    }

    /** The online stores by {@code online.type}; another backend is one more entry. */
    private static final Map<String, OnlineStoreFactory> ONLINE_STORES = Map.of(
            "rocksdb", (home, config) -> new RocksDbOnlineStore(home.root().resolve("online")),
            "redis", (home, config) -> new RedisOnlineStore(config.redisUrl(), config.redisPrefix()));

    /**
     * Opens the services of a home; the caller must own the home (see {@code SeerHome#lock}). If a
     * step fails, what the earlier ones opened is closed before the failure is thrown.
     */
    public static SeerServices open(SeerHome home, SeerConfig config, Clock clock) {
        return new SeerServices(home, config, clock, Startup.Probe.NONE);
    }

    /** As {@link #open(SeerHome, SeerConfig, Clock)}, telling {@code probe} of each step as it opens. */
    static SeerServices open(SeerHome home, SeerConfig config, Clock clock, Startup.Probe probe) {
        return new SeerServices(home, config, clock, probe);
    }

    public SeerHome home() {
        return home;
    }

    public SeerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public MetadataDatabase database() {
        return database;
    }

    public AuditLog audit() {
        return audit;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public Catalog catalog() {
        return catalog;
    }

    public FeatureRegistry features() {
        return features;
    }

    public Ingestor ingestor() {
        return ingestor;
    }

    public HistoricalRetrieval historical() {
        return historical;
    }

    public Materializer materializer() {
        return materializer;
    }

    public FeatureServer featureServer() {
        return featureServer;
    }

    /** Online window aggregates against a batch recomputation. */
    public ConsistencyCheck consistency() {
        return new ConsistencyCheck(catalog, ingestor, online);
    }

    public Streaming streaming() {
        return streaming;
    }

    /** Experiments, runs, their parameters, metrics and tags. */
    public TrackingStore tracking() {
        return tracking;
    }

    /** Registered models, versions and aliases. */
    public ModelRegistry models() {
        return models;
    }

    /** Trains and evaluates specs, recording runs; registration is {@link TrainingOperations}'. */
    public Training training() {
        return training;
    }

    /** Runs' artifacts and model files, by content. */
    public ArtifactStore artifacts() {
        return artifacts;
    }

    public DatasetStore datasets() {
        return datasets;
    }

    Serving serving() {
        return serving;
    }

    OnlineLearning onlineLearning() {
        return onlineLearning;
    }

    Monitoring monitoring() {
        return monitoring;
    }

    MonitorFeed monitorFeed() {
        return monitorFeed;
    }

    Retraining retraining() {
        return retraining;
    }

    /** Registered versions loaded for explanations. */
    ExplainedModels explainedModels() {
        return explainedModels;
    }

    PrometheusMeterRegistry meters() {
        return metrics.registry();
    }

    ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Closes in reverse order of opening: streaming flushes what stream ingestion read into the
     * offline store, and the audit log commits what it has queued, before the database closes.
     */
    @Override
    public void close() {
        try {
            startup.closeAll();
        } finally {
            metrics.close();
        }
    }
}

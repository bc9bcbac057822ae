package dev.seer.server;

import static java.util.Objects.requireNonNull;

import dev.seer.core.catalog.Catalog;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.ingest.Ingestor;
import dev.seer.features.offline.HistoricalRetrieval;
import dev.seer.features.offline.OfflineStore;
import dev.seer.features.online.FeatureServer;
import dev.seer.features.online.Materializer;
import dev.seer.features.online.OnlineStore;
import dev.seer.features.online.RedisOnlineStore;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.metadata.TokenStore;
import java.time.Clock;

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
    private final Materializer materializer;
    private final FeatureServer featureServer;
    private final dev.seer.features.stream.Streaming streaming;
    private final dev.seer.datasets.DatasetStore datasets;

    private SeerServices(SeerHome home, SeerConfig config, Clock clock) {
        this.home = requireNonNull(home, "home is null");
        this.config = requireNonNull(config, "config is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.database = MetadataDatabase.open(config.metadata(), home.root());
        this.audit = new AuditLog(database, clock, config.audit());
        this.tokens = new TokenStore(database, audit, clock);
        this.catalog = new JdbcCatalog(database, audit, clock);
        this.features = new FeatureRegistry(catalog);
        this.ingestor = new Ingestor(catalog, new OfflineStore(home.root().resolve("offline")), clock);
        this.historical = new HistoricalRetrieval(catalog, ingestor);
        this.online = config.online().type().equals("redis")
                ? new RedisOnlineStore(config.online().redisUrl(), config.online().redisPrefix())
                : new RocksDbOnlineStore(home.root().resolve("online"));
        this.materializer = new Materializer(catalog, ingestor, online);
        this.featureServer = new FeatureServer(catalog, online, clock);
        features.onChange(featureServer::invalidate);
        // Nothing of it runs until a push or kafka source is defined and the server refreshes it.
        this.streaming = new dev.seer.features.stream.Streaming(home.root(), config.kafka(), catalog, ingestor, materializer,
                online, new dev.seer.core.Ids(clock).next("proc"), clock);
        this.datasets = new dev.seer.datasets.DatasetStore(home.root().resolve("datasets"), catalog, historical, audit,
                clock);
    }

    /** Opens the services of a home; the caller must own the home (see {@code SeerHome#lock}). */
    public static SeerServices open(SeerHome home, SeerConfig config, Clock clock) {
        return new SeerServices(home, config, clock);
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
    public dev.seer.features.online.ConsistencyCheck consistency() {
        return new dev.seer.features.online.ConsistencyCheck(catalog, ingestor, online);
    }

    public dev.seer.features.stream.Streaming streaming() {
        return streaming;
    }

    public dev.seer.datasets.DatasetStore datasets() {
        return datasets;
    }

    /** Closes in reverse order of opening; the audit log commits what it has queued first. */
    @Override
    public void close() {
        streaming.close(); // flushes what stream ingestion read into the offline store
        online.close();
        audit.close();
        database.close();
    }
}

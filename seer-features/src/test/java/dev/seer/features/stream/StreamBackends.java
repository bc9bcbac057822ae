package dev.seer.features.stream;

import dev.seer.core.SeerException;
import dev.seer.core.catalog.Catalog;
import dev.seer.features.online.OnlineStore;
import dev.seer.features.online.RedisOnlineStore;
import dev.seer.features.online.RocksDbOnlineStore;
import dev.seer.metadata.AuditConfig;
import dev.seer.metadata.AuditLog;
import dev.seer.metadata.JdbcCatalog;
import dev.seer.metadata.MetadataConfig;
import dev.seer.metadata.MetadataDatabase;
import dev.seer.testing.PostgresDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.JedisPooled;

/**
 * The metadata catalog and online store a stream test runs against, as {@code seer.yaml} would
 * choose them: the embedded defaults (SQLite in the home, RocksDB), or PostgreSQL
 * ({@code metadata.url}, in a schema of the test's own) with Redis ({@code online.type: redis},
 * under a key prefix of the test's own). Closing drops the schema and deletes the keys.
 *
 * <p>Outside CI a PostgreSQL or Redis that cannot be reached skips the test with the reason;
 * under CI ({@code CI=true}) it fails.
 */
final class StreamBackends implements AutoCloseable {
    static final String REDIS_URL = System.getenv().getOrDefault("SEER_TEST_REDIS_URL", "redis://127.0.0.1:6379");

    enum Kind { SQLITE_AND_ROCKSDB, POSTGRES_AND_REDIS }

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Catalog catalog;
    private OnlineStore online;

    private StreamBackends() {}

    static StreamBackends open(Kind kind, Path home, Clock clock) {
        StreamBackends backends = new StreamBackends();
        try {
            if (kind == Kind.SQLITE_AND_ROCKSDB) {
                backends.openCatalog(MetadataConfig.SECTION.defaults(), home, clock);
                backends.online = backends.closeLater(new RocksDbOnlineStore(home.resolve("online")));
            } else {
                PostgresDatabase postgres = backends.closeLater(PostgresDatabase.create());
                backends.openCatalog(new MetadataConfig(postgres.url(), postgres.user(), "", 4), home, clock);
                backends.online = backends.openRedis();
            }
            return backends;
        } catch (RuntimeException | Error e) {
            backends.close();
            throw e;
        }
    }

    Catalog catalog() {
        return catalog;
    }

    OnlineStore online() {
        return online;
    }

    private void openCatalog(MetadataConfig metadata, Path home, Clock clock) {
        createFolder(home);
        MetadataDatabase database = closeLater(MetadataDatabase.open(metadata, home));
        AuditLog audit = closeLater(new AuditLog(database, clock, AuditConfig.SECTION.defaults()));
        catalog = new JdbcCatalog(database, audit, clock);
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OnlineStore openRedis() {
        String prefix = "seer-test-" + UUID.randomUUID() + ":";
        RedisOnlineStore redis;
        try {
            redis = new RedisOnlineStore(REDIS_URL, prefix);
        } catch (SeerException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("Redis is not reachable at " + REDIS_URL + " (CI must provide it)", e);
            }
            Assumptions.abort("Redis is not reachable at " + REDIS_URL + ": " + e.getMessage());
            throw e; // not reached: abort throws
        }
        closeLater(() -> deleteKeys(prefix));
        return closeLater(redis);
    }

    private static void deleteKeys(String prefix) {
        try (JedisPooled redis = new JedisPooled(URI.create(REDIS_URL))) {
            redis.keys(prefix + "*").forEach(redis::del);
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        opened.push(resource);
        return resource;
    }

    /** Closes in the reverse order of opening. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("Closing the test's backends", e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}

package dev.seer.cli;

import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import dev.seer.testing.PostgresDatabase;
import dev.seer.testing.TestRedis;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/**
 * A home for a CLI test and the stores behind it: SQLite and RocksDB inside the home (the
 * default), or PostgreSQL (a schema of its own) and Redis (a key prefix of its own), chosen
 * through the environment as a user would ({@code SEER_METADATA_URL}, {@code SEER_ONLINE_TYPE}).
 * Closing drops the schema and the keys.
 */
final class CliHome implements AutoCloseable {
    final Path root;
    private final Map<String, String> environment;
    private final Optional<PostgresDatabase> postgres;
    private final Optional<String> redisPrefix;

    private CliHome(Path root, Map<String, String> environment, Optional<PostgresDatabase> postgres,
            Optional<String> redisPrefix) {
        this.root = root;
        this.environment = environment;
        this.postgres = postgres;
        this.redisPrefix = redisPrefix;
    }

    static CliHome local(Path root) {
        return new CliHome(root, Map.of(), Optional.empty(), Optional.empty());
    }

    /** Skips the test outside CI (fails it under CI) when PostgreSQL or Redis is missing. */
    static CliHome onPostgresAndRedis(Path root) {
        TestRedis.require();
        PostgresDatabase postgres = PostgresDatabase.create();
        String prefix = "seer-test-" + UUID.randomUUID() + ":";
        return new CliHome(root, Map.of(
                "SEER_METADATA_URL", postgres.url(),
                "SEER_METADATA_USERNAME", postgres.user(),
                "SEER_ONLINE_TYPE", "redis",
                "SEER_ONLINE_REDIS_URL", TestRedis.URL,
                "SEER_ONLINE_REDIS_PREFIX", prefix), Optional.of(postgres), Optional.of(prefix));
    }

    CliRun run(String... args) {
        return CliRun.run(environment, root, args);
    }

    /** The configuration a server on this home runs with. */
    SeerConfig config() {
        return SeerHome.open(root).loadConfig(environment, ConfigSections.ALL);
    }

    /** Runs a statement on the metadata store, as someone with access to the database could. */
    void sql(String statement) throws SQLException {
        try (Connection c = metadata(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    long count(String query) throws SQLException {
        try (Connection c = metadata(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Keys this home wrote to Redis; empty when its online store is RocksDB. */
    Optional<Long> redisKeys() {
        return redisPrefix.map(prefix -> {
            try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.URL))) {
                return (long) redis.keys(prefix + "*").size();
            }
        });
    }

    boolean onPostgres() {
        return postgres.isPresent();
    }

    private Connection metadata() throws SQLException {
        return postgres.isPresent() ? postgres.get().connect()
                : DriverManager.getConnection("jdbc:sqlite:" + root.resolve("metadata.db"));
    }

    @Override
    public void close() throws SQLException {
        redisPrefix.ifPresent(prefix -> {
            try (JedisPooled redis = new JedisPooled(URI.create(TestRedis.URL))) {
                redis.keys(prefix + "*").forEach(redis::del);
            }
        });
        if (postgres.isPresent()) {
            postgres.get().close();
        }
    }
}

package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.seer.core.SeerException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The JDBC database behind the metadata store: SQLite in the home by default (WAL,
 * synchronous=FULL, so a commit is on disk when it returns), PostgreSQL when {@code metadata.url}
 * names one. Opening it applies the Flyway migrations of its dialect.
 */
public final class MetadataDatabase implements AutoCloseable {
    /** The highest migration version; {@code MetadataDatabaseTest} checks it against the migration files. */
    static final int SCHEMA_VERSION = 3;
    /** The metadata backends by the scheme of {@code metadata.url}. */
    private static final Map<String, Dialect> DIALECTS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "jdbc:sqlite:", Dialect.SQLITE, "jdbc:postgresql:", Dialect.POSTGRESQL)));
    private static final String SQLITE_PRAGMAS = "journal_mode=WAL&synchronous=FULL&busy_timeout=30000&foreign_keys=true";

    private final Dialect dialect;
    private final String url;
    private final MetadataConfig config;
    private final HikariDataSource pool;

    private MetadataDatabase(Dialect dialect, String url, MetadataConfig config) {
        this.dialect = dialect;
        this.url = url;
        this.config = config;
        this.pool = new HikariDataSource(poolConfig(dialect, url, config));
    }

    /** Opens (and migrates) the store named by {@code config}, or the SQLite file in {@code home}. */
    public static MetadataDatabase open(MetadataConfig config, Path home) {
        requireNonNull(config, "config is null");
        String url = config.url().isBlank() ? "jdbc:sqlite:" + home.resolve("metadata.db").toAbsolutePath() : config.url();
        Dialect dialect = dialectOf(url);
        MetadataDatabase database;
        try {
            database = new MetadataDatabase(dialect, url, config);
        } catch (RuntimeException e) {
            throw new SeerException(MetadataErrorCode.STORE_UNAVAILABLE,
                    "Cannot connect to the metadata store [" + redact(url) + "]: " + rootMessage(e),
                    Map.of("url", redact(url)), e);
        }
        database.migrate();
        return database;
    }

    /**
     * The backend named by the URL's scheme: the store's {@code type} is the JDBC scheme, as JDBC
     * itself picks a driver, so a URL cannot name one backend and configure another. Another
     * backend is one more entry (with its dialect and migrations).
     */
    private static Dialect dialectOf(String url) {
        return DIALECTS.entrySet().stream().filter(e -> url.startsWith(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new SeerException(MetadataErrorCode.UNSUPPORTED_URL, "metadata.url [" + redact(url)
                        + "] is not one of the supported kinds: " + String.join(", ", DIALECTS.keySet()) + " URLs",
                        Map.of("url", redact(url))));
    }

    private static HikariConfig poolConfig(Dialect dialect, String url, MetadataConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("seer-metadata");
        hikari.setJdbcUrl(dialect == Dialect.SQLITE ? withSqlitePragmas(url) : url);
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        // A SQLite file opens at once or never; a PostgreSQL that is starting gets a few seconds.
        hikari.setInitializationFailTimeout(dialect == Dialect.SQLITE ? 1 : 3_000);
        if (dialect == Dialect.POSTGRESQL) {
            hikari.setUsername(emptyToNull(config.username()));
            hikari.setPassword(emptyToNull(config.password()));
            hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
            // Server-side prepared from the first run, so results come in binary: hashes as raw
            // bytes rather than hex text, which verify would otherwise decode a million times over.
            hikari.addDataSourceProperty("prepareThreshold", "-1");
        }
        return hikari;
    }

    private void migrate() {
        if (schemaIsCurrent()) {
            return; // skips Flyway's start-up cost (about half a second) on every CLI command
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(dialect.migrationLocation())
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new SeerException(MetadataErrorCode.MIGRATION_FAILED,
                    "Migrating the metadata store [" + redact(url) + "] failed: " + rootMessage(e), Map.of(), e);
        }
    }

    /** Whether every recorded migration succeeded and the latest is {@link #SCHEMA_VERSION}. */
    private boolean schemaIsCurrent() {
        try (Connection c = pool.getConnection();
                java.sql.Statement statement = c.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            int latest = 0;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                String version = rs.getString(1);
                if (version != null) {
                    latest = Math.max(latest, Integer.parseInt(version));
                }
            }
            return latest == SCHEMA_VERSION;
        } catch (SQLException | NumberFormatException e) {
            return false; // no history yet, or one Flyway must read: let it
        }
    }

    DataSource dataSource() {
        return pool;
    }

    Dialect dialect() {
        return dialect;
    }

    public String describe() {
        return dialect.name().toLowerCase(java.util.Locale.ROOT) + " " + redact(url);
    }

    /**
     * A connection of its own for the audit writer, outside the pool, so group commits never wait
     * behind readers for a connection.
     */
    Connection openWriterConnection() throws SQLException {
        Connection connection;
        if (dialect == Dialect.SQLITE) {
            connection = DriverManager.getConnection(withSqlitePragmas(url));
        } else {
            Properties properties = new Properties();
            if (!config.username().isEmpty()) {
                properties.setProperty("user", config.username());
            }
            if (!config.password().isEmpty()) {
                properties.setProperty("password", config.password());
            }
            properties.setProperty("reWriteBatchedInserts", "true");
            connection = DriverManager.getConnection(url, properties);
        }
        dialect.prepareWriter(connection);
        return connection;
    }

    private static String withSqlitePragmas(String url) {
        return url + (url.contains("?") ? "&" : "?") + SQLITE_PRAGMAS;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** Drops a password from a URL before it goes into a message. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}

package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.seer.core.SeerException;
import dev.seer.core.store.SqlDatabase;
import dev.seer.core.store.SqlDialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC database behind the metadata store: SQLite in the home by default (WAL,
 * synchronous=FULL, so a commit is on disk when it returns), PostgreSQL when {@code metadata.url}
 * names one. Opening it applies the Flyway migrations of its dialect.
 */
public final class MetadataDatabase implements SqlDatabase, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataDatabase.class);
    /** The highest migration version; {@code MetadataDatabaseTest} checks it against the migration files. */
    static final int SCHEMA_VERSION = 3;
    /** The metadata backends by the scheme of {@code metadata.url}. */
    private static final Map<String, Dialect> DIALECTS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "jdbc:sqlite:", Dialect.SQLITE, "jdbc:postgresql:", Dialect.POSTGRESQL)));
    private static final String SQLITE_PRAGMAS = "journal_mode=WAL&synchronous=FULL&busy_timeout=30000&foreign_keys=true"
            + "&cache_size=-65536&mmap_size=268435456";

    private final Dialect dialect;
    private final String url;
    private final MetadataConfig config;
    private final HikariDataSource pool;
    /**
     * This process's SQLite write transactions queue here, in order, rather than in SQLite's busy
     * handler, which polls with sleeps of up to 100 ms and so turns a short wait into a long tail.
     * Other processes on the same file still meet the busy timeout.
     */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);
    /** SQLite only: refreshes the planner's statistics every hour (see {@link #keepStatistics}). */
    private ScheduledExecutorService statistics;

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
        database.keepStatistics();
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

    /**
     * SQLite plans from the statistics ANALYZE leaves and never gathers them itself: a run
     * search planned without them read 100,000 runs where 5,000 would do (236 against 20 ms).
     * Its recommended upkeep is {@code PRAGMA optimize=0x10002} when the database opens (check
     * every table, analyze only those that changed much, within a time limit) and then
     * periodically; here at open and every hour. It writes, so it takes the writer lock: run
     * from a pooled connection's own start-up it collided with migrations in progress
     * (SQLITE_BUSY_SNAPSHOT). PostgreSQL's autovacuum does this itself.
     */
    private void keepStatistics() {
        if (dialect != Dialect.SQLITE) {
            return;
        }
        optimizeStatistics();
        statistics = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "seer-metadata-statistics");
            thread.setDaemon(true);
            return thread;
        });
        statistics.scheduleWithFixedDelay(this::optimizeStatistics, 1, 1, TimeUnit.HOURS);
    }

    /**
     * One {@code PRAGMA optimize}, on a connection of its own rather than the pool's: writers take
     * a pooled connection and then the writer lock, so taking the lock and then a pooled
     * connection could wait on them. A failure only leaves the statistics as they were, so it is
     * logged.
     */
    void optimizeStatistics() {
        lockWriter();
        try (Connection c = openWriterConnection(); java.sql.Statement statement = c.createStatement()) {
            statement.execute("PRAGMA optimize=0x10002");
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Refreshing the metadata store's planner statistics failed: {}", rootMessage(e));
        } finally {
            unlockWriter();
        }
    }

    private void migrate() {
        migrate(dialect.migrationLocation(), "flyway_schema_history", SCHEMA_VERSION, "the metadata store");
    }

    @Override
    public void migrate(String component, int version) {
        if (!component.matches("[a-z][a-z0-9_]{0,30}")) {
            throw new IllegalArgumentException("component name [" + component + "] is not a plain lower-case name");
        }
        migrate("classpath:db/migration/" + component + "/" + sqlDialect().folder(), component + "_schema_history", version,
                "the " + component + " schema of the metadata store");
    }

    /** The component's tables live beside the others: its history starts from an empty baseline in a store that has tables. */
    private void migrate(String location, String historyTable, int version, String what) {
        if (schemaIsCurrent(historyTable, version)) {
            return; // skips Flyway's start-up cost (about half a second) on every CLI command
        }
        // No other write of this process (the statistics' refresh) runs into a migration. Flyway
        // then draws pooled connections under the lock; migrations run as stores open, before
        // any writer holds a connection, so none is waiting for the lock with one.
        lockWriter();
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations(location)
                    .table(historyTable)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            if (historyTable.equals("flyway_schema_history")) {
                pool.close();
            }
            throw new SeerException(MetadataErrorCode.MIGRATION_FAILED,
                    "Migrating " + what + " [" + redact(url) + "] failed: " + rootMessage(e), Map.of(), e);
        } finally {
            unlockWriter();
        }
    }

    /** Whether every recorded migration in {@code historyTable} succeeded and the latest is {@code version}. */
    private boolean schemaIsCurrent(String historyTable, int version) {
        try (Connection c = pool.getConnection();
                java.sql.Statement statement = c.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("SELECT version, success FROM " + historyTable)) {
            int latest = 0;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                String recorded = rs.getString(1);
                if (recorded != null) {
                    latest = Math.max(latest, Integer.parseInt(recorded));
                }
            }
            return latest == version;
        } catch (SQLException | NumberFormatException e) {
            return false; // no history yet, or one Flyway must read: let it
        }
    }

    @Override
    public SqlDialect dialect() {
        return sqlDialect();
    }

    private SqlDialect sqlDialect() {
        return dialect == Dialect.SQLITE ? SqlDialect.SQLITE : SqlDialect.POSTGRESQL;
    }

    @Override
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = pool.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            dialect.prepareWriter(c);
            lockWriter();
            try {
                dialect.begin(c);
                T result = work.run(c);
                dialect.commit(c);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            } finally {
                unlockWriter();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** Takes this process's turn to write, on SQLite; PostgreSQL's writers need none. */
    void lockWriter() {
        if (dialect == Dialect.SQLITE) {
            sqliteWriter.lock();
        }
    }

    void unlockWriter() {
        if (dialect == Dialect.SQLITE) {
            sqliteWriter.unlock();
        }
    }

    private void rollback(Connection c, Exception cause) {
        try {
            if (dialect == Dialect.SQLITE) {
                try (java.sql.Statement statement = c.createStatement()) {
                    statement.execute("ROLLBACK");
                }
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    /** The metadata store's own dialect, with its SQL. */
    Dialect metadataDialect() {
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
        if (statistics != null) {
            statistics.shutdownNow();
            try {
                statistics.awaitTermination(10, TimeUnit.SECONDS); // a refresh under way finishes first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pool.close();
    }
}

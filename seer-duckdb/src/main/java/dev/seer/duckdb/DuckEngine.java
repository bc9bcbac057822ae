package dev.seer.duckdb;

import dev.seer.core.SeerException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.duckdb.DuckDBPreparedStatement;

/**
 * DuckDB connections. Extensions are never installed or loaded on demand (nothing is downloaded
 * at run time). A sandboxed connection also has no file system or network access and its
 * configuration is locked, so SQL written by users (feature expressions) can compute but not
 * reach anything. The feature store (its files, checks and joins) and datasets (their canonical
 * Parquet, profiles and splits) both work through it, so DuckDB is configured in one place.
 */
public final class DuckEngine {
    private DuckEngine() {}

    /** An in-memory connection that may read the files the queries name. */
    public static Connection open() {
        return open(false);
    }

    /** An in-memory connection with no access outside itself, for SQL that users write. */
    public static Connection sandbox() {
        return open(true);
    }

    private static Connection open(boolean sandboxed) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET autoinstall_known_extensions = false");
                statement.execute("SET autoload_known_extensions = false");
                // Progress is tracked (for executeWithProgress) but never printed by DuckDB itself.
                statement.execute("SET enable_progress_bar = true");
                statement.execute("SET enable_progress_bar_print = false");
                if (sandboxed) {
                    statement.execute("SET enable_external_access = false");
                    statement.execute("SET lock_configuration = true");
                }
            }
            return connection;
        } catch (SQLException e) {
            throw failure("Starting DuckDB", e);
        }
    }

    /** How often a long statement reports how far it is. */
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private static final ScheduledExecutorService PROGRESS = Executors
            .newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "seer-duckdb-progress");
                thread.setDaemon(true);
                return thread;
            });

    /**
     * Runs a statement and, while it runs, reports {@code "<step> [####------] 40%"} every
     * {@link #PROGRESS_EVERY}, from DuckDB's own estimate (rows scanned of rows to scan). A
     * statement quicker than that reports nothing.
     */
    public static void executeWithProgress(Connection duck, String sql, String step,
            Consumer<String> progress) throws SQLException {
        executeWithProgress(duck, sql, step, progress, PROGRESS_EVERY);
    }

    static void executeWithProgress(Connection duck, String sql, String step, Consumer<String> progress,
            Duration interval) throws SQLException {
        try (Statement statement = duck.createStatement()) {
            DuckDBPreparedStatement running = statement.unwrap(DuckDBPreparedStatement.class);
            long every = interval.toMillis();
            var poll = PROGRESS.scheduleAtFixedRate(() -> {
                try {
                    double percent = running.getQueryProgress().getPercentage();
                    if (percent >= 0) {
                        progress.accept(step + " " + bar(percent));
                    }
                } catch (SQLException | RuntimeException e) {
                    // the statement finished or failed between polls: nothing to report
                }
            }, every, every, TimeUnit.MILLISECONDS);
            try {
                statement.execute(sql);
            } finally {
                poll.cancel(false);
            }
        }
    }

    static String bar(double percent) {
        int filled = (int) Math.max(0, Math.min(20, Math.round(percent / 5)));
        return "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "] " + Math.round(Math.min(100, percent)) + "%";
    }

    /** A SQL string literal. */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A SQL identifier. */
    public static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    public static SeerException failure(String what, SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
        return new SeerException(DuckErrorCode.ENGINE_FAILURE, what + " failed: " + message, Map.of(), e);
    }
}

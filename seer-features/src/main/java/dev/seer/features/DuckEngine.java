package dev.seer.features;

import dev.seer.core.SeerException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * DuckDB connections. Extensions are never installed or loaded on demand (nothing is downloaded
 * at run time). A sandboxed connection also has no file system or network access and its
 * configuration is locked, so SQL written by users (feature expressions) can compute but not
 * reach anything.
 */
final class DuckEngine {
    private DuckEngine() {}

    /** An in-memory connection that may read the files the queries name. */
    static Connection open() {
        return open(false);
    }

    /** An in-memory connection with no access outside itself. */
    static Connection sandbox() {
        return open(true);
    }

    private static Connection open(boolean sandboxed) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET autoinstall_known_extensions = false");
                statement.execute("SET autoload_known_extensions = false");
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

    /** A SQL string literal. */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A SQL identifier. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static SeerException failure(String what, SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
        return new SeerException(FeatureErrorCode.ENGINE_FAILURE, what + " failed: " + message, Map.of(), e);
    }
}

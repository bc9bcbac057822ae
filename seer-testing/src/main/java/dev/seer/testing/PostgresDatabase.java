package dev.seer.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh schema in the local PostgreSQL ({@code 127.0.0.1:5432}, database {@code test}, trust
 * auth; override with {@code SEER_TEST_POSTGRES_URL}) for one test, dropped on close.
 *
 * <p>When PostgreSQL cannot be reached the test is skipped with the reason, except under CI
 * ({@code CI=true}), where it fails (see {@link RequiredService}).
 */
public final class PostgresDatabase implements AutoCloseable {
    public static final String BASE_URL = System.getenv().getOrDefault("SEER_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String USER = System.getenv().getOrDefault("SEER_TEST_POSTGRES_USER", "postgres");

    private final String schema;

    private PostgresDatabase(String schema) {
        this.schema = schema;
    }

    /** Creates a new empty schema, or skips the test (outside CI) when PostgreSQL is down. */
    public static PostgresDatabase create() {
        String schema = "seer_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, "");
                Statement statement = c.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw RequiredService.missing("PostgreSQL is not reachable at " + BASE_URL + " as " + USER + ": "
                    + e.getMessage(), e);
        }
        return new PostgresDatabase(schema);
    }

    /** A JDBC URL whose connections work in this schema. */
    public String url() {
        return BASE_URL + (BASE_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    public String user() {
        return USER;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, "");
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = DriverManager.getConnection(BASE_URL, USER, "");
                Statement statement = c.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}

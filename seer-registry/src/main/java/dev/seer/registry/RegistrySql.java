package dev.seer.registry;

import dev.seer.core.SeerException;
import dev.seer.core.store.SqlDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * The few JDBC steps every store of the registry takes: a statement with bound parameters, a
 * write transaction or a read on a pooled connection, and a database error turned into
 * {@link RegistryErrorCode#STORAGE_FAILURE} naming what was being done. Public for the
 * registry's packages only; nothing outside seer-registry has a reason to use it.
 */
public final class RegistrySql {
    private RegistrySql() {}

    /** Runs one statement, every value a bound parameter. */
    public static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, parameters);
            return s.executeUpdate();
        }
    }

    public static void bind(PreparedStatement s, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            s.setObject(i + 1, parameters[i]);
        }
    }

    public static <T> T write(SqlDatabase database, String what, SqlDatabase.Work<T> work) {
        try {
            return database.inTransaction(work);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    public static <T> T read(SqlDatabase database, String what, SqlDatabase.Work<T> work) {
        try (Connection c = database.connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    public static SeerException failure(String what, SQLException e) {
        return new SeerException(RegistryErrorCode.STORAGE_FAILURE, what + " failed: " + e.getMessage(), Map.of(), e);
    }

    /** SQLite's constraint error, PostgreSQL's unique violation. */
    public static boolean isDuplicate(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return "23505".equals(e.getSQLState()) || message.contains("UNIQUE constraint failed")
                || message.contains("PRIMARY KEY constraint failed");
    }
}

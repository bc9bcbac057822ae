package dev.seer.core.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The relational database the platform keeps its records in (the metadata store: SQLite in the
 * home, or PostgreSQL), as a component that owns tables of its own sees it: pooled connections,
 * the dialect, write transactions, and migrations of the component's own schema. A component's
 * schema is versioned apart from every other's (its own Flyway history table), so adding tables
 * to one component never renumbers another's.
 */
public interface SqlDatabase {
    /** Work on one connection; an exception rolls a transaction back. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    SqlDialect dialect();

    /** A pooled connection in auto-commit, for reads; the caller closes it. */
    Connection connection() throws SQLException;

    /**
     * Runs {@code work} in one write transaction and commits it. On SQLite the transaction takes
     * the write lock at its start ({@code BEGIN IMMEDIATE}), so concurrent writers queue (up to
     * the busy timeout) instead of failing when a read lock would have to be upgraded.
     */
    <T> T inTransaction(Work<T> work) throws SQLException;

    /**
     * Applies the migrations of {@code component} (classpath
     * {@code db/migration/<component>/<dialect>}, history in {@code <component>_schema_history})
     * up to {@code version}; cheap when the schema already is at {@code version}.
     */
    void migrate(String component, int version);
}

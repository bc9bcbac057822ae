package dev.seer.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The little that differs between the two metadata backends. */
enum Dialect {
    /** Writes start with BEGIN IMMEDIATE (see {@link #begin}), so the head read needs no extra lock. */
    SQLITE("sqlite", "SELECT size, last_hash FROM audit_head WHERE id = 1"),
    /** Row lock on the head: concurrent writers, in any process, queue behind it. */
    POSTGRESQL("postgresql", "SELECT size, last_hash FROM audit_head WHERE id = 1 FOR UPDATE");

    private final String migrationFolder;
    private final String lockHeadSql;

    Dialect(String migrationFolder, String lockHeadSql) {
        this.migrationFolder = migrationFolder;
        this.lockHeadSql = lockHeadSql;
    }

    String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    String lockHeadSql() {
        return lockHeadSql;
    }

    /**
     * Prepares the writer connection. SQLite stays in JDBC auto-commit and gets explicit BEGIN
     * IMMEDIATE and COMMIT: sqlite-jdbc's own transactions open the next one right after each
     * commit, which in IMMEDIATE mode would hold the write lock while the writer is idle and
     * starve every other writer of the file. (With auto-commit on, the driver's per-statement
     * "begin; commit;" probe fails harmlessly inside our open transaction and changes nothing.)
     */
    void prepareWriter(Connection connection) throws SQLException {
        connection.setAutoCommit(this == SQLITE);
    }

    /**
     * Starts a write transaction. For SQLite this takes the database's write lock at once, so the
     * head read next cannot be overtaken by another writer (of this or another process).
     */
    void begin(Connection connection) throws SQLException {
        if (this == SQLITE) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
            }
        }
    }

    void commit(Connection connection) throws SQLException {
        if (this == SQLITE) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
            }
        } else {
            connection.commit();
        }
    }

    void rollback(Connection connection) throws SQLException {
        if (this == SQLITE) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ROLLBACK");
            }
        } else {
            connection.rollback();
        }
    }

    /** Makes a reader see a consistent snapshot for a multi-statement read such as verify. */
    void beginSnapshot(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        if (this == POSTGRESQL) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
        }
    }
}

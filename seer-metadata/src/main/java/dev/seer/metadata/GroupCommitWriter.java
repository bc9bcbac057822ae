package dev.seer.metadata;

import dev.seer.core.GroupCommit;
import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the audit log.
 *
 * <p>Appenders put entries on a bounded queue and get a future ({@link GroupCommit}). The
 * writer thread takes whatever has queued up (up to {@code batchMaxEntries}), and in one
 * transaction locks the chain head, chains and inserts the batch, moves the head and commits;
 * only then are the futures completed. While one commit waits for its disk sync, the next batch
 * gathers, so a sync is paid per batch rather than per entry.
 *
 * <p>The head is read under a lock inside the transaction, never cached, so writers in other
 * processes sharing a PostgreSQL store extend the same chain without forking it. A commit whose
 * outcome is unknown (the connection broke during COMMIT) is resolved by reading the head again:
 * if it ends in the batch's last hash, the batch is in, and is not appended twice.
 *
 * <p>Every future completes: with its entry, or with an error when the batch could not be
 * written or the writer was closed. Nothing thrown by a batch stops the writer thread.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_ATTEMPTS = 5;
    private static final String INSERT = "INSERT INTO audit_entry (" + StoredRow.COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    record Pending(AuditRecord record, long timeMicros, String payload) {}

    private record Head(long size, byte[] lastHash) {}

    private final MetadataDatabase database;
    private final GroupCommit<Pending, AuditEntry> batches;
    /** Only the writer thread uses it. */
    private Connection connection;

    GroupCommitWriter(MetadataDatabase database, int batchMaxEntries, int queueCapacity) {
        this.database = database;
        this.batches = new GroupCommit<>("seer-audit-writer", queueCapacity, batchMaxEntries, p -> 1, this::commitBatch,
                GroupCommitWriter::closed);
    }

    /** Queues an entry, waiting for room when the queue is full. */
    CompletableFuture<AuditEntry> submit(Pending pending) {
        return batches.submit(pending);
    }

    /** Queues an entry only if there is room at once; returns false otherwise. */
    boolean offer(Pending pending) {
        return batches.offer(pending).isPresent();
    }

    /** One batch; anything unexpected drops the connection, so the next batch starts afresh. */
    private List<AuditEntry> commitBatch(List<Pending> batch) throws InterruptedException {
        try {
            return commitWithRetry(batch);
        } catch (SeerException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.error("Audit writer failed on a batch of {} entries", batch.size(), e);
            resetConnection();
            throw new SeerException(MetadataErrorCode.STORE_FAILURE, "Audit entries could not be written: " + e, Map.of(), e);
        }
    }

    private List<AuditEntry> commitWithRetry(List<Pending> batch) throws InterruptedException {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<AuditEntry> prepared = new ArrayList<>(batch.size());
            try {
                commit(batch, prepared);
                return prepared;
            } catch (SQLException e) {
                if (isConstraintViolation(e)) {
                    // The sequence number after the head is taken: rows were added behind the log's back.
                    throw new SeerException(MetadataErrorCode.AUDIT_LOG_TAMPERED,
                            "The audit log has an entry beyond its recorded head, so it cannot be extended; "
                                    + "run `seer audit verify`", Map.of(), e);
                }
                last = e;
                LOG.warn("Audit batch of {} entries failed (attempt {} of {}): {}", batch.size(), attempt, MAX_ATTEMPTS,
                        e.getMessage());
                resetConnection();
                if (committedAnyway(prepared)) {
                    return prepared;
                }
                Thread.sleep(20L << attempt);
            }
        }
        throw new SeerException(MetadataErrorCode.STORE_UNAVAILABLE,
                "Audit entries could not be written: " + MetadataDatabase.rootMessage(last), Map.of(), last);
    }

    /** Writes the batch in one transaction; {@code prepared} receives the entries as they are chained. */
    private void commit(List<Pending> batch, List<AuditEntry> prepared) throws SQLException {
        Connection c = connection();
        Dialect dialect = database.metadataDialect();
        database.lockWriter();
        try {
            dialect.begin(c);
            try {
                Head head = readHead(c, dialect.lockHeadSql());
                byte[] last = insert(c, batch, head, prepared);
                try (PreparedStatement update = c.prepareStatement("UPDATE audit_head SET size = ?, last_hash = ? WHERE id = 1")) {
                    update.setLong(1, head.size() + batch.size());
                    update.setBytes(2, last);
                    update.executeUpdate();
                }
                dialect.commit(c);
            } catch (SQLException | RuntimeException e) {
                try {
                    dialect.rollback(c);
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                    resetConnection(); // closing the connection releases whatever lock it still holds
                }
                throw e;
            }
        } finally {
            database.unlockWriter();
        }
    }

    private static Head readHead(Connection c, String sql) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
            rs.next();
            return new Head(rs.getLong(1), rs.getBytes(2));
        }
    }

    /** Chains the batch onto the head and inserts it; returns the last hash. */
    private static byte[] insert(Connection c, List<Pending> batch, Head head, List<AuditEntry> prepared)
            throws SQLException {
        long seq = head.size();
        byte[] prev = head.lastHash();
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Pending pending : batch) {
                seq++;
                AuditRecord r = pending.record();
                StoredRow unhashed = new StoredRow(seq, pending.timeMicros(), r.actor(), r.action(), r.subjectType(),
                        r.subjectId(), pending.payload(), prev, null);
                byte[] hash = unhashed.recomputeHash();
                StoredRow row = new StoredRow(seq, unhashed.timeMicros(), r.actor(), r.action(), r.subjectType(),
                        r.subjectId(), pending.payload(), prev, hash);
                bind(insert, row);
                insert.addBatch();
                prepared.add(row.toEntry());
                prev = hash;
            }
            insert.executeBatch();
        }
        return prev;
    }

    /** After a failure: whether the head now ends in the batch's last entry, i.e. the COMMIT went through. */
    private boolean committedAnyway(List<AuditEntry> prepared) {
        if (prepared.isEmpty()) {
            return false;
        }
        AuditEntry last = prepared.get(prepared.size() - 1);
        try (Connection c = database.dataSource().getConnection()) {
            Head head = readHead(c, "SELECT size, last_hash FROM audit_head WHERE id = 1");
            return head.size() == last.seq() && Arrays.equals(head.lastHash(), HexFormat.of().parseHex(last.hash()));
        } catch (SQLException e) {
            return false; // unknown still; the retry's chain check decides
        }
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || e.getErrorCode() == 19 /* SQLITE_CONSTRAINT */;
    }

    private static void bind(PreparedStatement insert, StoredRow row) throws SQLException {
        insert.setLong(1, row.seq());
        insert.setLong(2, row.timeMicros());
        insert.setString(3, row.actor());
        insert.setString(4, row.action());
        insert.setString(5, row.subjectType());
        insert.setString(6, row.subjectId());
        insert.setString(7, row.payload());
        insert.setBytes(8, row.prevHash());
        insert.setBytes(9, row.hash());
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = database.openWriterConnection();
        }
        return connection;
    }

    private void resetConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is being dropped anyway
            }
            connection = null;
        }
    }

    private static SeerException closed() {
        return new SeerException(MetadataErrorCode.AUDIT_CLOSED, "The audit log is closed", Map.of());
    }

    /** Stops taking entries, commits everything already queued, then stops the thread. */
    @Override
    public void close() {
        batches.close();
        resetConnection();
    }
}

package dev.seer.metadata;

import dev.seer.core.SeerException;
import dev.seer.core.audit.AuditRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the audit log.
 *
 * <p>Appenders put entries on a bounded queue and get a future. One writer thread takes
 * whatever has queued up (up to {@code batchMaxEntries}), and in one transaction locks the chain
 * head, chains and inserts the batch, moves the head and commits; only then are the futures
 * completed. While one commit waits for its disk sync, the next batch gathers, so a sync is paid
 * per batch rather than per entry, without any timer adding latency when the load is light.
 *
 * <p>The head is read under a lock inside the transaction, never cached, so writers in other
 * processes sharing a PostgreSQL store extend the same chain without forking it.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_ATTEMPTS = 5;

    record Pending(AuditRecord record, long timeMicros, String payload, CompletableFuture<AuditEntry> done) {}

    private final MetadataDatabase database;
    private final int batchMaxEntries;
    private final BlockingQueue<Pending> queue;
    private final Thread thread;
    private Connection connection;
    private volatile boolean closing;

    GroupCommitWriter(MetadataDatabase database, int batchMaxEntries, int queueCapacity) {
        this.database = database;
        this.batchMaxEntries = batchMaxEntries;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.thread = new Thread(this::run, "seer-audit-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void submit(Pending pending) {
        if (closing) {
            pending.done().completeExceptionally(closed());
            return;
        }
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.done().completeExceptionally(closed());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchMaxEntries);
        while (!closing || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchMaxEntries - 1);
                commitWithRetry(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commitWithRetry(List<Pending> batch) throws InterruptedException {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                List<AuditEntry> entries = commit(batch);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(entries.get(i));
                }
                return;
            } catch (SQLException e) {
                if (isConstraintViolation(e)) {
                    // The sequence number after the head is taken: rows were added behind the log's back.
                    SeerException tampered = new SeerException(MetadataErrorCode.AUDIT_LOG_TAMPERED,
                            "The audit log has an entry beyond its recorded head, so it cannot be extended; "
                                    + "run `seer audit verify`", Map.of(), e);
                    batch.forEach(p -> p.done().completeExceptionally(tampered));
                    return;
                }
                last = e;
                LOG.warn("Audit batch of {} entries failed (attempt {} of {}): {}", batch.size(), attempt, MAX_ATTEMPTS,
                        e.getMessage());
                resetConnection();
                Thread.sleep(20L << attempt);
            }
        }
        SeerException failure = new SeerException(MetadataErrorCode.STORE_UNAVAILABLE,
                "Audit entries could not be written: " + MetadataDatabase.rootMessage(last), Map.of(), last);
        batch.forEach(p -> p.done().completeExceptionally(failure));
    }

    private List<AuditEntry> commit(List<Pending> batch) throws SQLException {
        Connection c = connection();
        Dialect dialect = database.dialect();
        dialect.begin(c);
        try {
            long seq;
            byte[] prev;
            try (PreparedStatement head = c.prepareStatement(dialect.lockHeadSql()); ResultSet rs = head.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
                prev = rs.getBytes(2);
            }
            List<AuditEntry> entries = new ArrayList<>(batch.size());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO audit_entry (" + StoredRow.COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Pending pending : batch) {
                    seq++;
                    AuditRecord r = pending.record();
                    StoredRow row = new StoredRow(seq, pending.timeMicros(), r.actor(), r.action(), r.subjectType(),
                            r.subjectId(), pending.payload(), prev, null);
                    byte[] hash = row.recomputeHash();
                    bind(insert, row, hash);
                    insert.addBatch();
                    entries.add(new StoredRow(seq, row.timeMicros(), row.actor(), row.action(), row.subjectType(),
                            row.subjectId(), row.payload(), prev, hash).toEntry());
                    prev = hash;
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE audit_head SET size = ?, last_hash = ? WHERE id = 1")) {
                update.setLong(1, seq);
                update.setBytes(2, prev);
                update.executeUpdate();
            }
            dialect.commit(c);
            return entries;
        } catch (SQLException | RuntimeException e) {
            dialect.rollback(c);
            throw e;
        }
    }

    private static boolean isConstraintViolation(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("23")) || e.getErrorCode() == 19 /* SQLITE_CONSTRAINT */;
    }

    private static void bind(PreparedStatement insert, StoredRow row, byte[] hash) throws SQLException {
        insert.setLong(1, row.seq());
        insert.setLong(2, row.timeMicros());
        insert.setString(3, row.actor());
        insert.setString(4, row.action());
        insert.setString(5, row.subjectType());
        insert.setString(6, row.subjectId());
        insert.setString(7, row.payload());
        insert.setBytes(8, row.prevHash());
        insert.setBytes(9, hash);
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
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> late = new ArrayList<>();
        queue.drainTo(late);
        late.forEach(p -> p.done().completeExceptionally(closed()));
        resetConnection();
    }
}

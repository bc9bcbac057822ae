package dev.seer.metadata;

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

    record Pending(AuditRecord record, long timeMicros, String payload, CompletableFuture<AuditEntry> done) {}

    private record Head(long size, byte[] lastHash) {}

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

    /** Queues an entry, waiting for room when the queue is full. */
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
            return;
        }
        failIfMissed(pending);
    }

    /** Queues an entry only if there is room at once; returns false (and completes nothing) otherwise. */
    boolean offer(Pending pending) {
        if (closing || !queue.offer(pending)) {
            return false;
        }
        failIfMissed(pending);
        return true;
    }

    /** An entry that arrived after close drained the queue would otherwise never complete. */
    private void failIfMissed(Pending pending) {
        if (closing && !thread.isAlive() && queue.remove(pending)) {
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
                fail(batch, closed());
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Audit writer failed on a batch of {} entries", batch.size(), e);
                fail(batch, new SeerException(MetadataErrorCode.STORE_FAILURE,
                        "Audit entries could not be written: " + e, Map.of(), e));
                resetConnection();
            } finally {
                batch.clear();
            }
        }
    }

    private void commitWithRetry(List<Pending> batch) throws InterruptedException {
        SQLException last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            List<AuditEntry> prepared = new ArrayList<>(batch.size());
            try {
                commit(batch, prepared);
                complete(batch, prepared);
                return;
            } catch (SQLException e) {
                if (isConstraintViolation(e)) {
                    // The sequence number after the head is taken: rows were added behind the log's back.
                    fail(batch, new SeerException(MetadataErrorCode.AUDIT_LOG_TAMPERED,
                            "The audit log has an entry beyond its recorded head, so it cannot be extended; "
                                    + "run `seer audit verify`", Map.of(), e));
                    return;
                }
                last = e;
                LOG.warn("Audit batch of {} entries failed (attempt {} of {}): {}", batch.size(), attempt, MAX_ATTEMPTS,
                        e.getMessage());
                resetConnection();
                if (committedAnyway(prepared)) {
                    complete(batch, prepared);
                    return;
                }
                Thread.sleep(20L << attempt);
            }
        }
        fail(batch, new SeerException(MetadataErrorCode.STORE_UNAVAILABLE,
                "Audit entries could not be written: " + MetadataDatabase.rootMessage(last), Map.of(), last));
    }

    /** Writes the batch in one transaction; {@code prepared} receives the entries as they are chained. */
    private void commit(List<Pending> batch, List<AuditEntry> prepared) throws SQLException {
        Connection c = connection();
        Dialect dialect = database.dialect();
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

    private static void complete(List<Pending> batch, List<AuditEntry> entries) {
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(entries.get(i));
        }
    }

    private static void fail(List<Pending> batch, SeerException error) {
        batch.forEach(p -> p.done().completeExceptionally(error));
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

package dev.seer.metadata;

import static java.util.Objects.requireNonNull;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.audit.AuditSink;
import dev.seer.metadata.AuditVerification.Kind;
import dev.seer.metadata.AuditVerification.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The append-only, tamper-evident audit log. Entries are hash-chained (see {@link AuditHashing})
 * and appended by group commit ({@link GroupCommitWriter}); a Merkle tree over them gives tree
 * heads, inclusion proofs and consistency proofs in the manner of RFC 9162.
 */
public final class AuditLog implements AuditSink, AutoCloseable {
    private static final int FETCH_SIZE = 10_000;

    private final MetadataDatabase database;
    private final Clock clock;
    private final GroupCommitWriter writer;

    public AuditLog(MetadataDatabase database, Clock clock, AuditConfig config) {
        this.database = requireNonNull(database, "database is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.writer = new GroupCommitWriter(database, config.batchMaxEntries(), config.queueCapacity());
    }

    /** Queues an entry; the future completes with the stored entry once it is durable. */
    public CompletableFuture<AuditEntry> append(AuditRecord record) {
        requireNonNull(record, "record is null");
        long micros = Times.toMicros(clock.instant());
        return writer.submit(new GroupCommitWriter.Pending(record, micros, Json.canonical(record.payload())));
    }

    /**
     * Queues an entry only if the queue has room now; returns false otherwise. For records that
     * must never make a caller wait, such as access records of unauthenticated requests.
     */
    public boolean tryAppend(AuditRecord record) {
        requireNonNull(record, "record is null");
        long micros = Times.toMicros(clock.instant());
        return writer.offer(new GroupCommitWriter.Pending(record, micros, Json.canonical(record.payload())));
    }

    /** Appends and waits until the entry is durable. */
    public AuditEntry appendAndWait(AuditRecord record) {
        try {
            return append(record).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof SeerException seer ? seer : e;
        }
    }

    @Override
    public CompletableFuture<Long> record(AuditRecord record) {
        return append(record).thenApply(AuditEntry::seq);
    }

    public AuditPage query(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + StoredRow.COLUMNS + " FROM audit_entry WHERE seq > ?");
        List<Object> args = new ArrayList<>();
        args.add(query.afterSeq());
        query.actor().ifPresent(v -> filter(sql, args, "actor = ?", v));
        query.action().ifPresent(v -> filter(sql, args, "action = ?", v));
        query.subjectType().ifPresent(v -> filter(sql, args, "subject_type = ?", v));
        query.subjectId().ifPresent(v -> filter(sql, args, "subject_id = ?", v));
        query.from().ifPresent(v -> filter(sql, args, "ts_micros >= ?", Times.toMicros(v)));
        query.to().ifPresent(v -> filter(sql, args, "ts_micros < ?", Times.toMicros(v)));
        sql.append(" ORDER BY seq LIMIT ?");
        args.add(query.limit() + 1);
        List<AuditEntry> entries = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                statement.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    entries.add(StoredRow.read(rs).toEntry());
                }
            }
        } catch (SQLException e) {
            throw failure("Querying the audit log", e);
        }
        if (entries.size() > query.limit()) {
            entries.remove(entries.size() - 1);
            return new AuditPage(entries, OptionalLong.of(entries.get(entries.size() - 1).seq()));
        }
        return new AuditPage(entries, OptionalLong.empty());
    }

    private static void filter(StringBuilder sql, List<Object> args, String condition, Object value) {
        sql.append(" AND ").append(condition);
        args.add(value);
    }

    public AuditEntry entry(long seq) {
        AuditPage page = query(AuditQuery.all().page(seq - 1, 1));
        if (page.entries().isEmpty() || page.entries().get(0).seq() != seq) {
            throw new SeerException(MetadataErrorCode.AUDIT_ENTRY_NOT_FOUND, "Audit entry [" + seq + "] does not exist",
                    Map.of("seq", seq));
        }
        return page.entries().get(0);
    }

    /** Checks the whole log: chain, head, and the latest stored checkpoint. */
    public AuditVerification verify() {
        return verify(Optional.empty());
    }

    /**
     * Checks the whole log, and with {@code against} also proves that the log extends that tree
     * head (an RFC 9162 consistency proof between it and the current tree).
     */
    public AuditVerification verify(Optional<TreeHead> against) {
        try (Connection c = database.dataSource().getConnection()) {
            database.metadataDialect().beginSnapshot(c);
            try {
                return verify(c, against);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("Verifying the audit log", e);
        }
    }

    private AuditVerification verify(Connection c, Optional<TreeHead> against) throws SQLException {
        long headSize;
        byte[] headHash;
        try (PreparedStatement statement = c.prepareStatement("SELECT size, last_hash FROM audit_head WHERE id = 1");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            headSize = rs.getLong(1);
            headHash = rs.getBytes(2);
        }
        ChainVerifier chain = new ChainVerifier(headSize);
        boolean intact;
        try (PreparedStatement statement = c.prepareStatement(
                "SELECT " + StoredRow.COLUMNS + " FROM audit_entry ORDER BY seq")) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery()) {
                intact = chain.consume(rs);
            }
        }
        MerkleTree tree = chain.tree();
        TreeHead head = new TreeHead(tree.size(), AuditHashing.hex(tree.root()), clock.instant());
        if (!intact) {
            Problem problem = ChainVerifier.diagnose(readAll(c), headSize);
            return new AuditVerification(chain.count(), head, Optional.of(problem));
        }
        Optional<Problem> problem = ChainVerifier.checkHead(chain.count(), chain.lastHash(), headSize, headHash);
        if (problem.isEmpty()) {
            problem = latestCheckpoint(c).flatMap(checkpoint -> checkExtends(tree, checkpoint, "the stored checkpoint"));
        }
        if (problem.isEmpty() && against.isPresent()) {
            problem = checkExtends(tree, against.get(), "the given tree head");
        }
        return new AuditVerification(chain.count(), head, problem);
    }

    private static Optional<Problem> checkExtends(MerkleTree tree, TreeHead old, String what) {
        if (old.size() > tree.size()) {
            return Optional.of(new Problem(Kind.REMOVED, tree.size() + 1, "Entries " + (tree.size() + 1) + " to "
                    + old.size() + " were removed: " + what + " has " + old.size() + " entries, the log " + tree.size()));
        }
        if (old.size() == 0) {
            return Optional.empty();
        }
        int m = (int) old.size();
        List<byte[]> proof = tree.consistencyProof(m, tree.size());
        if (!MerkleTree.verifyConsistency(m, tree.size(), old.rootBytes(), tree.root(), proof)) {
            return Optional.of(new Problem(Kind.HEAD_MISMATCH, m, "The first " + m + " entries no longer match "
                    + what + " taken at " + old.time() + ": history before entry " + (m + 1) + " was rewritten"));
        }
        return Optional.empty();
    }

    private List<StoredRow> readAll(Connection c) throws SQLException {
        List<StoredRow> rows = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(
                "SELECT " + StoredRow.COLUMNS + " FROM audit_entry ORDER BY seq")) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(StoredRow.read(rs));
                }
            }
        }
        return rows;
    }

    private Optional<TreeHead> latestCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(
                "SELECT size, root_hash, created_micros FROM audit_checkpoint ORDER BY size DESC LIMIT 1");
                ResultSet rs = statement.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new TreeHead(rs.getLong(1), AuditHashing.hex(rs.getBytes(2)),
                    Times.ofMicros(rs.getLong(3))));
        }
    }

    /**
     * Verifies the log, then records and returns its tree head. Refuses (naming the problem) when
     * the log does not verify: a checkpoint must never vouch for a tampered log.
     */
    public TreeHead checkpoint() {
        TreeHead head = treeHead();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement(
                        "INSERT INTO audit_checkpoint (size, root_hash, created_micros) VALUES (?, ?, ?)"
                                + " ON CONFLICT (size) DO NOTHING")) {
            statement.setLong(1, head.size());
            statement.setBytes(2, head.rootBytes());
            statement.setLong(3, Times.toMicros(head.time()));
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("Recording a checkpoint", e);
        }
        return head;
    }

    /** The tree head of the current log; refused, naming the problem, when the log does not verify. */
    public TreeHead treeHead() {
        return verifiedOrThrow().head();
    }

    private AuditVerification verifiedOrThrow() {
        AuditVerification verification = verify();
        verification.problem().ifPresent(problem -> {
            throw new SeerException(MetadataErrorCode.AUDIT_LOG_TAMPERED,
                    "Audit log does not verify, so it vouches for nothing: " + problem.message(),
                    Map.of("seq", problem.seq(), "kind", problem.kind().name()));
        });
        return verification;
    }

    /** An RFC 9162 audit path for entry {@code seq} in the current tree. */
    public InclusionProof proveInclusion(long seq) {
        return proveInclusion(seq, Optional.empty());
    }

    /**
     * An RFC 9162 audit path for entry {@code seq} in the tree of the first {@code treeSize}
     * entries (the current tree when empty), so that it can be checked against a tree head
     * exported earlier. Refused when the log does not verify.
     */
    public InclusionProof proveInclusion(long seq, Optional<Long> treeSize) {
        long current = verifiedOrThrow().entriesChecked();
        long size = treeSize.orElse(current);
        if (size < 1 || size > current) {
            throw new SeerException(MetadataErrorCode.AUDIT_ENTRY_NOT_FOUND,
                    "No tree of " + size + " entries: the log has " + current, Map.of("tree_size", size));
        }
        if (seq < 1 || seq > size) {
            throw new SeerException(MetadataErrorCode.AUDIT_ENTRY_NOT_FOUND,
                    "Audit entry [" + seq + "] is not in the tree of " + size + " entries", Map.of("seq", seq));
        }
        AuditEntry entry = entry(seq);
        MerkleTree tree = rebuildTree(size);
        byte[] leaf = AuditHashing.leafHash(HexFormat.of().parseHex(entry.hash()));
        List<String> path = tree.inclusionPath((int) seq - 1, (int) size).stream().map(AuditHashing::hex).toList();
        return new InclusionProof(seq, size, AuditHashing.hex(leaf), path, AuditHashing.hex(tree.root()));
    }

    private MerkleTree rebuildTree(long size) {
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement statement = c.prepareStatement("SELECT hash FROM audit_entry WHERE seq <= ? ORDER BY seq")) {
            statement.setLong(1, size);
            statement.setFetchSize(FETCH_SIZE);
            byte[] leaves = new byte[(int) size * AuditHashing.HASH_BYTES];
            int i = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    System.arraycopy(AuditHashing.leafHash(rs.getBytes(1)), 0, leaves, i++ * AuditHashing.HASH_BYTES,
                            AuditHashing.HASH_BYTES);
                }
            }
            return new MerkleTree(leaves, i);
        } catch (SQLException e) {
            throw failure("Reading the audit log", e);
        }
    }

    private static SeerException failure(String what, SQLException e) {
        return new SeerException(MetadataErrorCode.STORE_FAILURE, what + " failed: " + e.getMessage(), Map.of(), e);
    }

    /** Commits every entry already appended, then stops. */
    @Override
    public void close() {
        writer.close();
    }
}

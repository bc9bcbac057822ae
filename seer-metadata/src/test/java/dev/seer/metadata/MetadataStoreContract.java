package dev.seer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.Json;
import dev.seer.core.SeerException;
import dev.seer.core.Times;
import dev.seer.core.audit.AuditRecord;
import dev.seer.core.catalog.Catalog;
import dev.seer.metadata.AuditVerification.Kind;
import dev.seer.testing.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every metadata backend must have. Each backend's test class supplies a fresh
 * database and a raw connection to it (for tampering as an attacker with file or SQL access would).
 */
abstract class MetadataStoreContract {
    static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    MutableClock clock = new MutableClock(START);
    MetadataDatabase database;
    AuditLog audit;

    abstract MetadataConfig metadataConfig() throws Exception;

    abstract Connection rawConnection() throws SQLException;

    @BeforeEach
    void openLog() throws Exception {
        database = MetadataDatabase.open(metadataConfig(), tempHome());
        audit = new AuditLog(database, clock, new AuditConfig(256, 10_000));
    }

    abstract java.nio.file.Path tempHome();

    /** Also runs when opening was skipped or failed (a missing service): closes only what was opened. */
    @AfterEach
    void closeLog() throws Exception {
        if (audit != null) {
            audit.close();
        }
        if (database != null) {
            database.close();
        }
        afterClose();
    }

    /** Runs after the log and database are closed; a backend drops what it made here. */
    void afterClose() throws Exception {}

    @Test
    void appendedEntriesAreChainedAndReadBack() {
        AuditEntry first = audit.appendAndWait(record("alice", "dataset.created", "dataset", "d1"));
        clock.advance(Duration.ofSeconds(1));
        AuditEntry second = audit.appendAndWait(record("bob", "model.registered", "model", "m1"));
        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo("0".repeat(64));
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(second.time()).isEqualTo(START.plusSeconds(1));
        assertThat(audit.entry(2)).isEqualTo(second);
        assertThat(Json.parse(second.payload()).path("n").asText()).isEqualTo("m1");
    }

    @Test
    void queriesFilterByActorActionSubjectAndTimeAndPage() {
        for (int i = 0; i < 10; i++) {
            audit.appendAndWait(record(i % 2 == 0 ? "alice" : "bob", i < 5 ? "a.early" : "a.late", "thing", "t" + (i % 3)));
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(audit.query(AuditQuery.all().withActor("alice")).entries()).extracting(AuditEntry::seq)
                .containsExactly(1L, 3L, 5L, 7L, 9L);
        assertThat(audit.query(AuditQuery.all().withAction("a.late")).entries()).hasSize(5);
        assertThat(audit.query(AuditQuery.all().withSubject("thing", Optional.of("t1"))).entries())
                .extracting(AuditEntry::seq).containsExactly(2L, 5L, 8L);
        assertThat(audit.query(AuditQuery.all().withTimeRange(Optional.of(START.plusSeconds(120)),
                Optional.of(START.plusSeconds(300)))).entries()).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L);
        AuditPage page1 = audit.query(AuditQuery.all().page(0, 4));
        assertThat(page1.entries()).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L);
        AuditPage page3 = audit.query(AuditQuery.all().page(8, 4));
        assertThat(page3.entries()).extracting(AuditEntry::seq).containsExactly(9L, 10L);
        assertThat(page1.nextAfter()).hasValue(4);
        assertThat(page3.nextAfter()).isEmpty();
        assertThatThrownBy(() -> audit.entry(11)).isInstanceOf(SeerException.class).hasMessageContaining("[11]");
    }

    @Test
    void concurrentAppendersNeverForkTheChainNorLoseAnEntry() throws Exception {
        int threads = 8;
        int each = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<CompletableFuture<AuditEntry>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    futures.add(audit.append(record("thread-" + thread, "x", "n", Integer.toString(i))));
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Set<Long> seqs = new TreeSet<>();
        for (CompletableFuture<AuditEntry> future : futures) {
            seqs.add(future.get(60, TimeUnit.SECONDS).seq());
        }
        assertThat(seqs).hasSize(threads * each);
        assertThat(seqs).first().isEqualTo(1L);
        assertThat(((TreeSet<Long>) seqs).last()).isEqualTo((long) threads * each);
        AuditVerification verification = audit.verify();
        assertThat(verification.ok()).as("%s", verification.problem()).isTrue();
        assertThat(verification.entriesChecked()).isEqualTo(threads * each);
    }

    @Test
    void anIntactLogVerifiesAndItsTreeHeadMatchesTheCheckpoint() {
        appendSome(20);
        AuditVerification verification = audit.verify();
        assertThat(verification.ok()).isTrue();
        TreeHead head = audit.checkpoint();
        assertThat(head.size()).isEqualTo(20);
        assertThat(head.rootHash()).isEqualTo(verification.head().rootHash());
        assertThat(audit.verify(Optional.of(head)).ok()).isTrue();
    }

    @Test
    void aLaterLogProvablyExtendsAnEarlierHead() {
        appendSome(13);
        TreeHead head = TreeHead.fromJson(audit.checkpoint().toJson());
        appendSome(29);
        AuditVerification verification = audit.verify(Optional.of(head));
        assertThat(verification.ok()).as("%s", verification.problem()).isTrue();
        assertThat(verification.entriesChecked()).isEqualTo(42);
    }

    @Test
    void inclusionProofsCheckOutForEveryEntry() {
        appendSome(11);
        for (long seq = 1; seq <= 11; seq++) {
            InclusionProof proof = audit.proveInclusion(seq);
            assertThat(proof.treeSize()).isEqualTo(11);
            assertThat(proof.verify()).as("entry %d", seq).isTrue();
        }
        InclusionProof proof = audit.proveInclusion(4);
        InclusionProof forged = new InclusionProof(proof.seq(), proof.treeSize(), proof.leafHash(), proof.path(),
                "0".repeat(64));
        assertThat(forged.verify()).isFalse();
        assertThatThrownBy(() -> audit.proveInclusion(12)).isInstanceOf(SeerException.class);
    }

    @Test
    void aChangedEntryIsNamed() throws SQLException {
        appendSome(10);
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 5");
        assertProblem(Kind.CHANGED, 5);
    }

    @Test
    void aChangeFarIntoALongLogIsNamedAndItsTreeHeadAndProofsAreRefused() throws SQLException {
        appendSome(6000); // several verify chunks: the break is found by the second thread mid-stream
        sql("UPDATE audit_entry SET subject_id = 'x' WHERE seq = 5000");
        assertProblem(Kind.CHANGED, 5000);
        assertThatThrownBy(() -> audit.treeHead()).hasMessageContaining("Entry 5000 was changed")
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.AUDIT_LOG_TAMPERED));
        assertThatThrownBy(() -> audit.proveInclusion(3)).hasMessageContaining("Entry 5000 was changed");
    }

    @Test
    void aProofInAnEarlierTreeChecksOutAgainstThatTreesHead() {
        appendSome(9);
        TreeHead early = audit.checkpoint();
        appendSome(8);
        InclusionProof proof = audit.proveInclusion(5, Optional.of(early.size()));
        assertThat(proof.treeSize()).isEqualTo(9);
        assertThat(proof.rootHash()).isEqualTo(early.rootHash());
        assertThat(proof.verify()).isTrue();
        assertThatThrownBy(() -> audit.proveInclusion(12, Optional.of(early.size()))).hasMessageContaining("tree of 9");
        assertThatThrownBy(() -> audit.proveInclusion(1, Optional.of(99L))).hasMessageContaining("the log has 17");
    }

    @Test
    void aRemovedEntryIsNamed() throws SQLException {
        appendSome(10);
        sql("DELETE FROM audit_entry WHERE seq = 4");
        assertProblem(Kind.REMOVED, 4);
    }

    @Test
    void aRemovedLastEntryIsCaughtByTheHead() throws SQLException {
        appendSome(10);
        sql("DELETE FROM audit_entry WHERE seq = 10");
        assertProblem(Kind.REMOVED, 10);
    }

    @Test
    void aRemovedFirstEntryIsNamed() throws SQLException {
        appendSome(10);
        sql("DELETE FROM audit_entry WHERE seq = 1");
        assertProblem(Kind.REMOVED, 1);
    }

    @Test
    void anEntryInsertedWithAValidHashIsNamed() throws SQLException {
        appendSome(10);
        AuditEntry fourth = audit.entry(4);
        // Make room at 5 (two steps, so no primary key is ever duplicated), then forge entry 5
        // with a correct hash and link: only the entry after it can tell.
        sql("UPDATE audit_entry SET seq = -seq - 1 WHERE seq >= 5");
        sql("UPDATE audit_entry SET seq = -seq WHERE seq < 0");
        byte[] prev = java.util.HexFormat.of().parseHex(fourth.hash());
        byte[] hash = AuditHashing.entryHash(5, Times.toMicros(START), "mallory", "model.promoted", "model", "m9",
                "{}", prev);
        try (Connection c = rawConnection();
                PreparedStatement insert = c.prepareStatement("INSERT INTO audit_entry (" + StoredRow.COLUMNS
                        + ") VALUES (5, ?, 'mallory', 'model.promoted', 'model', 'm9', '{}', ?, ?)")) {
            insert.setLong(1, Times.toMicros(START));
            insert.setBytes(2, prev);
            insert.setBytes(3, hash);
            insert.executeUpdate();
        }
        assertProblem(Kind.INSERTED, 5);
    }

    @Test
    void anEntryAppendedBehindTheLogsBackIsNamed() throws SQLException {
        appendSome(10);
        sql("INSERT INTO audit_entry (" + StoredRow.COLUMNS + ") SELECT 11, ts_micros, 'mallory', action, subject_type,"
                + " subject_id, payload, hash, hash FROM audit_entry WHERE seq = 10");
        assertProblem(Kind.INSERTED, 11);
        assertThatThrownBy(() -> audit.appendAndWait(record("a", "b", "c", "d")))
                .satisfies(e -> assertThat(((SeerException) e).errorCode()).isEqualTo(MetadataErrorCode.AUDIT_LOG_TAMPERED));
    }

    @Test
    void reorderedEntriesAreNamed() throws SQLException {
        appendSome(10);
        sql("UPDATE audit_entry SET seq = -1 WHERE seq = 6");
        sql("UPDATE audit_entry SET seq = 6 WHERE seq = 7");
        sql("UPDATE audit_entry SET seq = 7 WHERE seq = -1");
        assertProblem(Kind.REORDERED, 6);
    }

    @Test
    void aConsistentlyRewrittenHistoryIsCaughtByAnExportedHead() throws SQLException {
        appendSome(10);
        TreeHead exported = TreeHead.fromJson(audit.checkpoint().toJson());
        // An attacker with full access rewrites entry 3 and recomputes every hash after it, the
        // head row, and drops the stored checkpoint: the chain alone now looks intact.
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 3");
        rehashFrom(3);
        sql("DELETE FROM audit_checkpoint");
        assertThat(audit.verify().ok()).isTrue();
        AuditVerification against = audit.verify(Optional.of(exported));
        assertThat(against.problem()).get().extracting(AuditVerification.Problem::kind).isEqualTo(Kind.HEAD_MISMATCH);
    }

    @Test
    void aCheckpointRefusesATamperedLog() throws SQLException {
        appendSome(5);
        sql("UPDATE audit_entry SET payload = '{\"x\":1}' WHERE seq = 2");
        assertThatThrownBy(() -> audit.checkpoint()).isInstanceOf(SeerException.class)
                .hasMessageContaining("Entry 2 was changed");
    }

    @Test
    void theCatalogKeepsVersionsAndAddsNoneForEqualContent() {
        JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
        var first = catalog.put("feature_view", "stats", Json.parse("{\"ttl\":\"2d\",\"features\":[\"a\"]}"), "alice");
        assertThat(first.created()).isTrue();
        assertThat(first.entry().version()).isEqualTo(1);
        var same = catalog.put("feature_view", "stats", Json.parse("{\"features\":[\"a\"],\"ttl\":\"2d\"}"), "bob");
        assertThat(same.created()).isFalse();
        assertThat(same.entry().createdBy()).isEqualTo("alice");
        var second = catalog.put("feature_view", "stats", Json.parse("{\"ttl\":\"3d\",\"features\":[\"a\"]}"), "bob");
        assertThat(second.entry().version()).isEqualTo(2);
        catalog.put("feature_view", "other", Json.object().put("x", 1), "bob");
        catalog.put("entity", "customer", Json.object().put("x", 1), "bob");
        assertThat(catalog.versions("feature_view", "stats")).extracting(e -> e.version()).containsExactly(1, 2);
        assertThat(catalog.version("feature_view", "stats", 1)).get().extracting(e -> e.body().path("ttl").asText())
                .isEqualTo("2d");
        assertThat(catalog.latestOfKind("feature_view")).extracting(e -> e.name() + ":" + e.version())
                .containsExactly("other:1", "stats:2");
        assertThat(catalog.latest("feature_view", "missing")).isEmpty();
        assertThat(audit.query(AuditQuery.all().withAction("feature_view.recorded")).entries())
                .extracting(AuditEntry::subjectId, AuditEntry::actor)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stats", "alice"),
                        org.assertj.core.groups.Tuple.tuple("stats", "bob"),
                        org.assertj.core.groups.Tuple.tuple("other", "bob"));
    }

    @Test
    void ofWritersRacingToCreateANameExactlyOneGetsIt() throws Exception {
        JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<java.util.Optional<dev.seer.core.catalog.CatalogEntry>>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            creates.add(pool.submit(() -> catalog.create("batch", "events/0/100", Json.object().put("writer", n), "t")));
        }
        List<Integer> winners = new ArrayList<>();
        for (var create : creates) {
            create.get().ifPresent(e -> winners.add(e.body().path("writer").asInt()));
        }
        pool.shutdown();
        assertThat(winners).hasSize(1);
        assertThat(catalog.versions("batch", "events/0/100")).singleElement()
                .satisfies(e -> assertThat(e.body().path("writer").asInt()).isEqualTo(winners.get(0)));
        assertThat(catalog.create("batch", "events/0/100", Json.object(), "t")).isEmpty();
    }

    @Test
    void concurrentCatalogWritersGetDistinctVersions() throws Exception {
        JdbcCatalog catalog = new JdbcCatalog(database, audit, clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<Catalog.Put>> puts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            int n = i;
            puts.add(pool.submit(() -> catalog.put("dataset", "churn", Json.object().put("n", n), "t")));
        }
        pool.shutdown();
        Set<Integer> versions = new TreeSet<>();
        for (var put : puts) {
            versions.add(put.get(30, TimeUnit.SECONDS).entry().version());
        }
        assertThat(versions).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void appendsAfterCloseAreRefusedNotLost() {
        audit.close();
        CompletableFuture<AuditEntry> late = audit.append(record("a", "b", "c", "d"));
        assertThat(late).isCompletedExceptionally();
        audit = new AuditLog(database, clock, new AuditConfig(16, 100));
        assertThat(audit.verify().entriesChecked()).isZero();
    }

    private void rehashFrom(long firstSeq) throws SQLException {
        try (Connection c = rawConnection()) {
            byte[] prev = null;
            long last = 0;
            List<StoredRow> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                    var rs = s.executeQuery("SELECT " + StoredRow.COLUMNS + " FROM audit_entry ORDER BY seq")) {
                while (rs.next()) {
                    rows.add(StoredRow.read(rs));
                }
            }
            for (StoredRow row : rows) {
                if (row.seq() >= firstSeq) {
                    StoredRow relinked = new StoredRow(row.seq(), row.timeMicros(), row.actor(), row.action(),
                            row.subjectType(), row.subjectId(), row.payload(), prev, null);
                    byte[] hash = relinked.recomputeHash();
                    try (PreparedStatement u = c.prepareStatement("UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?")) {
                        u.setBytes(1, prev);
                        u.setBytes(2, hash);
                        u.setLong(3, row.seq());
                        u.executeUpdate();
                    }
                    prev = hash;
                } else {
                    prev = row.hash();
                }
                last = row.seq();
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE audit_head SET size = ?, last_hash = ? WHERE id = 1")) {
                u.setLong(1, last);
                u.setBytes(2, prev);
                u.executeUpdate();
            }
        }
    }

    void assertProblem(Kind kind, long seq) {
        AuditVerification verification = audit.verify();
        assertThat(verification.ok()).isFalse();
        assertThat(verification.problem()).get().satisfies(problem -> {
            assertThat(problem.kind()).as(problem.message()).isEqualTo(kind);
            assertThat(problem.seq()).as(problem.message()).isEqualTo(seq);
            assertThat(problem.message()).contains("ntry " + seq);
        });
    }

    void appendSome(int n) {
        List<CompletableFuture<AuditEntry>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(audit.append(record("user-" + (i % 3), "thing.done", "thing", "t" + i)));
        }
        futures.forEach(CompletableFuture::join);
    }

    void sql(String statement) throws SQLException {
        try (Connection c = rawConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    static AuditRecord record(String actor, String action, String type, String id) {
        return new AuditRecord(actor, action, type, id, Json.object().put("n", id).put("unicode", "é✓"));
    }
}

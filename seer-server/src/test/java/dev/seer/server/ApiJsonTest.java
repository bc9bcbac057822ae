package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.catalog.CatalogEntry;
import dev.seer.core.features.FeatureLookup;
import dev.seer.core.features.FeatureLookup.Status;
import dev.seer.core.features.FeatureLookup.Value;
import dev.seer.core.features.PointInTimeRetrieval;
import dev.seer.features.definition.FeatureRegistry;
import dev.seer.features.definition.FeatureRegistry.Action;
import dev.seer.features.ingest.IngestReport;
import dev.seer.features.ingest.QuarantineRecord;
import dev.seer.features.online.ConsistencyCheck;
import dev.seer.features.online.Materializer;
import dev.seer.features.stream.DeadLetter;
import dev.seer.features.stream.Streaming;
import dev.seer.metadata.ApiToken;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditPage;
import dev.seer.metadata.AuditVerification;
import dev.seer.metadata.InclusionProof;
import dev.seer.metadata.IssuedToken;
import dev.seer.metadata.TreeHead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Pins the wire format: each encoder's output against literal JSON, and each decoder against
 * literal JSON in the documented shape (README, "HTTP API"). A round trip through our own writer
 * and reader would pass with any field renamed on both sides; these do not.
 */
class ApiJsonTest {
    static final String HASH_A = "a".repeat(64);
    static final String HASH_B = "b".repeat(64);
    static final Instant T1 = Instant.parse("2026-03-01T00:00:00.123456Z");
    static final Instant T2 = Instant.parse("2026-03-02T00:00:00Z");

    static final AuditEntry ENTRY = new AuditEntry(7, T1, "token:alice", "token.created", "token", "tok_1",
            "{\"name\":\"eve\",\"role\":\"auditor\"}", HASH_A, HASH_B);
    static final String ENTRY_JSON = """
            {"seq": 7, "time": "2026-03-01T00:00:00.123456Z", "actor": "token:alice", "action": "token.created",
             "subject_type": "token", "subject_id": "tok_1", "payload": {"name": "eve", "role": "auditor"},
             "prev_hash": "%s", "hash": "%s"}""".formatted(HASH_A, HASH_B);

    static final ApiToken REVOKED = new ApiToken("tok_1", "eve", Role.AUDITOR, T1, "token:alice", Optional.of(T2));
    static final String REVOKED_JSON = """
            {"id": "tok_1", "name": "eve", "role": "auditor", "created": "2026-03-01T00:00:00.123456Z",
             "created_by": "token:alice", "active": false, "revoked": "2026-03-02T00:00:00Z"}""";
    static final ApiToken ACTIVE = new ApiToken("tok_2", "ops", Role.OPERATOR, T2, "system", Optional.empty());
    static final String ACTIVE_JSON = """
            {"id": "tok_2", "name": "ops", "role": "operator", "created": "2026-03-02T00:00:00Z",
             "created_by": "system", "active": true, "revoked": null}""";

    static final TreeHead HEAD = new TreeHead(12, HASH_A, T2);
    static final String HEAD_JSON = """
            {"format": "seer-tree-head-v1", "size": 12, "root_hash": "%s", "time": "2026-03-02T00:00:00Z"}"""
            .formatted(HASH_A);

    @Test
    void anAuditPageIsEntriesAndNextAfter() {
        AuditPage page = new AuditPage(List.of(ENTRY), OptionalLong.of(7));
        String json = "{\"entries\": [" + ENTRY_JSON + "], \"next_after\": 7}";
        assertJson(ApiJson.page(page), json);
        assertThat(ApiJson.page(Json.parse(json))).isEqualTo(page);
        String last = "{\"entries\": [], \"next_after\": null}";
        assertJson(ApiJson.page(new AuditPage(List.of(), OptionalLong.empty())), last);
        assertThat(ApiJson.page(Json.parse(last))).isEqualTo(new AuditPage(List.of(), OptionalLong.empty()));
    }

    @Test
    void aVerificationNamesItsProblem() {
        AuditVerification broken = new AuditVerification(12, HEAD,
                Optional.of(new AuditVerification.Problem(AuditVerification.Kind.CHANGED, 4, "Entry 4 was changed")));
        String json = """
                {"ok": false, "entries_checked": 12, "tree_head": %s,
                 "problem": {"kind": "CHANGED", "seq": 4, "message": "Entry 4 was changed"}}""".formatted(HEAD_JSON);
        assertJson(ApiJson.verification(broken), json);
        assertThat(ApiJson.verification(Json.parse(json))).isEqualTo(broken);
        String fine = "{\"ok\": true, \"entries_checked\": 12, \"tree_head\": " + HEAD_JSON + ", \"problem\": null}";
        assertJson(ApiJson.verification(new AuditVerification(12, HEAD, Optional.empty())), fine);
        assertThat(ApiJson.verification(Json.parse(fine))).isEqualTo(new AuditVerification(12, HEAD, Optional.empty()));
    }

    @Test
    void aTreeHeadCarriesItsFormat() {
        assertJson(ApiJson.treeHead(HEAD), HEAD_JSON);
        assertThat(ApiJson.treeHead(Json.parse(HEAD_JSON))).isEqualTo(HEAD);
    }

    @Test
    void anInclusionProofIsItsPathToTheRoot() {
        InclusionProof proof = new InclusionProof(3, 12, HASH_A, List.of(HASH_B, HASH_A), HASH_B);
        String json = """
                {"seq": 3, "tree_size": 12, "leaf_hash": "%s", "path": ["%s", "%s"], "root_hash": "%s"}"""
                .formatted(HASH_A, HASH_B, HASH_A, HASH_B);
        assertJson(ApiJson.proof(proof), json);
        assertThat(ApiJson.proof(Json.parse(json))).isEqualTo(proof);
    }

    @Test
    void tokensNeverCarryTheirSecretAndAnIssuedOneDoesOnce() {
        assertJson(ApiJson.tokens(List.of(REVOKED, ACTIVE)), "[" + REVOKED_JSON + ", " + ACTIVE_JSON + "]");
        assertThat(ApiJson.tokens(Json.parse("[" + REVOKED_JSON + ", " + ACTIVE_JSON + "]"))).containsExactly(REVOKED, ACTIVE);
        IssuedToken issued = new IssuedToken(ACTIVE, "seer_secret");
        String json = "{\"token\": " + ACTIVE_JSON + ", \"secret\": \"seer_secret\"}";
        assertJson(ApiJson.issued(issued), json);
        assertThat(ApiJson.issued(Json.parse(json))).isEqualTo(issued);
    }

    @Test
    void planAndApplyAnswerWithTheChanges() {
        List<FeatureRegistry.Change> changes = List.of(new FeatureRegistry.Change("feature_view", "customer_stats",
                Action.UPDATE, 2), new FeatureRegistry.Change("entity", "customer", Action.UNCHANGED, 1));
        String json = """
                [{"kind": "feature_view", "name": "customer_stats", "action": "UPDATE", "version": 2},
                 {"kind": "entity", "name": "customer", "action": "UNCHANGED", "version": 1}]""";
        assertJson(ApiJson.changes(changes), json);
        assertThat(ApiJson.changes(Json.parse(json))).isEqualTo(changes);
    }

    @Test
    void aViewIsACatalogEntryWithItsBody() {
        CatalogEntry view = new CatalogEntry("feature_view", "customer_stats", 3, Json.parse("{\"ttl\": \"2d\"}"), HASH_A,
                T1, "token:alice");
        String json = """
                {"kind": "feature_view", "name": "customer_stats", "version": 3, "body": {"ttl": "2d"},
                 "body_hash": "%s", "created": "2026-03-01T00:00:00.123456Z", "created_by": "token:alice"}"""
                .formatted(HASH_A);
        assertJson(ApiJson.catalogEntries(List.of(view)), "[" + json + "]");
        assertThat(ApiJson.catalogEntries(Json.parse("[" + json + "]"))).containsExactly(view);
    }

    @Test
    void anIngestionReportsItsCounts() {
        IngestReport report = new IngestReport("b_1", "transactions", HASH_A, 200, 198, 2, List.of("customer_stats"),
                Duration.ofMillis(1234), false);
        String json = """
                {"batch_id": "b_1", "source": "transactions", "content_hash": "%s", "rows_read": 200,
                 "rows_written": 198, "rows_quarantined": 2, "millis": 1234, "already_ingested": false,
                 "views": ["customer_stats"]}""".formatted(HASH_A);
        assertJson(ApiJson.ingestReport(report), json);
        assertThat(ApiJson.ingestReport(Json.parse(json))).isEqualTo(report);
    }

    @Test
    void theQuarantineListsEachHeldBackRow() {
        List<QuarantineRecord> records = List.of(new QuarantineRecord("b_1", 51, "customer_stats", "spend",
                "below min 0.0", "{\"spend\":-1}"));
        String json = """
                [{"batch_id": "b_1", "row": 51, "view": "customer_stats", "column": "spend", "reason": "below min 0.0",
                  "record": "{\\"spend\\":-1}"}]""";
        assertJson(ApiJson.quarantine(records), json);
        assertThat(ApiJson.quarantine(Json.parse(json))).isEqualTo(records);
    }

    @Test
    void aHistoricalRetrievalReportsWhatItWrote() {
        PointInTimeRetrieval.Result report = new PointInTimeRetrieval.Result(60, 58, List.of("customer_id",
                "customer_stats__spend"), Path.of("/tmp/out.parquet"), 12, 1, List.of(), Optional.empty());
        String json = """
                {"rows": 60, "matched": 58, "out": "/tmp/out.parquet", "join_millis": 12, "passes": 1,
                 "columns": ["customer_id", "customer_stats__spend"]}""";
        assertJson(ApiJson.historical(report), json);
        assertThat(ApiJson.historical(Json.parse(json))).isEqualTo(report);
    }

    @Test
    void materialisationReportsEntitiesWrittenPerView() {
        Map<String, Long> written = new LinkedHashMap<>();
        written.put("customer_stats", 20L);
        Materializer.Report report = new Materializer.Report(written, T2);
        String json = "{\"end\": \"2026-03-02T00:00:00Z\", \"written\": {\"customer_stats\": 20}}";
        assertJson(ApiJson.materialized(report), json);
        assertThat(ApiJson.materialized(Json.parse(json))).isEqualTo(report);
    }

    @Test
    void theOnlineResponseGivesEachValueWithStatusAndEventTime() {
        Map<String, String> entity = new LinkedHashMap<>();
        entity.put("customer_id", "7");
        entity.put("region", "eu \"west\"");
        List<FeatureLookup.EntityValues> results = List.of(
                new FeatureLookup.EntityValues(entity, List.of(
                        new Value("stats:spend", Json.parse("12.25"), Status.PRESENT, Optional.of(T1)),
                        new Value("stats:plan", Json.parse("\"pro\""), Status.PRESENT, Optional.of(T1)),
                        new Value("other:n", Json.parse("null"), Status.EXPIRED, Optional.of(T2)),
                        new Value("more:x", Json.parse("null"), Status.MISSING, Optional.empty()),
                        new Value("kinds:int", Json.parse("42"), Status.PRESENT, Optional.of(T1)),
                        new Value("kinds:long", Json.parse("9007199254740993"), Status.PRESENT, Optional.of(T1)),
                        new Value("kinds:big", Json.parse("123456789012345678901234567890"), Status.PRESENT, Optional.of(T1)),
                        new Value("kinds:flag", Json.parse("true"), Status.PRESENT, Optional.of(T1)),
                        new Value("kinds:list", Json.parse("[1, \"a\", null]"), Status.PRESENT, Optional.of(T1)),
                        new Value("kinds:object", Json.parse("{\"a\": {\"b\": 2.5}}"), Status.PRESENT, Optional.of(T1)))),
                new FeatureLookup.EntityValues(Map.of("customer_id", "8"), List.of(
                        new Value("stats:spend", Json.parse("1e300"), Status.PRESENT, Optional.of(T2)))));
        String json = """
                {"results": [
                  {"entity": {"customer_id": "7", "region": "eu \\"west\\""},
                   "features": {
                     "stats:spend": {"value": 12.25, "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "stats:plan": {"value": "pro", "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "other:n": {"value": null, "status": "expired", "event_time": "2026-03-02T00:00:00Z"},
                     "more:x": {"value": null, "status": "missing", "event_time": null},
                     "kinds:int": {"value": 42, "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "kinds:long": {"value": 9007199254740993, "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "kinds:big": {"value": 123456789012345678901234567890, "status": "present",
                                   "event_time": "2026-03-01T00:00:00.123456Z"},
                     "kinds:flag": {"value": true, "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "kinds:list": {"value": [1, "a", null], "status": "present", "event_time": "2026-03-01T00:00:00.123456Z"},
                     "kinds:object": {"value": {"a": {"b": 2.5}}, "status": "present",
                                      "event_time": "2026-03-01T00:00:00.123456Z"}}},
                  {"entity": {"customer_id": "8"},
                   "features": {"stats:spend": {"value": 1e300, "status": "present", "event_time": "2026-03-02T00:00:00Z"}}}]}""";
        assertJson(Json.parse(new String(ApiJson.onlineBytes(results), StandardCharsets.UTF_8)), json);
        assertJson(ApiJson.online(results), json);
        assertThat(ApiJson.online(Json.parse(json))).isEqualTo(results);
    }

    @Test
    void aConsistencyCheckListsEveryDifference() {
        ConsistencyCheck.Report report = new ConsistencyCheck.Report("customer_payments", T2, 100, 99, 300, 2,
                List.of(new ConsistencyCheck.Skipped("9", "online event after the check's time")),
                List.of(new ConsistencyCheck.Difference("7", "amount_sum_1h", 10.5, 11.0),
                        new ConsistencyCheck.Difference("8", "count_1h", null, 3.0)));
        assertJson(ApiJson.consistency(report), """
                {"view": "customer_payments", "at": "2026-03-02T00:00:00Z", "sampled": 100, "compared": 99, "values": 300,
                 "missing_online": 2, "consistent": false,
                 "skipped": [{"entity": "9", "reason": "online event after the check's time"}],
                 "differences": [{"entity": "7", "feature": "amount_sum_1h", "online": 10.5, "batch": 11.0},
                                 {"entity": "8", "feature": "count_1h", "online": null, "batch": 3.0}]}""");
    }

    @Test
    void aConsistencyCheckIsReadBackFromItsDocumentedShape() {
        ConsistencyCheck.Report report = new ConsistencyCheck.Report("customer_payments", T2, 2, 1, 3, 0,
                List.of(new ConsistencyCheck.Skipped("9", "late")),
                List.of(new ConsistencyCheck.Difference("8", "count_1h", null, 3.0)));
        assertThat(ApiJson.consistency(Json.parse("""
                {"view": "customer_payments", "at": "2026-03-02T00:00:00Z", "sampled": 2, "compared": 1, "values": 3,
                 "missing_online": 0, "consistent": false, "skipped": [{"entity": "9", "reason": "late"}],
                 "differences": [{"entity": "8", "feature": "count_1h", "online": null, "batch": 3.0}]}"""))).isEqualTo(report);
    }

    @Test
    void theStreamingStatusGivesLagAndFreshnessPerSource() {
        Streaming.SourceStatus payments = new Streaming.SourceStatus("payments", "seer.push.payments",
                Map.of(0, 0L, 1, 5L), new TreeSet<>(Set.of(0, 1)), 42, 1, 0.25, 0.5, "RUNNING", 40, 12, 0.1, 0.2);
        Streaming.SourceStatus quiet = new Streaming.SourceStatus("clicks", "seer.push.clicks", Map.of(), Set.of(), 0, 0,
                Double.NaN, Double.NaN, "", 0, 0, Double.NaN, Double.NaN);
        StreamOperations.Report report = new StreamOperations.Report(Streaming.State.RUNNING, "", List.of(payments, quiet));
        String json = """
                {"state": "running", "error": "", "sources": [
                  {"source": "payments", "topic": "seer.push.payments", "ingested": 42, "dead_lettered": 1,
                   "lag": {"0": 0, "1": 5}, "assigned": [0, 1],
                   "freshness_p50_seconds": 0.25, "freshness_p99_seconds": 0.5,
                   "windows": {"state": "RUNNING", "events": 40, "writes": 12,
                               "freshness_p50_seconds": 0.1, "freshness_p99_seconds": 0.2}},
                  {"source": "clicks", "topic": "seer.push.clicks", "ingested": 0, "dead_lettered": 0,
                   "lag": {}, "assigned": []}]}""";
        assertJson(ApiJson.streamingStatus(report), json);
        assertThat(ApiJson.streamingStatus(Json.parse(json))).as("read back, NaN where nothing was measured")
                .isEqualTo(report);
        assertThat(new StreamOperations.Report(Streaming.State.FAILING, null, List.of()).error())
                .as("an exception without a message").isEmpty();
    }

    @Test
    void aDeadLetterKeepsWhereItCameFromAndWhy() {
        List<DeadLetter> letters = List.of(new DeadLetter("payments", "seer.push.payments", 2, 17, "late: event time ...",
                "{\"amount\": 1}", 0, 3));
        String json = """
                [{"source": "payments", "topic": "seer.push.payments", "partition": 2, "offset": 17,
                  "error": "late: event time ...", "value": "{\\"amount\\": 1}",
                  "dead_letter_partition": 0, "dead_letter_offset": 3}]""";
        assertJson(ApiJson.deadLetters(letters), json);
        assertThat(ApiJson.deadLetters(Json.parse(json))).isEqualTo(letters);
    }

    /** Same JSON value: keys in any order, numbers by value (so 1 written as a long equals a literal 1). */
    private static void assertJson(JsonNode actual, String expected) {
        assertThat(Json.canonical(actual)).isEqualTo(Json.canonical(Json.parse(expected)));
    }
}

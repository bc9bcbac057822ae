package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feature flow end to end through the {@code seer} command, on the example repository:
 * plan, apply, ingest, quarantine, historical retrieval, materialise, online lookup, and an audit
 * log that verifies until someone edits it. Expected values come from the example's
 * {@code transactions.csv} read by hand: customer 11's latest valid row before 2026-11-27 is
 * {@code 2026-11-25T21:17:00Z, 88.64, basic}; rows 51 (spend -5.0) and 91 (plan gold) are bad.
 * {@link PostgresRedisFeatureCliTest} runs the same on PostgreSQL and Redis.
 */
class FeatureCliTest {
    static final Path EXAMPLE = Path.of("..", "examples", "churn").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    CliHome home;

    /** The stores of the home under test: SQLite and RocksDB here. */
    CliHome open(Path root) {
        return CliHome.local(root);
    }

    @BeforeEach
    void init() {
        home = open(dir.resolve("home"));
        CliRun run = home.run("init");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @AfterEach
    void drop() throws Exception {
        if (home != null) {
            home.close();
        }
    }

    @Test
    void theExampleIsAppliedIngestedJoinedMaterialisedAndServed() throws Exception {
        planAndApply();
        JsonNode report = ingest();
        joinPointInTime();
        materialise();
        serveOnline();
        CliRun consistency = home.run("features", "check-consistency", "customer_payments", "--at", "2026-11-27T00:00:00Z");
        assertThat(consistency.exitCode()).as(consistency.err()).isZero();
        // Nothing was streamed: no entity to compare.
        assertThat(consistency.out()).contains("customer_payments at 2026-11-27T00:00:00Z: 0 entities sampled, 0 compared");
        CliRun noWindows = home.run("features", "check-consistency", "customer_stats");
        assertThat(noWindows.exitCode()).isNotZero();
        assertThat(noWindows.err()).contains("[customer_stats] declares no aggregations");
        assertThat(report.path("batch_id").asText()).startsWith("batch_");
    }

    @Test
    void theAuditLogRecordsTheFlowAndCatchesAnEditedEntry() throws Exception {
        planAndApply();
        ingest();
        JsonNode recorded = Json.parse(home.run("--json", "audit", "list", "--action", "feature_view.recorded").out());
        assertThat(texts(recorded.path("entries"), "subject_id")).containsExactlyInAnyOrder("customer_stats", "customer_payments");
        long entries = home.count("SELECT count(*) FROM audit_entry");
        CliRun verified = home.run("audit", "verify");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).startsWith("Audit log OK: " + entries + " entries, root ");
        long seq = entries / 2;
        home.sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = " + seq);
        CliRun tampered = home.run("audit", "verify");
        assertThat(tampered.exitCode()).isEqualTo(4);
        assertThat(tampered.err()).contains("Entry " + seq + " was changed");
        JsonNode verdict = Json.parse(home.run("--json", "audit", "verify").out());
        assertThat(verdict.path("ok").asBoolean()).isFalse();
        assertThat(verdict.path("problem").path("seq").asLong()).isEqualTo(seq);
        assertThat(verdict.path("problem").path("kind").asText()).isEqualTo("CHANGED");
    }

    void planAndApply() {
        CliRun plan = home.run("plan", "-f", EXAMPLE.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out().lines().map(l -> l.replaceAll("\\s+", " ").strip())).containsExactly(
                "entity customer create v1", "source transactions create v1", "source payments create v1",
                "feature_view customer_stats create v1", "feature_view customer_payments create v1",
                "feature_service churn_v1 create v1", "Apply would change 6 definitions.");
        CliRun apply = home.run("apply", "-f", EXAMPLE.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("Apply did change 6 definitions.");
        assertThat(home.run("apply", "-f", EXAMPLE.toString()).out()).contains("Nothing to change.");
        assertThat(home.run("features", "list").out().lines().skip(1).map(l -> l.replaceAll("\\s+", " ")))
                .satisfiesExactly(
                        l -> assertThat(l).startsWith("customer_payments 1 2 payments "),
                        l -> assertThat(l).startsWith("customer_stats 1 3 transactions "));
        JsonNode shown = Json.parse(home.run("--json", "features", "show", "customer_stats").out());
        assertThat(shown.path("version").asInt()).isEqualTo(1);
        assertThat(texts(shown.path("body").path("features"), "name")).containsExactly("spend", "plan", "spend_eur");
        assertThat(shown.path("body").path("features").get(2).path("expression").asText()).isEqualTo("spend * 0.92");
        assertThat(shown.path("body").path("ttl_seconds").asLong()).isEqualTo(3650L * 24 * 3600);
        assertThat(home.run("features", "show", "nope").exitCode()).isEqualTo(3);
    }

    JsonNode ingest() throws Exception {
        CliRun ingested = home.run("--json", "ingest", "transactions");
        assertThat(ingested.exitCode()).as(ingested.err()).isZero();
        JsonNode report = Json.parse(ingested.out());
        assertThat(report.path("source").asText()).isEqualTo("transactions");
        assertThat(report.path("content_hash").asText()).isEqualTo(sha256(EXAMPLE.resolve("data").resolve("transactions.csv")));
        assertThat(report.path("rows_read").asLong()).isEqualTo(200);
        assertThat(report.path("rows_written").asLong()).isEqualTo(198);
        assertThat(report.path("rows_quarantined").asLong()).isEqualTo(2);
        assertThat(report.path("already_ingested").asBoolean()).isFalse();
        assertThat(texts(report.path("views"))).containsExactly("customer_stats");
        String batch = report.path("batch_id").asText();
        JsonNode again = Json.parse(home.run("--json", "ingest", "transactions").out());
        assertThat(again.path("already_ingested").asBoolean()).isTrue();
        assertThat(again.path("batch_id").asText()).isEqualTo(batch);
        assertThat(again.path("rows_written").asLong()).isZero();
        assertThat(home.run("quarantine", "show", batch).out().lines()).satisfiesExactly(
                l -> assertThat(l).matches("row 51 +customer_stats +spend +value -5\\.0 is below min 0\\.0 .*")
                        .contains("\"customer_id\":\"16\"", "\"event_ts\":\"2026-11-22T00:44:00Z\""),
                l -> assertThat(l).matches("row 91 +customer_stats +plan +value \\[gold] is not one of \\[basic, pro] .*")
                        .contains("\"customer_id\":\"1\"", "\"spend\":\"4.6\""));
        assertThat(home.run("quarantine", "list").out()).containsPattern(batch + " +transactions +200 +198 +2");
        return report;
    }

    void joinPointInTime() throws Exception {
        Path entities = dir.resolve("entities.csv");
        Files.writeString(entities, "customer_id,event_timestamp\n11,2026-11-27T00:00:00Z\n11,2020-01-01T00:00:00Z\n");
        Path joined = dir.resolve("training.csv");
        CliRun historical = home.run("features", "historical", "--entities", entities.toString(), "--features", "churn_v1",
                "--out", joined.toString());
        assertThat(historical.exitCode()).as(historical.err()).isZero();
        assertThat(historical.out()).contains("Wrote 2 rows");
        // In input order; before any event of customer 11, no value.
        assertThat(Files.readAllLines(joined)).containsExactly(
                "customer_id,event_timestamp,customer_stats__spend,customer_stats__plan",
                "11,2026-11-27T00:00:00Z,88.64,basic",
                "11,2020-01-01T00:00:00Z,,");
    }

    void materialise() {
        CliRun materialized = home.run("materialize", "--end", "2026-11-27T00:00:00Z");
        assertThat(materialized.exitCode()).as(materialized.err()).isZero();
        assertThat(materialized.out().lines().map(l -> l.replaceAll("\\s+", " "))).containsExactly(
                "customer_payments 0 entities written up to 2026-11-27T00:00:00Z",
                "customer_stats 20 entities written up to 2026-11-27T00:00:00Z");
    }

    void serveOnline() {
        CliRun got = home.run("--json", "features", "get", "--features", "customer_stats:spend,customer_stats:plan",
                "--entity", "customer_id=11", "--entity", "customer_id=999");
        assertThat(got.exitCode()).as(got.err()).isZero();
        assertThat(Json.parse(got.out())).isEqualTo(Json.parse("""
                {"results": [
                  {"entity": {"customer_id": "11"}, "features": {
                    "customer_stats:spend": {"value": 88.64, "status": "present", "event_time": "2026-11-25T21:17:00Z"},
                    "customer_stats:plan": {"value": "basic", "status": "present", "event_time": "2026-11-25T21:17:00Z"}}},
                  {"entity": {"customer_id": "999"}, "features": {
                    "customer_stats:spend": {"value": null, "status": "missing", "event_time": null},
                    "customer_stats:plan": {"value": null, "status": "missing", "event_time": null}}}]}"""));
        CliRun table = home.run("features", "get", "--features", "customer_stats:spend", "--entity", "customer_id=3");
        assertThat(table.out()).containsPattern("customer_stats:spend +160\\.56 +present +2026-11-25T17:20:00Z");
    }

    static List<String> texts(JsonNode array, String field) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.path(field).asText()));
        return texts;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

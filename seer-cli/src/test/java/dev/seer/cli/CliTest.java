package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    Path home;

    @BeforeEach
    void init() {
        home = dir.resolve("home");
        CliRun run = CliRun.run(home, "init");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Admin token (shown once").containsPattern("seer_[A-Za-z0-9_-]{43}");
    }

    @Test
    void initTwiceIsAConflict() {
        CliRun again = CliRun.run(home, "init");
        assertThat(again.exitCode()).isEqualTo(4);
        assertThat(again.err()).contains("already exists").contains("HOME_ALREADY_INITIALISED");
    }

    @Test
    void commandsOnAMissingHomeSayToRunInit() {
        CliRun run = CliRun.run(dir.resolve("none"), "token", "list");
        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.err()).contains("run `seer init` first");
    }

    @Test
    void tokensAreCreatedListedAndRevoked() {
        CliRun created = CliRun.run(home, "--json", "token", "create", "--role", "auditor", "--name", "eve");
        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode issued = Json.parse(created.out());
        assertThat(issued.path("secret").asText()).startsWith("seer_");
        CliRun list = CliRun.run(home, "token", "list");
        assertThat(list.out()).contains("admin", "eve", "auditor").doesNotContain(issued.path("secret").asText());
        assertThat(CliRun.run(home, "token", "revoke", "eve").exitCode()).isZero();
        CliRun twice = CliRun.run(home, "token", "revoke", "eve");
        assertThat(twice.exitCode()).isEqualTo(4);
        assertThat(twice.err()).contains("already revoked");
        CliRun badRole = CliRun.run(home, "token", "create", "--role", "king", "--name", "k");
        assertThat(badRole.exitCode()).isEqualTo(2);
        assertThat(badRole.err()).contains("[king]");
        CliRun missing = CliRun.run(home, "token", "create", "--role", "admin");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--name");
    }

    @Test
    void auditListShowsWhatWasDone() {
        CliRun list = CliRun.run(home, "--json", "audit", "list", "--action", "token.created");
        JsonNode entries = Json.parse(list.out()).path("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).path("payload").path("name").asText()).isEqualTo("admin");
        CliRun badTime = CliRun.run(home, "audit", "list", "--from", "yesterday");
        assertThat(badTime.exitCode()).isEqualTo(2);
    }

    @Test
    void verifyPassesThenCatchesAChangedEntry() throws SQLException {
        addEntries(6);
        assertThat(CliRun.run(home, "audit", "verify").exitCode()).isZero();
        sql("UPDATE audit_entry SET actor = 'mallory' WHERE seq = 4");
        assertVerifyFails("Entry 4 was changed");
    }

    @Test
    void verifyCatchesADeletedEntry() throws SQLException {
        addEntries(6);
        sql("DELETE FROM audit_entry WHERE seq = 3");
        assertVerifyFails("Entry 3 was removed");
    }

    @Test
    void verifyCatchesAnInsertedEntry() throws SQLException {
        addEntries(6);
        sql("UPDATE audit_entry SET seq = -seq - 1 WHERE seq >= 4");
        sql("UPDATE audit_entry SET seq = -seq WHERE seq < 0");
        sql("INSERT INTO audit_entry (seq, ts_micros, actor, action, subject_type, subject_id, payload, prev_hash, hash)"
                + " SELECT 4, ts_micros, 'mallory', 'model.promoted', 'model', 'm1', '{}', hash, hash FROM audit_entry WHERE seq = 3");
        assertVerifyFails("Entry 4 was inserted");
    }

    @Test
    void verifyCatchesReorderedEntries() throws SQLException {
        addEntries(6);
        sql("UPDATE audit_entry SET seq = -1 WHERE seq = 4");
        sql("UPDATE audit_entry SET seq = 4 WHERE seq = 5");
        sql("UPDATE audit_entry SET seq = 5 WHERE seq = -1");
        assertVerifyFails("Entry 4 was reordered");
    }

    @Test
    void verifyAgainstAnExportedHeadProvesTheLogOnlyGrew() throws Exception {
        Path head = dir.resolve("head.json");
        CliRun checkpoint = CliRun.run(home, "audit", "checkpoint", "--out", head.toString());
        assertThat(checkpoint.exitCode()).as(checkpoint.err()).isZero();
        addEntries(5);
        CliRun ok = CliRun.run(home, "audit", "verify", "--against", head.toString());
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("extends the given head");
        Files.writeString(head, Files.readString(head).replaceAll("\"root_hash\":\"[0-9a-f]", "\"root_hash\":\"f"));
        Files.writeString(head, Files.readString(head).replaceAll("\"root_hash\":\"f[0-9a-f]", "\"root_hash\":\"fe"));
        CliRun mismatch = CliRun.run(home, "audit", "verify", "--against", head.toString());
        assertThat(mismatch.exitCode()).isEqualTo(4);
        assertThat(mismatch.err()).contains("no longer match");
        CliRun missingFile = CliRun.run(home, "audit", "verify", "--against", dir.resolve("nope.json").toString());
        assertThat(missingFile.exitCode()).isEqualTo(3);
    }

    @Test
    void anUnknownConfigKeyIsReportedWithItsLine() throws Exception {
        Files.writeString(home.resolve("seer.yaml"), "server:\n  port: 7070\n  colour: blue\n");
        CliRun run = CliRun.run(home, "token", "list");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("line 3").contains("[server.colour]");
    }

    @Test
    void malformedYamlIsReportedWithLineAndKeyAndChangesNothing() throws Exception {
        long entriesBefore = auditEntries();
        Files.writeString(home.resolve("seer.yaml"), "server:\n  port: 7070\n  host: [oops\n");
        CliRun run = CliRun.run(home, "token", "create", "--role", "admin", "--name", "late");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not valid YAML at line 4 (key [server.host])");
        Files.writeString(home.resolve("seer.yaml"), "");
        assertThat(CliRun.run(home, "token", "list").out()).doesNotContain("late");
        assertThat(auditEntries()).isEqualTo(entriesBefore);
    }

    @Test
    void initWithABadEnvironmentWritesNothing() {
        Path fresh = dir.resolve("fresh");
        CliRun run = CliRun.run(java.util.Map.of("SEER_SERVER_PORT", "huge"), fresh, "init");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("SEER_SERVER_PORT");
        assertThat(fresh).doesNotExist();
        CliRun unreachable = CliRun.run(java.util.Map.of("SEER_METADATA_URL", "jdbc:postgresql://127.0.0.1:1/none"), fresh, "init");
        assertThat(unreachable.exitCode()).isEqualTo(7);
        assertThat(fresh).doesNotExist();
        assertThat(CliRun.run(fresh, "init").exitCode()).isZero();
    }

    @Test
    void aProofAgainstAnExportedHeadChecksOut() throws Exception {
        Path head = dir.resolve("head.json");
        assertThat(CliRun.run(home, "audit", "checkpoint", "--out", head.toString()).exitCode()).isZero();
        addEntries(3);
        CliRun proof = CliRun.run(home, "audit", "prove", "2", "--against", head.toString());
        assertThat(proof.exitCode()).as(proof.err()).isZero();
        assertThat(proof.out()).contains("proof checks out against the given head");
    }

    private static java.util.List<String> readLines(Path file) {
        try {
            return java.nio.file.Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long auditEntries() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("metadata.db"));
                Statement s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM audit_entry")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void helpIsAvailableForEveryCommand() {
        for (String[] command : new String[][] {{"init"}, {"server"}, {"quickstart"}, {"token", "create"},
                {"token", "list"}, {"token", "revoke"}, {"audit", "list"}, {"audit", "verify"}, {"audit", "checkpoint"},
                {"audit", "prove"}, {"plan"}, {"apply"}, {"features", "list"}, {"features", "show"},
                {"ingest"}, {"quarantine", "list"}, {"quarantine", "show"},
                {"features", "historical"}, {"features", "get"}, {"materialize"}, {"features", "status"},
                {"features", "check-consistency"}, {"dataset", "create"}, {"dataset", "import"}, {"dataset", "list"},
                {"dataset", "show"}, {"dataset", "diff"}, {"dataset", "export"}, {"dataset", "verify"}, {"dataset", "gc"},
                {"dataset", "reproduce"}, {"lineage", "dataset"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun run = CliRun.run(home, args);
            assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).contains("Usage: seer " + String.join(" ", command));
        }
    }

    @Test
    void theExampleRepositoryIsPlannedAppliedAndShown() throws Exception {
        Path example = Path.of("..", "examples", "churn").toAbsolutePath().normalize();
        CliRun plan = CliRun.run(home, "plan", "-f", example.toString());
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("feature_view", "customer_stats", "create  v1", "Apply would change 6 definitions");
        CliRun apply = CliRun.run(home, "apply", "-f", example.toString());
        assertThat(apply.exitCode()).as(apply.err()).isZero();
        assertThat(CliRun.run(home, "apply", "-f", example.toString()).out()).contains("Nothing to change.");
        assertThat(CliRun.run(home, "features", "list").out()).contains("customer_stats", "transactions");
        JsonNode shown = Json.parse(CliRun.run(home, "--json", "features", "show", "customer_stats").out());
        assertThat(shown.path("version").asInt()).isEqualTo(1);
        assertThat(shown.path("body").path("features")).hasSize(3);
        CliRun missing = CliRun.run(home, "features", "show", "nope");
        assertThat(missing.exitCode()).isEqualTo(3);
        CliRun recorded = CliRun.run(home, "--json", "audit", "list", "--action", "feature_view.recorded");
        assertThat(Json.parse(recorded.out()).path("entries")).hasSize(2);
        CliRun ingested = CliRun.run(home, "--json", "ingest", "transactions");
        assertThat(ingested.exitCode()).as(ingested.err()).isZero();
        JsonNode report = Json.parse(ingested.out());
        assertThat(report.path("rows_read").asLong()).isEqualTo(200);
        assertThat(report.path("rows_quarantined").asLong()).isEqualTo(2);
        assertThat(report.path("rows_written").asLong()).isEqualTo(198);
        assertThat(CliRun.run(home, "ingest", "transactions").out()).contains("nothing added");
        CliRun quarantine = CliRun.run(home, "quarantine", "show", report.path("batch_id").asText());
        assertThat(quarantine.out()).contains("row 51", "below min 0.0", "row 91", "[gold] is not one of [basic, pro]");
        assertThat(CliRun.run(home, "quarantine", "list").out()).contains(report.path("batch_id").asText(), "198");
        Path entityFile = dir.resolve("entities.csv");
        java.nio.file.Files.writeString(entityFile, "customer_id,event_timestamp\n11,2026-11-27T00:00:00Z\n11,2020-01-01T00:00:00Z\n");
        Path joined = dir.resolve("training.csv");
        CliRun historical = CliRun.run(home, "features", "historical", "--entities", entityFile.toString(),
                "--features", "churn_v1", "--out", joined.toString());
        assertThat(historical.exitCode()).as(historical.err()).isZero();
        assertThat(historical.out()).contains("Wrote 2 rows");
        assertThat(readLines(joined)).hasSize(3).first().isEqualTo("customer_id,event_timestamp,customer_stats__spend,customer_stats__plan");
        CliRun materialized = CliRun.run(home, "materialize", "--end", "2026-11-27T00:00:00Z");
        assertThat(materialized.exitCode()).as(materialized.err()).isZero();
        assertThat(materialized.out()).contains("customer_stats", "20 entities written");
        CliRun got = CliRun.run(home, "--json", "features", "get", "--features", "customer_stats:spend,customer_stats:plan",
                "--entity", "customer_id=11", "--entity", "customer_id=999");
        assertThat(got.exitCode()).as(got.err()).isZero();
        JsonNode results = Json.parse(got.out()).path("results");
        assertThat(results.get(0).path("features").path("customer_stats:spend").path("status").asText()).isEqualTo("present");
        assertThat(results.get(1).path("features").path("customer_stats:plan").path("status").asText()).isEqualTo("missing");
        // Nothing was streamed: no entity to compare yet; a view without aggregations has nothing to compare.
        CliRun consistency = CliRun.run(home, "features", "check-consistency", "customer_payments", "--at", "2026-11-27T00:00:00Z");
        assertThat(consistency.exitCode()).as(consistency.err()).isZero();
        assertThat(consistency.out()).contains("customer_payments at 2026-11-27T00:00:00Z: 0 entities sampled, 0 compared");
        CliRun noWindows = CliRun.run(home, "features", "check-consistency", "customer_stats");
        assertThat(noWindows.exitCode()).isNotZero();
        assertThat(noWindows.err()).contains("[customer_stats] declares no aggregations");
        CliRun bad = CliRun.run(home, "apply", "-f", dir.resolve("nothing-here").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("No definition file or folder");
    }

    private void assertVerifyFails(String message) {
        CliRun verify = CliRun.run(home, "audit", "verify");
        assertThat(verify.exitCode()).isEqualTo(4);
        assertThat(verify.err()).contains(message);
        CliRun json = CliRun.run(home, "--json", "audit", "verify");
        assertThat(Json.parse(json.out()).path("ok").asBoolean()).isFalse();
    }

    private void addEntries(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(CliRun.run(home, "token", "create", "--role", "scientist", "--name", "s" + i).exitCode()).isZero();
        }
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("metadata.db"));
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }
}

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
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
        String id = issued.path("token").path("id").asText();
        assertThat(issued.path("token").path("role").asText()).isEqualTo("auditor");
        assertThat(issued.path("token").path("active").asBoolean()).isTrue();
        CliRun list = CliRun.run(home, "token", "list");
        assertThat(list.out()).containsPattern(id + " +eve +auditor +active ").doesNotContain(issued.path("secret").asText());
        CliRun revoked = CliRun.run(home, "token", "revoke", "eve");
        assertThat(revoked.exitCode()).isZero();
        assertThat(revoked.out()).contains("Revoked token eve (" + id + ")");
        assertThat(CliRun.run(home, "token", "list").out()).containsPattern(id + " +eve +auditor +revoked ")
                .containsPattern("tok_\\w+ +admin +admin +active ");
        JsonNode listed = Json.parse(CliRun.run(home, "--json", "token", "list").out());
        assertThat(listed).anySatisfy(t -> {
            assertThat(t.path("name").asText()).isEqualTo("eve");
            assertThat(t.path("active").asBoolean()).isFalse();
            assertThat(t.path("revoked").asText()).isNotBlank();
        });
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
        assertThat(entries.get(0).path("payload")).isEqualTo(Json.parse("{\"name\": \"admin\", \"role\": \"admin\"}"));
        assertThat(entries.get(0).path("actor").asText()).isEqualTo("cli:" + System.getProperty("user.name"));
        assertThat(entries.get(0).path("subject_type").asText()).isEqualTo("token");
        CliRun table = CliRun.run(home, "audit", "list", "--action", "token.created");
        assertThat(table.out()).containsPattern("token\\.created +token:tok_\\w+ +\\{\"name\":\"admin\",\"role\":\"admin\"}");
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
        ObjectNode exported = (ObjectNode) Json.parse(Files.readString(head));
        String root = exported.path("root_hash").asText();
        // flip the first hex digit, so the head always differs (replacing it by a fixed digit
        // left it unchanged whenever the root already began with that digit)
        exported.put("root_hash", (root.charAt(0) == '0' ? "1" : "0") + root.substring(1));
        Files.writeString(head, Json.write(exported));
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
        CliRun run = CliRun.run(Map.of("SEER_SERVER_PORT", "huge"), fresh, "init");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("SEER_SERVER_PORT");
        assertThat(fresh).doesNotExist();
        CliRun unreachable = CliRun.run(Map.of("SEER_METADATA_URL", "jdbc:postgresql://127.0.0.1:1/none"), fresh, "init");
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
            String[] args = Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            CliRun run = CliRun.run(home, args);
            assertThat(run.exitCode()).as(String.join(" ", command)).isZero();
            assertThat(run.out()).contains("Usage: seer " + String.join(" ", command));
        }
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

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.seer.core.Json;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command of each area prints the same JSON in local mode (the CLI owns the home and calls the
 * operation's handler) and in remote mode (a server owns it and the CLI sends the operation over
 * HTTP): both go through one declaration, so they may not drift apart. Streaming is left out: its
 * status depends on when the server's broker came up.
 */
class LocalRemoteCliTest {
    @TempDir
    Path dir;

    @Test
    void aCommandOfEachAreaPrintsTheSameJsonLocallyAndThroughTheServer() throws Exception {
        CliHome home = CliHome.local(dir.resolve("home"));
        ok(home, "init");
        ok(home, "apply", "-f", FeatureCliTest.EXAMPLE.toString());
        ok(home, "ingest", "transactions");
        ok(home, "materialize", "--end", "2026-11-27T00:00:00Z");
        ok(home, "token", "create", "--role", "auditor", "--name", "ci");
        Path entities = Files.writeString(dir.resolve("entities.csv"),
                "customer_id,event_timestamp,churned\n11,2026-11-26T12:00:00Z,true\n3,2026-11-26T12:00:00Z,false\n");
        ok(home, "dataset", "create", "churn", "--entities", entities.toString(), "--features", "customer_stats:spend");
        Path changed = Files.writeString(dir.resolve("entities-2.csv"),
                "customer_id,event_timestamp,churned\n11,2026-11-26T12:00:00Z,false\n4,2026-11-26T12:00:00Z,true\n");
        ok(home, "dataset", "create", "churn", "--entities", changed.toString(), "--features", "customer_stats:spend",
                "--split-by-key", "customer_id");
        Map<String, List<String>> commands = new LinkedHashMap<>();
        commands.put("audit", List.of("audit", "list", "--limit", "5"));
        commands.put("token", List.of("token", "list"));
        commands.put("features", List.of("features", "show", "customer_stats"));
        commands.put("ingest", List.of("quarantine", "list"));
        commands.put("online", List.of("features", "get", "--features", "customer_stats:spend,customer_stats:plan",
                "--entity", "customer_id=11", "--entity", "customer_id=999"));
        commands.put("datasets", List.of("dataset", "show", "churn"));
        commands.put("dataset versions", List.of("dataset", "list"));
        commands.put("lineage", List.of("lineage", "dataset", "churn:1"));
        commands.put("diff", List.of("dataset", "diff", "churn:1", "churn:2", "--key", "customer_id,event_timestamp"));
        commands.put("reproduce", List.of("dataset", "reproduce", "churn:2"));
        commands.put("verify", List.of("dataset", "verify"));
        commands.put("gc", List.of("dataset", "gc", "--dry-run"));
        Map<String, JsonNode> local = runAll(home, commands);
        Map<String, JsonNode> remote;
        SeerHome seerHome = SeerHome.open(home.root);
        try (HomeLock lock = seerHome.lock("server", Clock.systemUTC());
                SeerServices services = SeerServices.open(seerHome, home.config(), Clock.systemUTC());
                SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            remote = runAll(home, commands);
        }
        // The server issued itself a token for the local CLI: the one difference in the token list.
        ArrayNode tokens = (ArrayNode) remote.get("token");
        for (int i = tokens.size() - 1; i >= 0; i--) {
            if (tokens.get(i).path("name").asText().equals(SeerServer.LOCAL_TOKEN_NAME)) {
                tokens.remove(i);
            }
        }
        assertThat(local.get("token")).hasSize(2); // init's admin token and ci
        assertThat(local.get("online").path("results")).hasSize(2);
        assertThat(local.get("lineage").path("batches").get(0).path("batches")).hasSize(1);
        assertThat(local.get("diff").path("rows").path("added").asLong()).isEqualTo(1);
        assertThat(local.get("reproduce").path("same").asBoolean()).isTrue();
        assertThat(remote).isEqualTo(local);
    }

    private static Map<String, JsonNode> runAll(CliHome home, Map<String, List<String>> commands) {
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        commands.forEach((area, command) -> {
            String[] args = new String[command.size() + 1];
            args[0] = "--json";
            for (int i = 0; i < command.size(); i++) {
                args[i + 1] = command.get(i);
            }
            answers.put(area, Json.parse(ok(home, args)));
        });
        return answers;
    }

    private static String ok(CliHome home, String... args) {
        CliRun run = home.run(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run.out();
    }
}

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.testing.JavaProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code seer} jar and the home lock, across real processes. */
@Tag("integration")
class CliProcessTest {
    @TempDir
    Path dir;

    @Test
    void aSecondProcessIsToldWhichProcessHoldsTheHome() throws Exception {
        Path home = dir.resolve("home");
        assertThat(CliRun.run(home, "init").exitCode()).isZero();
        Process holder = JavaProcess.start(HoldHome.class, List.of(home.toString()), Map.of());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).startsWith("locked ");
            CliRun refused = CliRun.run(home, "token", "list");
            assertThat(refused.exitCode()).isEqualTo(4);
            assertThat(refused.err()).contains("in use by process " + holder.pid()).contains("HOME_LOCKED");
        } finally {
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        // The kernel released the lock with the process; the home is usable again.
        assertThat(CliRun.run(home, "token", "list").exitCode()).isZero();
    }

    @Test
    void quickstartServesTheAuditOfItsOwnStartAndTheCliTalksToIt() throws Exception {
        Path jar = Path.of("target", "seer.jar").toAbsolutePath();
        assertThat(jar).as("packaged before integration tests").exists();
        Path home = dir.resolve("qs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process quickstart = new ProcessBuilder(java, "-jar", jar.toString(), "--home", home.toString(), "quickstart",
                "--port", "0", "--example", Path.of("..", "examples", "churn").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(quickstart.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Stop with")) {
                lines.add(line);
            }
            String text = String.join("\n", lines);
            String url = find(text, "url:\\s+(\\S+)");
            String token = find(text, "export TOKEN=(\\S+)");
            HttpResponse<String> audit = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/api/v1/audit"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(audit.statusCode()).isEqualTo(200);
            JsonNode entries = Json.parse(audit.body()).path("entries");
            List<String> actions = new ArrayList<>();
            entries.forEach(e -> actions.add(e.path("action").asText()));
            assertThat(actions).containsSubsequence("home.initialised", "token.created", "token.created", "server.started");
            assertThat(text).contains("Example: source transactions, 200 rows read, 198 written, 2 quarantined");
            // the example trains, evaluates and promotes a first model, and says where its card is
            assertThat(text).contains("Training example: dataset churn_training:1 (1,500 rows)", "gate passed",
                    "churn:1 is now champion (check comparison passed)");
            Path card = Path.of(find(text, "model card: (\\S+)"));
            // the champion is deployed, scores 20 customers through the predict path and gets their outcomes back
            assertThat(text).contains("Serving example: deployment churn (revision 1) answers with churn:1",
                    "20 predictions logged", "20 outcomes recorded as feedback").containsPattern("live champion \\(20 outcomes\\)");
            String predictionId = find(text, "id (prd_\\w+)\\)");
            HttpResponse<String> logged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "/api/v1/predictions/" + predictionId)).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(logged.statusCode()).as(logged.body()).isEqualTo(200);
            assertThat(Json.parse(logged.body()).path("deployment").asText()).isEqualTo("churn");
            assertThat(Json.parse(logged.body()).path("features").get(0).path("status").asText()).isEqualTo("present");
            assertThat(Files.readString(card)).contains("<h1>Model card: churn version 1</h1>", "<svg");
            // an online model learns from the same outcomes, and a snapshot registers and serves what it learnt
            assertThat(text).contains("Online learning example: online model churn_online",
                    "20 predictions by churn_online:1, 20 outcomes learnt as they were recorded; snapshot churn_online:2"
                    + " registered, deployment churn_online moved to it");
            HttpResponse<String> learnt = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "/api/v1/models/churn_online/online")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(learnt.statusCode()).as(learnt.body()).isEqualTo(200);
            assertThat(Json.parse(learnt.body()).path("updates").asLong()).isEqualTo(20);
            assertThat(Json.parse(learnt.body()).path("version").asInt()).isEqualTo(2);
            // Each customer's latest valid row of the example's transactions.csv.
            JsonNode lookup = Json.parse(find(text, "Online lookup of customer_id 1 and 2: (\\{.*)"));
            assertThat(lookup.path("results").get(0).path("features").path("customer_stats:spend")).isEqualTo(Json.parse(
                    "{\"value\": 50.41, \"status\": \"present\", \"event_time\": \"2026-11-25T06:04:00Z\"}"));
            assertThat(lookup.path("results").get(1).path("features").path("customer_stats:plan")).isEqualTo(Json.parse(
                    "{\"value\": \"basic\", \"status\": \"present\", \"event_time\": \"2026-11-25T20:04:00Z\"}"));
            // The streaming demo: pushed payments reach the online aggregates through Kafka Streams.
            assertThat(text).contains("Streaming example: pushing payments of customer_id 1")
                    .containsPattern("after 3 payments: \\{.*\"customer_payments:amount_sum_1h\":49.75,\"customer_payments:count_1h\":3")
                    .containsPattern("after 2 more: +\\{.*\"customer_payments:amount_sum_1h\":154.5,\"customer_payments:count_1h\":5");
            HttpResponse<String> online = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "/api/v1/features/online")).header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"feature_service\": \"churn_v1\", \"entities\": "
                            + "{\"customer_id\": [\"3\", \"no-such-customer\"]}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(online.statusCode()).as(online.body()).isEqualTo(200);
            JsonNode results = Json.parse(online.body()).path("results");
            assertThat(results.get(0).path("entity")).isEqualTo(Json.parse("{\"customer_id\": \"3\"}"));
            assertThat(results.get(0).path("features").path("customer_stats:spend")).isEqualTo(Json.parse(
                    "{\"value\": 160.56, \"status\": \"present\", \"event_time\": \"2026-11-25T17:20:00Z\"}"));
            assertThat(results.get(1).path("features").path("customer_stats:spend")).isEqualTo(Json.parse(
                    "{\"value\": null, \"status\": \"missing\", \"event_time\": null}"));

            // While the server owns the home, the CLI goes through it (with the local token).
            CliRun verify = CliRun.run(home, "audit", "verify");
            assertThat(verify.exitCode()).as(verify.err()).isZero();
            assertThat(verify.out()).containsPattern("Audit log OK: \\d+ entries, root [0-9a-f]{64}");
            CliRun created = CliRun.run(home, "token", "create", "--role", "operator", "--name", "ops");
            assertThat(created.exitCode()).as(created.err()).isZero();
            Path example = Path.of("..", "examples", "churn");
            CliRun applied = CliRun.run(home, "apply", "-f", example.toString());
            assertThat(applied.exitCode()).as(applied.err()).isZero();
            // Through the server the repository is uploaded, so its file source may be recorded at a new path.
            assertThat(applied.out()).containsPattern("feature_view +customer_stats +same +v1");
            assertThat(CliRun.run(home, "features", "list").out()).containsPattern("customer_stats +1 +3 +transactions ");
        } finally {
            quickstart.destroy(); // SIGTERM: the shutdown hook closes in order
            assertThat(quickstart.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(home.resolve("run").resolve("cli.token"))).isFalse();
        CliRun after = CliRun.run(home, "--json", "audit", "list", "--action", "server.stopped");
        assertThat(Json.parse(after.out()).path("entries")).hasSize(1);
        CliRun tokens = CliRun.run(home, "token", "list");
        assertThat(tokens.out()).containsPattern("tok_\\w+ +ops +operator +active ");
        assertThat(CliRun.run(home, "audit", "verify").exitCode()).isZero();
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("%s in:%n%s", regex, text).isTrue();
        return matcher.group(1);
    }
}

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.registry.artifacts.ArtifactPath;
import dev.seer.registry.tracking.Metric;
import dev.seer.registry.tracking.Run;
import dev.seer.registry.tracking.RunProvenance;
import dev.seer.registry.tracking.RunStatus;
import dev.seer.registry.tracking.TrackingStore;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry from the command line: a run trained from a dataset version logs a model; it is
 * registered (the file checked against its signature), a protected champion moves on a passing
 * check or an admin's override and is refused otherwise, "which version at time T" answers for
 * every move, and the lineage goes from the model version to the ingested batches. Then the same
 * through the server, where a scientist may move an alias but not override a protection.
 */
class RegistryCliTest {
    @TempDir
    Path dir;

    @Test
    void aModelIsRegisteredPromotedUnderProtectionAndTracedToItsBatches() throws Exception {
        CliHome home = CliHome.local(dir.resolve("home"));
        ok(home, "init");
        ok(home, "apply", "-f", FeatureCliTest.EXAMPLE.toString());
        ok(home, "ingest", "transactions");
        Path entities = Files.writeString(dir.resolve("entities.csv"),
                "customer_id,event_timestamp,churned\n11,2026-11-26T12:00:00Z,true\n3,2026-11-26T12:00:00Z,false\n");
        ok(home, "dataset", "create", "churn", "--entities", entities.toString(), "--features", "customer_stats:spend");
        String first = trainedRun(home, 0.2, Optional.empty());
        String second = trainedRun(home, 0.3, Optional.of("churn:1")); // as continued training records its parent

        JsonNode found = Json.parse(ok(home, "--json", "runs", "search", "--filter", "metrics.roc_auc > 0.5 and params.weight"
                + " LIKE '0.%'", "--order-by", "params.weight DESC", "--max", "1"));
        assertThat(found.path("runs")).extracting(r -> r.path("id").asText()).containsExactly(second);
        JsonNode next = Json.parse(ok(home, "--json", "runs", "search", "--filter", "metrics.roc_auc > 0.5", "--order-by",
                "params.weight DESC", "--max", "1", "--page-token", found.path("next_page_token").asText()));
        assertThat(next.path("runs")).extracting(r -> r.path("id").asText()).containsExactly(first);
        assertThat(next.has("next_page_token")).as("the last page has no token").isFalse();
        CliRun badFilter = home.run("runs", "search", "--filter", "metrics.roc_auc >");
        assertThat(badFilter.exitCode()).isEqualTo(2);
        assertThat(badFilter.err()).contains("at column");

        assertThat(ok(home, "models", "register", first, "--name", "churn")).contains("Registered churn:1");
        assertThat(ok(home, "models", "register", second, "--name", "churn", "--description", "more trees"))
                .contains("Registered churn:2");
        CliRun mismatch = home.run("models", "register", first, "--name", "churn", "--signature",
                "age:float64->probability");
        assertThat(mismatch.exitCode()).as(mismatch.err()).isEqualTo(2);
        assertThat(mismatch.err()).contains("spend");
        JsonNode v1 = Json.parse(ok(home, "--json", "models", "show", "churn:1"));
        assertThat(v1.path("run_id").asText()).isEqualTo(first);
        assertThat(v1.path("details").path("dataset").asText()).isEqualTo("churn:1");
        assertThat(v1.path("details").path("model_format").asText()).isEqualTo("seer-linear");
        assertThat(v1.path("details").path("metrics").path("roc_auc").asDouble()).isEqualTo(0.75);

        Instant beforeAll = Instant.now();
        pause();
        ok(home, "models", "alias", "churn:1", "champion", "--reason", "first model");
        Instant afterFirst = later();
        ok(home, "models", "protect", "churn", "champion");
        CliRun refused = home.run("models", "alias", "churn:2", "champion", "--reason", "better");
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(4);
        assertThat(refused.err()).contains("protected by check [comparison]");
        ok(home, "models", "check", "churn:2", "comparison", "--passed", "--detail", "p = 0.004 against churn:1");
        ok(home, "models", "alias", "churn:2", "champion", "--reason", "beats churn:1");
        Instant afterSecond = later();
        assertThat(ok(home, "models", "alias", "churn:1", "champion", "--reason", "rollback", "--override", "incident 7"))
                .contains("override: incident 7");
        Instant afterThird = later();

        assertThat(home.run("models", "at", "churn", "--time", beforeAll.toString()).exitCode()).isEqualTo(3);
        assertThat(ok(home, "models", "at", "churn", "--time", afterFirst.toString())).contains("churn:1 was champion");
        assertThat(ok(home, "models", "at", "churn", "--time", afterSecond.toString())).contains("churn:2 was champion");
        assertThat(ok(home, "models", "at", "churn", "--time", afterThird.toString())).contains("churn:1 was champion");
        JsonNode history = Json.parse(ok(home, "--json", "models", "history", "churn"));
        assertThat(history).extracting(m -> m.path("grounds").asText()).containsExactly("unprotected",
                "check comparison passed", "override: incident 7");

        String lineage = ok(home, "lineage", "model", "churn:1");
        assertThat(lineage).contains("model churn:1", "run " + first, "dataset churn:1", "view customer_stats version 1",
                "of transactions: file").doesNotContain("continued from");

        SeerHome seerHome = SeerHome.open(home.root);
        try (HomeLock lock = seerHome.lock("server", Clock.systemUTC());
                SeerServices services = SeerServices.open(seerHome, home.config(), Clock.systemUTC());
                SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            String scientist = services.tokens().create(Role.SCIENTIST, "sci", "test").secret();
            CliRun override = home.run("--token", scientist, "models", "alias", "churn:2", "champion", "--reason", "x",
                    "--override", "mine");
            assertThat(override.exitCode()).as(override.err()).isEqualTo(6);
            assertThat(override.err()).contains("Only an admin may override");
            assertThat(ok(home, "--token", scientist, "models", "alias", "churn:2", "challenger", "--reason", "try"))
                    .contains("challenger of churn now points at version 2");
            assertThat(ok(home, "--token", scientist, "lineage", "model", "churn:2")).contains("continued from model churn:1",
                "dataset churn:1");
            assertThat(ok(home, "--token", scientist, "runs", "show", first)).contains("param  ", "metric roc_auc");
            assertThat(ok(home, "--token", scientist, "runs", "delete", first)).contains("run " + first, "deleted");
            assertThat(ok(home, "--token", scientist, "runs", "list")).doesNotContain(first);
            assertThat(ok(home, "--token", scientist, "runs", "search", "--view", "deleted_only")).contains(first);
            assertThat(ok(home, "--token", scientist, "runs", "restore", first)).contains("restored");
            assertThat(ok(home, "--token", scientist, "runs", "list")).contains(first);
        }
    }

    /** What a trainer leaves: a finished run with provenance, metrics, and a model folder with its descriptor. */
    private static String trainedRun(CliHome home, double weight, Optional<String> continuedFrom) throws Exception {
        try (SeerServices services = SeerServices.open(SeerHome.open(home.root), home.config(), Clock.systemUTC())) {
            TrackingStore tracking = services.tracking();
            RunProvenance provenance = RunProvenance.here(Optional.of("churn:1"), Optional.empty(), Optional.empty(),
                    OptionalLong.of(7), Map.of());
            Run run = tracking.createRun(new TrackingStore.NewRun(TrackingStore.DEFAULT_EXPERIMENT, Optional.empty(),
                    "trainer", Optional.empty(), Map.of(), Optional.empty(), Optional.of(continuedFrom.map(
                            provenance::continuing).orElse(provenance))), "trainer");
            tracking.logBatch(run.id(), new TrackingStore.Batch(List.of(new Metric("roc_auc", 0.75, 1, 0)),
                    Map.of("weight", Double.toString(weight)), Map.of()), "trainer");
            // the documented file forms, as any trainer writes them: Seer's linear model and the model descriptor
            String model = "{\"format\": 1, \"kind\": \"seer-linear\", \"features\": [\"customer_stats__spend\"],"
                    + " \"weights\": [" + weight + "], \"intercept\": -1.0, \"link\": \"logit\"}";
            services.artifacts().put(run.id(), ArtifactPath.of("model/model.seer-linear.json"),
                    new ByteArrayInputStream(model.getBytes(StandardCharsets.UTF_8)), "trainer");
            String descriptor = "{\"format\": 1, \"model_format\": \"seer-linear\", \"file\": \"model.seer-linear.json\","
                    + " \"signature\": {\"format\": 1, \"inputs\": [{\"name\": \"customer_stats__spend\","
                    + " \"type\": \"float64\"}], \"output\": \"probability\"}}";
            services.artifacts().put(run.id(), ArtifactPath.of("model/seer-model.json"), new ByteArrayInputStream(
                    descriptor.getBytes(StandardCharsets.UTF_8)), "trainer");
            tracking.updateRun(run.id(), Optional.of(RunStatus.FINISHED), Optional.empty(), Optional.empty(), "trainer");
            return run.id();
        }
    }

    /** An instant strictly after the last move and before the next (moves are recorded to the millisecond). */
    private static Instant later() throws InterruptedException {
        pause();
        Instant now = Instant.now();
        pause();
        return now;
    }

    private static void pause() throws InterruptedException {
        Thread.sleep(20);
    }

    private static String ok(CliHome home, String... args) {
        CliRun run = home.run(args);
        assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run.out();
    }
}

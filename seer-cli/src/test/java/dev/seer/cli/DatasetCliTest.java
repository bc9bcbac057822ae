package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seer dataset} and {@code seer lineage dataset} on a home of their own, then through its server. */
class DatasetCliTest {
    @TempDir
    Path dir;

    Path home;
    Path entities;

    @BeforeEach
    void home() throws Exception {
        home = dir.resolve("home");
        assertThat(CliRun.run(home, "init").exitCode()).isZero();
        Path example = Path.of("..", "examples", "churn").toAbsolutePath().normalize();
        assertThat(CliRun.run(home, "apply", "-f", example.toString()).exitCode()).isZero();
        CliRun ingested = CliRun.run(home, "ingest", "transactions");
        assertThat(ingested.exitCode()).as(ingested.err()).isZero();
        entities = dir.resolve("entities.csv");
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp,churned\n");
        for (int i = 0; i < 60; i++) {
            rows.append(i % 20 + 1).append(",2026-11-2").append(5 + i % 3).append("T12:00:00Z,").append(i % 4 == 0).append('\n');
        }
        Files.writeString(entities, rows);
    }

    @Test
    void aDatasetIsCreatedShownTracedExportedVerifiedAndReproduced() throws Exception {
        CliRun created = CliRun.run(home, "dataset", "create", "churn", "--entities", entities.toString(), "--features",
                "churn_v1", "--label", "churned", "--split-by-key", "customer_id", "--split-fractions", "0.5,0.25,0.25");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("churn:1  60 rows", "New version", "split train");
        assertThat(CliRun.run(home, "dataset", "list").out()).contains("churn:1  60 rows");
        JsonNode audited = Json.parse(CliRun.run(home, "--json", "audit", "list", "--action", "dataset.recorded").out());
        assertThat(audited.path("entries")).singleElement().satisfies(e -> assertThat(e.path("subject_id").asText())
                .isEqualTo("churn"));
        CliRun shown = CliRun.run(home, "dataset", "show", "churn:1");
        assertThat(shown.out()).contains("customer_stats__spend", "label: churned", "splits (key on [\"customer_id\"])");

        CliRun lineage = CliRun.run(home, "lineage", "dataset", "churn:1");
        assertThat(lineage.exitCode()).as(lineage.err()).isZero();
        assertThat(lineage.out()).contains("entities " + entities, "(feature service churn_v1 version 1: "
                + "[\"customer_stats:spend\",\"customer_stats:plan\"])", "view customer_stats version 1: 1 batches",
                "of source transactions", "transactions.csv (sha256 ", "rows matched");

        Path out = dir.resolve("train.parquet");
        assertThat(CliRun.run(home, "dataset", "export", "churn", "--split", "train", "--out", out.toString()).exitCode()).isZero();
        assertThat(out).isNotEmptyFile();
        assertThat(CliRun.run(home, "dataset", "verify").out()).contains("all intact");
        CliRun reproduced = CliRun.run(home, "dataset", "reproduce", "churn:1");
        assertThat(reproduced.exitCode()).as(reproduced.out() + reproduced.err()).isZero();
        assertThat(reproduced.out()).contains("churn:1: same hash");

        CliRun missing = CliRun.run(home, "dataset", "show", "nope");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("Dataset [nope] does not exist; datasets: [churn]", "[DATASET_NOT_FOUND]");
        CliRun noKey = CliRun.run(home, "dataset", "diff", "churn:1", "churn:1", "--key", "nope");
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("lacks the column(s) [nope]");
        assertThat(CliRun.run(home, "dataset", "gc", "--dry-run").out()).contains("Would remove 0 objects");
    }

    @Test
    void theSameCommandsWorkThroughTheServerThatOwnsTheHome() throws Exception {
        SeerHome seerHome = SeerHome.open(home);
        try (HomeLock lock = seerHome.lock("server");
                SeerServices services = SeerServices.open(seerHome, seerHome.loadConfig(Map.of()), Clock.systemUTC());
                SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            CliRun created = CliRun.run(home, "--json", "dataset", "create", "churn", "--entities", entities.toString(),
                    "--features", "customer_stats:spend", "--split-by-time", "event_timestamp");
            assertThat(created.exitCode()).as(created.out() + created.err()).isZero();
            JsonNode version = Json.parse(created.out());
            assertThat(version.path("dataset").asText()).isEqualTo("churn:1");
            assertThat(version.path("manifest").path("splits").path("parts").path("train").path("rows").asLong()).isPositive();
            CliRun diff = CliRun.run(home, "--json", "dataset", "diff", "churn:1", "churn:1");
            assertThat(Json.parse(diff.out()).path("rows").toString()).isEqualTo("{\"added\":0,\"removed\":0,\"changed\":0}");
            CliRun lineage = CliRun.run(home, "lineage", "dataset", "churn");
            assertThat(lineage.out()).contains("view customer_stats version 1");
            CliRun missing = CliRun.run(home, "dataset", "show", "churn:9");
            assertThat(missing.exitCode()).isEqualTo(3);
            assertThat(missing.err()).contains("Dataset [churn] has no version 9; its latest is 1");
        }
    }
}

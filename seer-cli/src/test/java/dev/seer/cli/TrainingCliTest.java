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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seer train}, {@code seer runs show}, {@code seer models promote} and {@code seer models card}
 * end to end on a dataset version built from the example repository: the example's labels joined
 * point-in-time with its feature service, split by key, trained by the example's spec.
 */
class TrainingCliTest {
    static final Path SPEC = FeatureCliTest.EXAMPLE.resolve("training/churn.yaml");
    static final Path LABELS = FeatureCliTest.EXAMPLE.resolve("data/churn_labels.csv");

    @TempDir
    Path dir;

    CliHome home;

    @BeforeEach
    void home() {
        home = CliHome.local(dir.resolve("home"));
        assertThat(home.run("init").exitCode()).isZero();
        assertThat(home.run("apply", "-f", FeatureCliTest.EXAMPLE.toString()).exitCode()).isZero();
        assertThat(home.run("ingest", "transactions").exitCode()).isZero();
        CliRun created = home.run("dataset", "create", "churn_training", "--entities", LABELS.toString(), "--features",
                "churn_v1", "--label", "churned", "--split-by-time", "event_timestamp", "--split-fractions",
                "0.6,0.2,0.2");
        assertThat(created.exitCode()).as(created.err()).isZero();
    }

    @AfterEach
    void drop() throws Exception {
        home.close();
    }

    @Test
    void trainsTheExampleRecordsTheRunPromotesThroughTheGateAndWritesTheCard() throws Exception {
        CliRun trained = home.run("train", "-f", SPEC.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        assertThat(trained.err()).contains("train: reading dataset churn_training:latest", "xgboost trial 20/20");
        assertThat(trained.out()).contains("evaluation: roc_auc, 5 folds", "xgboost", "random_forest", "logistic",
                "baseline", "vs baseline", "nadeau_bengio", "mcnemar", "delong", "paired_bootstrap",
                "registered churn:1", "comparison passed");
        String run = trained.out().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().split(" ")[1];

        CliRun shown = home.run("runs", "show", run);
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("param  dataset", "churn_training:1", "metric test_roc_auc_low",
                "provenance: dataset churn_training:1 (sha256 ", "xgboost4j", "delong", "gate: passed");

        JsonNode runs = Json.parse(home.run("--json", "runs", "search", "--experiment", "churn", "--filter",
                "tags.`seer.kind` = 'trial'", "--max", "100").out());
        assertThat(runs.path("runs")).hasSize(20);

        CliRun notAdminForce = home.run("models", "promote", "churn:1", "--force");
        assertThat(notAdminForce.exitCode()).isNotZero();
        assertThat(notAdminForce.err()).contains("needs a reason");
        CliRun promoted = home.run("models", "promote", "churn:1");
        assertThat(promoted.exitCode()).as(promoted.err()).isZero();
        assertThat(promoted.out()).contains("champion of churn now points at version 1 (check comparison passed)");

        Path cards = dir.resolve("cards");
        CliRun card = home.run("models", "card", "churn:1", "--out", cards.toString());
        assertThat(card.exitCode()).as(card.err()).isZero();
        String markdown = Files.readString(cards.resolve("churn-1.md"));
        assertThat(markdown).contains("## Intended use", "## Training data", "churn_training:1", "feature service churn_v1",
                "## Metrics on the held-out test rows", "## Comparison report", "Promotion gate: passed",
                "![roc](churn-1.roc.svg)");
        assertThat(Files.readString(cards.resolve("churn-1.html"))).contains("<svg", "ROC curve", "Calibration",
                "Confusion matrix").doesNotContain("<script", "http://cdn", "https://");
        assertThat(cards.resolve("churn-1.pr.svg")).exists();

        // the second version trained is compared with the champion, on the same dataset version
        CliRun again = home.run("train", "-f", SPEC.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("vs churn:1 (champion)", "registered churn:2");
    }

    @Test
    void automlReadsTheTaskFromTheLabelTunesWithinItsBudgetAndPrintsALeaderboard() {
        CliRun automl = home.run("automl", "--dataset", "churn_training", "--time", "12s");
        assertThat(automl.exitCode()).as(automl.err()).isZero();
        assertThat(automl.err()).contains("tuning xgboost", "tpe");
        assertThat(automl.out()).contains("leaderboard (roc_auc;", "RANK", "xgboost", "random_forest", "logistic",
                "baseline", "registered automl-churn_training:1");
        String leaderboard = automl.out().substring(automl.out().indexOf("RANK"));
        assertThat(leaderboard.indexOf("baseline")).isGreaterThan(leaderboard.indexOf("xgboost")); // the baseline ranks last
        CliRun badTime = home.run("automl", "--dataset", "churn_training", "--time", "soon");
        assertThat(badTime.exitCode()).isNotZero();
        assertThat(badTime.err()).contains("[soon] is not a duration");
    }

    @Test
    void theSameTrainingWorksThroughTheServerThatOwnsTheHome() throws Exception {
        Path spec = dir.resolve("quick.yaml");
        Files.writeString(spec, Files.readString(SPEC).replace("trials: 20", "trials: 4"));
        SeerHome seerHome = SeerHome.open(home.root);
        try (HomeLock lock = seerHome.lock("server", Clock.systemUTC());
                SeerServices services = SeerServices.open(seerHome, home.config(), Clock.systemUTC());
                SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            CliRun trained = home.run("--json", "train", "-f", spec.toString());
            assertThat(trained.exitCode()).as(trained.err()).isZero();
            JsonNode answer = Json.parse(trained.out());
            assertThat(answer.path("version").path("version").asInt()).isEqualTo(1);
            assertThat(answer.path("report").path("best").asText()).isIn("xgboost", "random_forest", "logistic");
            assertThat(answer.path("gate").path("check").asText()).isEqualTo("comparison");
            CliRun shown = home.run("runs", "show", answer.path("run_id").asText());
            assertThat(shown.out()).contains("nadeau_bengio");
        }
    }
}

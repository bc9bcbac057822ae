package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run killed (SIGTERM, as Ctrl-C or {@code kill} sends) while it tunes is left marked
 * killed with no model registered; {@code seer tune resume RUN} continues it in the same run, and
 * its trials end exactly as those of the same spec run without interruption.
 */
@Tag("integration")
class TrainingKillTest {
    static final String SPEC = """
            name: killed
            dataset: churn_training
            task: binary
            evaluation: {folds: 2, bootstrap: 100}
            candidates:
              - algorithm: xgboost
                search: {max_depth: {int: [2, 6]}, eta: {log: [0.01, 0.3]}, rounds: {int: [20, 400]}}
            tuning: {strategy: tpe, trials: 16, early_stopping: asha, seed: 3}
            """;

    @TempDir
    Path dir;

    @Test
    void aKilledRunIsMarkedKilledAndResumesToTheSameTrialsAsAnUninterruptedOne() throws Exception {
        Path home = dir.resolve("home");
        try (CliHome cli = CliHome.local(home)) {
            assertThat(cli.run("init").exitCode()).isZero();
            assertThat(cli.run("apply", "-f", FeatureCliTest.EXAMPLE.toString()).exitCode()).isZero();
            assertThat(cli.run("ingest", "transactions").exitCode()).isZero();
            assertThat(cli.run("dataset", "create", "churn_training", "--entities", TrainingCliTest.LABELS.toString(),
                    "--features", "churn_v1", "--label", "churned", "--split-by-time", "event_timestamp").exitCode()).isZero();
        }
        Path spec = dir.resolve("killed.yaml");
        Files.writeString(spec, SPEC);
        Process training = JavaProcess.start(SeerCli.class, List.of("--home", home.toString(), "train", "-f",
                spec.toString()), Map.of());
        String run = awaitTrials(home.resolve("metadata.db"), 5, training);
        training.destroy(); // SIGTERM: the shutdown hooks run
        assertThat(training.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(trialParams(home.resolve("metadata.db"), run)).hasSizeLessThan(16);

        try (CliHome cli = CliHome.local(home)) {
            JsonNode killed = Json.parse(cli.run("--json", "runs", "show", run).out());
            assertThat(killed.path("status").asText()).isEqualTo("KILLED");
            assertThat(cli.run("models", "show", "killed").exitCode()).isNotZero(); // nothing registered

            CliRun resumed = cli.run("tune", "resume", run);
            assertThat(resumed.exitCode()).as(resumed.err()).isZero();
            assertThat(resumed.err()).contains("resuming run " + run + " (KILLED)", "kept ");
            assertThat(resumed.out()).contains("run " + run, "registered killed:1");
            assertThat(Json.parse(cli.run("--json", "runs", "show", run).out()).path("status").asText())
                    .isEqualTo("FINISHED");
            CliRun finishedAgain = cli.run("tune", "resume", run);
            assertThat(finishedAgain.exitCode()).isNotZero();
            assertThat(finishedAgain.err()).contains("finished: there is nothing to resume");

            CliRun uninterrupted = cli.run("train", "-f", spec.toString());
            assertThat(uninterrupted.exitCode()).as(uninterrupted.err()).isZero();
            String second = uninterrupted.out().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow()
                    .split(" ")[1];
            Map<Integer, String> resumedTrials = trialParams(home.resolve("metadata.db"), run);
            assertThat(resumedTrials).hasSize(16);
            assertThat(resumedTrials).isEqualTo(trialParams(home.resolve("metadata.db"), second));
        }
    }

    /** Waits until the run being trained has recorded {@code count} trials; returns its id. */
    private static String awaitTrials(Path db, int count, Process training) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertThat(training.isAlive()).as("the training process ended early").isTrue();
            if (Files.exists(db)) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT p.value, count(*) FROM tags t JOIN tags p ON p.run_id ="
                                + " t.run_id AND p.key = 'mlflow.parentRunId' WHERE t.key = 'seer.kind' AND t.value ="
                                + " 'trial' GROUP BY p.value")) {
                    if (rs.next() && rs.getInt(2) >= count) {
                        return rs.getString(1);
                    }
                } catch (SQLException busy) {
                    // the writer holds the database for a moment: ask again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + count + " trials recorded in time");
    }

    /** Each trial's number and parameters (sorted), as the run's trial child runs recorded them. */
    private static Map<Integer, String> trialParams(Path db, String run) throws SQLException {
        Map<Integer, String> trials = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT n.value, group_concat(pa.key || '=' || pa.value, ';') FROM tags p"
                        + " JOIN runs r ON r.run_id = p.run_id AND r.lifecycle_stage = 'active' AND r.status <> 'RUNNING'"
                        + " JOIN tags n ON n.run_id = p.run_id AND n.key = 'seer.trial' JOIN (SELECT * FROM params ORDER BY"
                        + " key) pa ON pa.run_id = p.run_id WHERE p.key = 'mlflow.parentRunId' AND p.value = '" + run
                        + "' GROUP BY p.run_id, n.value")) {
            while (rs.next()) {
                trials.put(Integer.parseInt(rs.getString(1)), rs.getString(2));
            }
        }
        return trials;
    }
}

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrain commands on a home with no server: a policy set, shown and refused with a bad field,
 * and a run of a champion that no training run made, which fails saying why and is listed.
 */
class RetrainCliTest {
    @TempDir
    Path dir;

    @Test
    void aPolicyIsSetAndListedAndARunOfAnImportedChampionFailsSayingWhy() throws Exception {
        Path model = dir.resolve("linear.json");
        Files.writeString(model, "{\"format\": 1, \"kind\": \"seer-linear\", \"features\": [\"a\", \"b\"],"
                + " \"weights\": [2.0, -1.0], \"intercept\": 0.5, \"link\": \"identity\"}");
        try (CliHome cli = CliHome.local(dir.resolve("home"))) {
            assertThat(cli.run("init").exitCode()).isZero();
            assertThat(cli.run("models", "import", "--name", "lin", "--format", "seer-linear", "--file", model.toString(),
                    "--signature", "a:float64,b:float64->value").exitCode()).isZero();
            assertThat(cli.run("deploy", "lin", "--model", "lin", "--version", "1").exitCode()).isZero();

            CliRun none = cli.run("retrain", "lin");
            assertThat(none.exitCode()).isNotZero();
            assertThat(none.err()).contains("has no retraining policy");
            CliRun bad = cli.run("retrain", "policy", "lin", "--lookback", "2d");
            assertThat(bad.exitCode()).isNotZero();
            assertThat(bad.err()).contains("[on]");

            CliRun set = cli.run("retrain", "policy", "lin", "--on", "auc_drop,drift", "--every", "7d", "--lookback", "48h",
                    "--action", "promote", "--min-rows", "5");
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(set.out()).contains("Retraining policy of lin: on auc_drop,drift every 7d lookback 2d, promote,"
                    + " min rows 5, cooldown 1d");

            CliRun run = cli.run("retrain", "lin");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("manual  failed", "lin:1 of deployment [lin] was not trained by a run of Seer");

            CliRun listed = cli.run("--json", "retrain", "list", "lin");
            assertThat(listed.exitCode()).as(listed.err()).isZero();
            JsonNode shown = Json.parse(listed.out());
            assertThat(shown.path("policy").path("policy").path("action").asText()).isEqualTo("promote");
            assertThat(shown.path("runs")).hasSize(1);
            assertThat(shown.path("runs").get(0).path("status").asText()).isEqualTo("failed");
        }
    }
}

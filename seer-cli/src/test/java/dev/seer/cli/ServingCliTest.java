package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving commands on a home with no server: deploy an imported linear model (y = 2a − b +
 * 0.5), predict one row, score a CSV file, show a logged prediction, send feedback one by one and
 * from a file (with a bad row), and read the live metrics through the deployment.
 */
class ServingCliTest {
    @TempDir
    Path dir;

    @Test
    void deployPredictScoreAndFeedBackFromTheCommandLine() throws Exception {
        Path model = dir.resolve("linear.json");
        Files.writeString(model, "{\"format\": 1, \"kind\": \"seer-linear\", \"features\": [\"a\", \"b\"],"
                + " \"weights\": [2.0, -1.0], \"intercept\": 0.5, \"link\": \"identity\"}"); // y = 2a - b + 0.5
        try (CliHome cli = CliHome.local(dir.resolve("home"))) {
            assertThat(cli.run("init").exitCode()).isZero();
            assertThat(cli.run("models", "import", "--name", "lin", "--format", "seer-linear", "--file", model.toString(),
                    "--signature", "a:float64,b:float64->value").exitCode()).isZero();
            CliRun deployed = cli.run("deploy", "lin", "--model", "lin", "--version", "1", "--missing", "model_default");
            assertThat(deployed.exitCode()).as(deployed.err()).isZero();
            assertThat(deployed.out()).contains("Deployed lin (revision 1): champion lin:1; missing features: model_default");
            assertThat(cli.run("deployments", "list").out()).contains("lin (revision 1)");
            CliRun refused = cli.run("deploy", "lin", "--model", "lin", "--version", "1", "--challenger", "lin:1", "--split",
                    "90/10");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.err()).contains("its own challenger");
            CliRun noExperiment = cli.run("deployments", "experiment", "lin");
            assertThat(noExperiment.exitCode()).isNotZero();
            assertThat(noExperiment.err()).contains("has no challenger");

            CliRun predicted = cli.run("--json", "predict", "lin", "--feature", "a=3", "--feature", "b=1");
            assertThat(predicted.exitCode()).as(predicted.err()).isZero();
            JsonNode p = Json.parse(predicted.out()).path("predictions").get(0);
            assertThat(p.path("output").get(0).asDouble()).isEqualTo(5.5);
            String id = p.path("id").asText();
            JsonNode shown = Json.parse(cli.run("predictions", "show", id).out());
            assertThat(shown.path("features").get(0).path("status").asText()).isEqualTo("given");
            assertThat(shown.path("output").get(0).asDouble()).isEqualTo(5.5);
            CliRun lineage = cli.run("lineage", "prediction", id);
            assertThat(lineage.exitCode()).as(lineage.err()).isZero();
            assertThat(lineage.out()).contains("prediction " + id, "deployment lin, arm champion", "output [5.5]",
                    "└─ model lin:1", "no run");
            assertThat(cli.run("lineage", "prediction", "prd_01M90MK1VX4E6GCA3S8WS2TFXF").exitCode()).isNotZero();
            assertThat(cli.run("lineage", "prediction", "../../etc/passwd").exitCode()).isNotZero();

            Path rows = Files.writeString(dir.resolve("rows.csv"), "customer_id,a,b\nc1,1,1\n\"c,2\",2,\nc3,0,4\n");
            Path out = dir.resolve("scored.csv");
            CliRun scored = cli.run("score", "lin", "--input", rows.toString(), "--out", out.toString(), "--key",
                    "customer_id", "--batch", "2");
            assertThat(scored.exitCode()).as(scored.err()).isZero();
            List<String> lines = Files.readAllLines(out);
            assertThat(lines).hasSize(4);
            assertThat(lines.get(1)).startsWith("1,prd_").endsWith(",lin:1,champion,1.5");
            assertThat(lines.get(3)).endsWith(",lin:1,champion,-3.5");
            Path bad = Files.writeString(dir.resolve("bad.csv"), "customer_id,a,b\nc1,high,1\n");
            CliRun badScore = cli.run("score", "lin", "--input", bad.toString(), "--out", dir.resolve("x.csv").toString(),
                    "--key", "customer_id");
            assertThat(badScore.exitCode()).isNotZero();
            assertThat(badScore.err()).contains("line 2 column a: [high] is not a finite number");

            CliRun one = cli.run("feedback", "--prediction-id", id, "--outcome", "5");
            assertThat(one.exitCode()).as(one.err()).isZero();
            assertThat(one.out()).contains("Feedback for " + id + ": recorded");
            assertThat(cli.run("feedback", "--prediction-id", id, "--outcome", "5").out()).contains("duplicate");
            String second = lines.get(1).split(",")[1];
            Path outcomes = Files.writeString(dir.resolve("outcomes.csv"), "prediction_id,outcome\n" + second
                    + ",2\nprd_01M90MK1VX4E6GCA3S8WS2TFXF,1\n");
            CliRun fromFile = cli.run("feedback", "--file", outcomes.toString());
            assertThat(fromFile.exitCode()).isEqualTo(1);
            assertThat(fromFile.out()).contains("1 recorded, 0 duplicate, 1 refused");
            assertThat(fromFile.err()).contains("line 3: ");

            CliRun removed = cli.run("deployments", "remove", "lin");
            assertThat(removed.exitCode()).isZero();
            assertThat(cli.run("predict", "lin", "--feature", "a=1", "--feature", "b=1").exitCode()).isNotZero();
        }
    }

    @Test
    void anOnlineModelIsCreatedTaughtByFeedbackAndSnapshottedFromTheCommandLine() throws Exception {
        try (CliHome cli = CliHome.local(dir.resolve("home"))) {
            assertThat(cli.run("init").exitCode()).isZero();
            CliRun created = cli.run("models", "create-online", "ctr", "--features", "a,b", "--alpha", "0.5");
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("registered ctr:1 (untrained)");
            CliRun badRate = cli.run("models", "create-online", "other", "--features", "a", "--alpha", "-1");
            assertThat(badRate.exitCode()).isNotZero();
            assertThat(badRate.err()).contains("[alpha]");
            assertThat(cli.run("deploy", "live", "--model", "ctr", "--version", "1").exitCode()).isZero();
            JsonNode p = Json.parse(cli.run("--json", "predict", "live", "--feature", "a=2", "--feature", "b=1").out())
                    .path("predictions").get(0);
            assertThat(p.path("output").get(0).asDouble()).isEqualTo(0.5);
            assertThat(cli.run("feedback", "--prediction-id", p.path("id").asText(), "--outcome", "1").exitCode()).isZero();

            assertThat(cli.run("models", "online", "ctr").out()).contains("learnt from 1 outcomes, 1 since version 1");
            CliRun snapshot = cli.run("models", "snapshot", "ctr");
            assertThat(snapshot.exitCode()).as(snapshot.err()).isZero();
            assertThat(snapshot.out()).contains("Registered ctr:2 after 1 outcomes; deployments moved: live");
            assertThat(cli.run("models", "snapshot", "ctr").out()).contains("Nothing learnt since ctr:2");
            JsonNode after = Json.parse(cli.run("--json", "predict", "live", "--feature", "a=2", "--feature", "b=1").out())
                    .path("predictions").get(0);
            assertThat(after.path("model").asText()).isEqualTo("ctr:2");
            assertThat(after.path("output").get(0).asDouble()).isGreaterThan(0.5); // it learnt that a=2, b=1 was a 1
            assertThat(cli.run("models", "snapshot", "nothing").exitCode()).isNotZero();
        }
    }
}

package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.home.HomeLock;
import dev.seer.core.home.SeerHome;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
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

            // quoted fields, a line break inside one, an extra column with a comma: read as seer score reads its input
            String fresh = Json.parse(cli.run("--json", "predict", "lin", "--feature", "a=1", "--feature", "b=1").out())
                    .path("predictions").get(0).path("id").asText();
            Path quoted = Files.writeString(dir.resolve("quoted.csv"), "note,prediction_id,outcome,observed_at\n"
                    + "\"late, but sure\",\"" + fresh + "\",\"4\",\n"
                    + "\"two\nlines\"," + lines.get(3).split(",")[1] + ",1,\n");
            CliRun fromQuoted = cli.run("feedback", "--file", quoted.toString());
            assertThat(fromQuoted.exitCode()).as(fromQuoted.err()).isZero();
            assertThat(fromQuoted.out()).contains("2 recorded, 0 duplicate, 0 refused");
            Path badOutcome = Files.writeString(dir.resolve("bad-outcome.csv"), "prediction_id,outcome\n"
                    + "\"" + id + "\",5\n\n\"" + id + "\",\"high, low\"\n");
            CliRun refusedFile = cli.run("feedback", "--file", badOutcome.toString());
            assertThat(refusedFile.exitCode()).isNotZero();
            assertThat(refusedFile.err()).contains("line 4 column outcome: [high, low] is not a finite number");
            Path badTime = Files.writeString(dir.resolve("bad-time.csv"), "prediction_id,outcome,observed_at\n\"multi\nline\",1,"
                    + "\n" + id + ",5,yesterday\n");
            CliRun refusedTime = cli.run("feedback", "--file", badTime.toString());
            assertThat(refusedTime.exitCode()).isNotZero();
            assertThat(refusedTime.err()).contains("line 4 column observed_at: [yesterday] is not an ISO-8601 instant");

            CliRun removed = cli.run("deployments", "remove", "lin");
            assertThat(removed.exitCode()).isZero();
            assertThat(cli.run("predict", "lin", "--feature", "a=1", "--feature", "b=1").exitCode()).isNotZero();
        }
    }

    /**
     * The log listed newest first a page at a time and exported, by a CLI that owns the home and by
     * one that goes through a server (which sends the export back as a download): the same pages.
     */
    @Test
    void predictionsAreListedAndExportedLocallyAndThroughAServer() throws Exception {
        Path model = Files.writeString(dir.resolve("linear.json"), "{\"format\": 1, \"kind\": \"seer-linear\","
                + " \"features\": [\"a\", \"b\"], \"weights\": [2.0, -1.0], \"intercept\": 0.5, \"link\": \"identity\"}");
        Path home = dir.resolve("home");
        CliHome cli = CliHome.local(home);
        ok(cli.run("init"));
        ok(cli.run("models", "import", "--name", "lin", "--format", "seer-linear", "--file", model.toString(),
                "--signature", "a:float64,b:float64->value"));
        ok(cli.run("deploy", "lin", "--model", "lin", "--version", "1"));
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CliRun p = ok(cli.run("--json", "predict", "lin", "--entity", "customer_id=c" + i, "--feature", "a=" + i,
                    "--feature", "b=0"));
            ids.add(Json.parse(p.out()).path("predictions").get(0).path("id").asText());
        }
        CliRun page = ok(cli.run("predictions", "list", "--deployment", "lin", "--limit", "2"));
        assertThat(page.out().lines().toList()).hasSize(3);
        assertThat(page.out()).startsWith(ids.get(2)).contains("lin:1", "{customer_id=c1}", "More: --after " + ids.get(1));
        assertThat(ok(cli.run("predictions", "list", "--after", ids.get(1))).out()).startsWith(ids.get(0))
                .doesNotContain("More:");
        CliRun badLimit = cli.run("predictions", "list", "--limit", "5000");
        assertThat(badLimit.exitCode()).isNotZero();
        assertThat(badLimit.err()).contains("[limit] must be a whole number from 1 to 1000");
        CliRun mismatch = cli.run("predictions", "export", "--out", dir.resolve("p.jsonl").toString(), "--format", "parquet");
        assertThat(mismatch.exitCode()).isNotZero();
        assertThat(mismatch.err()).contains("does not match");
        String localJson = ok(cli.run("--json", "predictions", "list", "--entity", "customer_id=c1")).out();
        Path localExport = dir.resolve("local/predictions.jsonl");
        assertThat(ok(cli.run("predictions", "export", "--out", localExport.toString())).out())
                .contains("Exported 3 predictions");
        assertThat(Files.readAllLines(localExport)).hasSize(3);

        SeerHome seerHome = SeerHome.open(home);
        try (HomeLock lock = seerHome.lock("server", Clock.systemUTC());
             SeerServices services = SeerServices.open(seerHome, seerHome.loadConfig(Map.of(), ConfigSections.ALL)
                     .with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0)), Clock.systemUTC());
             SeerServer server = SeerServer.start(services)) {
            lock.publishUrl(server.url());
            assertThat(ok(cli.run("--json", "predictions", "list", "--entity", "customer_id=c1")).out()).isEqualTo(localJson);
            Path remoteExport = dir.resolve("client/predictions.parquet");
            CliRun exported = ok(cli.run("--json", "predictions", "export", "--out", remoteExport.toString(),
                    "--deployment", "lin", "--from", "2000-01-01T00:00:00Z"));
            assertThat(Json.parse(exported.out()).path("count").asLong()).isEqualTo(3);
            assertThat(Json.parse(exported.out()).path("format").asText()).isEqualTo("parquet");
            assertThat(new String(Files.readAllBytes(remoteExport), 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("PAR1");
            Path remoteLines = dir.resolve("client/c2.jsonl");
            ok(cli.run("predictions", "export", "--out", remoteLines.toString(), "--entity", "customer_id=c2"));
            assertThat(Files.readAllLines(remoteLines)).hasSize(1).allMatch(l -> l.contains(ids.get(2)));
        }
    }

    private static CliRun ok(CliRun run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
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
            CliRun status = cli.run("feedback", "--status");
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("No feedback.topic is set");
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

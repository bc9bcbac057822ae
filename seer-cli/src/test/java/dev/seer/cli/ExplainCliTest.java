package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code seer explain} and {@code seer what-if} on an imported logistic model, whose contributions are known exactly. */
class ExplainCliTest {
    @TempDir
    Path dir;

    CliHome home;

    @BeforeEach
    void home() throws Exception {
        home = CliHome.local(dir.resolve("home"));
        assertThat(home.run("init").exitCode()).isZero();
        // Seer's linear model file, written as a user would: margin -1 + income - 2 debt, missing values filled with 3 and 1
        Path file = Files.writeString(dir.resolve("credit.json"), "{\"format\": 2, \"kind\": \"seer-linear\", \"features\":"
                + " [\"income\", \"debt\"], \"weights\": [1.0, -2.0], \"intercept\": -1.0, \"link\": \"logit\","
                + " \"fill\": [3.0, 1.0]}");
        CliRun imported = home.run("models", "import", "--name", "credit", "--format", "seer-linear", "--file", file.toString(),
                "--signature", "income:float64,debt:float64->probability");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
    }

    @AfterEach
    void drop() throws Exception {
        home.close();
    }

    @Test
    void explainPrintsEachContributionLargestFirstAndWhatIfTheMove() throws Exception {
        CliRun explained = home.run("explain", "credit:1", "--row", "income=4,debt=3", "--row", "income=NA,debt=1");
        assertThat(explained.exitCode()).as(explained.err()).isZero();
        // income +1 x (4 - 3) = +1; debt -2 x (3 - 1) = -4; base -1 + 3 - 2 = 0; value -3
        assertThat(explained.out()).contains("credit:1, linear-shap, on the margin",
                "row 0, output 1: base 0.000000 + contributions = -3.000000", "row 1, output 1: base 0.000000");
        String out = explained.out();
        assertThat(out.indexOf("debt                     -4.000000")).isLessThan(out.indexOf("income                   +1.000000"));

        Path rows = Files.writeString(dir.resolve("rows.json"), "[{\"income\": 5, \"debt\": null}]");
        var json = Json.parse(home.run("--json", "explain", "credit:1", "--rows", rows.toString()).out());
        assertThat(json.path("rows").get(0).path("outputs").get(0).path("contributions").path("income").asDouble())
                .isEqualTo(2.0);

        CliRun whatIf = home.run("what-if", "credit:1", "--row", "income=4,debt=3", "--set", "debt=1");
        assertThat(whatIf.exitCode()).as(whatIf.err()).isZero();
        assertThat(whatIf.out()).contains("prediction 0: 0.047426 -> 0.731059", "debt                     +4.000000");

        CliRun bad = home.run("explain", "credit:1", "--row", "income=4");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("lacks feature [debt]");
        CliRun counterfactual = home.run("counterfactual", "credit:1", "--row", "income=4,debt=3", "--immutable", "income",
                "--range", "debt=0:5", "--step", "debt=0.5");
        assertThat(counterfactual.exitCode()).isNotZero(); // an imported model has no training sample to measure by
        assertThat(counterfactual.err()).contains("no recorded reference sample");
        StringBuilder sample = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            sample.append(i == 0 ? "" : ",").append("{\"income\": ").append(i % 8).append(", \"debt\": ").append(i % 5 * 0.7)
                    .append("}");
        }
        Path reference = Files.writeString(dir.resolve("reference.json"), sample.append("]").toString());
        var found = Json.parse(home.run("--json", "counterfactual", "credit:1", "--row", "income=4,debt=3", "--immutable",
                "income", "--range", "debt=0:5", "--step", "debt=0.5", "--reference", reference.toString()).out());
        assertThat(found.path("status").asText()).isEqualTo("found");
        for (var c : found.path("counterfactuals")) { // margin 3 - 2 debt reaches 0 at debt 1.5
            assertThat(c.path("row").get(0).asDouble()).isEqualTo(4.0);
            assertThat(c.path("row").get(1).asDouble()).isBetween(0.0, 1.5);
            assertThat(c.path("row").get(1).asDouble() % 0.5).isZero();
            assertThat(c.path("prediction").get(0).asDouble()).isGreaterThanOrEqualTo(0.5);
        }
        CliRun both = home.run("counterfactual", "credit:1", "--row", "income=4,debt=3", "--increase-only", "debt",
                "--decrease-only", "debt", "--reference", reference.toString());
        assertThat(both.exitCode()).isNotZero();
        assertThat(both.err()).contains("Feature [debt] is in both --increase-only and --decrease-only");
        CliRun badRange = home.run("counterfactual", "credit:1", "--row", "income=4,debt=3", "--range", "debt=0");
        assertThat(badRange.err()).contains("[debt=0] in --range is not F=LO:HI");
        CliRun text = home.run("explain", "credit:1", "--row", "income=high,debt=1");
        assertThat(text.exitCode()).isNotZero();
        assertThat(text.err()).contains("[high] for feature [income] in --row is not a number");
    }
}

package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.models.LinearModel;
import dev.seer.monitoring.watch.OutputShape;
import dev.seer.monitoring.watch.Reference;
import dev.seer.monitoring.watch.WatchedColumns;
import dev.seer.monitoring.watch.WindowStore;
import dev.seer.serving.deploy.ModelRef;
import dev.seer.serving.scoring.Scorer;
import dev.seer.training.Task;
import dev.seer.training.data.Frame;
import dev.seer.training.data.FrameReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deployed champion's reference, built from what the registry recorded: a logistic model trained
 * through the API on a split dataset gives the signature's columns, a profile of every train row,
 * a reservoir of them, and the test split scored as the serving scorer scores it; an imported
 * model file (no dataset) and an unknown version give the reason instead.
 */
class MonitorReferencesTest {
    @TempDir
    static Path dir;

    static RunningServer running;
    static MonitorReferences references;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        StringBuilder csv = new StringBuilder("id,x1,x2,noise,y\n");
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 1000; i++) {
            double x1 = random.nextDouble(-2, 2);
            double x2 = random.nextDouble(-2, 2);
            double p = 1 / (1 + Math.exp(-(2 * x1 - x2)));
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',').append(random.nextDouble()).append(',')
                    .append(random.nextDouble() < p ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("refs.csv");
        Files.writeString(file, csv);
        running.services.datasets().importFile("refs", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
        HttpResponse<String> trained = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: refs\\n"
                + "dataset: refs:1\\ntask: binary\\nevaluation: {folds: 2, bootstrap: 100}\\n"
                + "candidates: [{algorithm: logistic}]\\n\"}");
        assertThat(trained.statusCode()).as(trained.body()).isEqualTo(200);
        HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/refs", Role.OPERATOR,
                "{\"model\": \"refs\", \"version\": 1}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        LinearModel model = new LinearModel(List.of("a", "b"), new double[] {1, 1}, 0, LinearModel.Link.IDENTITY);
        HttpResponse<String> imported = running.upload("POST", "/api/v1/models/lin/import", Role.SCIENTIST,
                new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                        .file("file", "linear.json", Json.write(LinearModel.CODEC.encode(model))
                                .getBytes(StandardCharsets.UTF_8)));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        // a multiclass dataset that records no label: the spec names it, and the reference reads the run's
        StringBuilder tri = new StringBuilder("id,x1,x2,cls\n");
        for (int i = 0; i < 600; i++) {
            double x1 = random.nextDouble(-3, 3);
            double x2 = random.nextDouble();
            tri.append(i).append(',').append(x1).append(',').append(x2).append(',')
                    .append(x1 < -1 ? "low" : x1 < 1 ? "mid" : "high").append('\n');
        }
        Path triFile = dir.resolve("tri.csv");
        Files.writeString(triFile, tri);
        running.services.datasets().importFile("tri", new DatasetStore.ImportRequest(triFile, List.of("id"),
                Optional.empty(), Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test",
                m -> { });
        HttpResponse<String> triTrained = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: tri\\n"
                + "dataset: tri:1\\nlabel: cls\\ntask: multiclass\\nevaluation: {folds: 2, bootstrap: 100}\\n"
                + "candidates: [{algorithm: xgboost, params: {rounds: 10, max_depth: 3}}]\\n\"}");
        assertThat(triTrained.statusCode()).as(triTrained.body()).isEqualTo(200);
        references = new MonitorReferences(running.services.models(), running.services.tracking(),
                new ServingModels(running.services.models(), running.services.artifacts()),
                new TrainingDatasets(running.services.datasets()), new WindowStore(running.services.database()), 100);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void theChampionsReferenceIsItsTrainSplitProfiledWithItsOutputsAndItsTestSplitScored() {
        ModelRef champion = running.services.serving().deployments().get("refs").champion();
        MonitorReferences.Lookup lookup = references.lookup(champion);
        assertThat(lookup.missing()).isEmpty();
        Reference reference = lookup.reference().orElseThrow();
        assertThat(reference.id()).isEqualTo("refs:1/train@refs:1/100");
        ServingModels serving = new ServingModels(running.services.models(), running.services.artifacts());
        Scorer scorer = serving.load(champion).scorer();
        assertThat(reference.columns().features()).isEqualTo(scorer.signature().names()).containsExactly("x1", "x2", "noise");
        assertThat(reference.columns().output()).isEqualTo(OutputShape.SCORE);

        var data = FrameReader.read(new TrainingDatasets(running.services.datasets()).open("refs:1"), Optional.empty(),
                Task.BINARY, List.of("x1", "x2", "noise"));
        int trainRows = data.train().rows();
        assertThat(trainRows).isBetween(500, 700);
        assertThat(reference.profile().numeric("x1").count()).isEqualTo(trainRows);
        assertThat(reference.profile().numeric("prediction").count()).isEqualTo(trainRows);
        assertThat(reference.profile().numeric("prediction").max()).isLessThanOrEqualTo(1.0);
        assertThat(reference.reservoir().seen()).isEqualTo(trainRows);
        assertThat(reference.reservoir().size()).isEqualTo(100);
        // a kept row is a train row followed by the champion's score on it
        double[] kept = reference.reservoir().row(0);
        double[] features = Arrays.copyOf(kept, 3);
        assertThat(kept[3]).isEqualTo(scorer.score(features)[0]);

        Frame test = data.test();
        var labelled = reference.labelled().orElseThrow();
        assertThat(labelled.size()).isEqualTo(test.rows()).isPositive();
        for (int i = 0; i < test.rows(); i++) {
            assertThat(labelled.scores()[i]).as("row " + i).isEqualTo(scorer.score(test.x()[i])[0]);
        }
        assertThat(labelled.outcomes()).containsExactly(test.y());
        assertThat(references.reference(champion)).as("cached").isSameAs(reference);

        // a restarted server reads it back from the store: its datasets are not read again
        MonitorReferences restarted = new MonitorReferences(running.services.models(), running.services.tracking(),
                serving, name -> {
                    throw new AssertionError("dataset " + name + " read again");
                }, new WindowStore(running.services.database()), 100);
        Reference again = restarted.reference(champion);
        assertThat(again.id()).isEqualTo(reference.id());
        assertThat(again.reservoir().toBytes()).isEqualTo(reference.reservoir().toBytes());
        assertThat(again.labelled().orElseThrow().scores()).isEqualTo(labelled.scores());
    }

    @Test
    void aMulticlassChampionsOutputIsItsMostProbableClassAndItHasNoLabelledRows() {
        ModelRef champion = new ModelRef("tri", 1);
        Reference reference = references.lookup(champion).reference().orElseThrow();
        assertThat(reference.id()).isEqualTo("tri:1/train@tri:1/100");
        assertThat(reference.columns().features()).containsExactly("x1", "x2");
        assertThat(reference.columns().output()).isEqualTo(OutputShape.CLASS);
        assertThat(reference.labelled()).isEmpty();
        Scorer scorer = new ServingModels(running.services.models(), running.services.artifacts()).load(champion).scorer();
        long trainRows = reference.reservoir().seen();
        assertThat(reference.profile().categorical("prediction").count()).isEqualTo(trainRows);
        assertThat(reference.profile().numeric("x1").count()).isEqualTo(trainRows);
        for (int i = 0; i < reference.reservoir().size(); i++) {
            double[] row = reference.reservoir().row(i);
            double[] probabilities = scorer.score(Arrays.copyOf(row, 2));
            assertThat(probabilities[(int) row[2]]).as("row " + i).isEqualTo(Arrays.stream(probabilities).max().orElseThrow());
        }
        // three classes, each predicted for some rows
        assertThat(reference.profile().categorical("prediction").distinct()).isBetween(2.5, 3.5);
    }

    @Test
    void aVersionWithoutADatasetOrUnknownGivesTheReasonInsteadOfAReference() {
        MonitorReferences.Lookup imported = references.lookup(new ModelRef("lin", 1));
        assertThat(imported.reference()).isEmpty();
        assertThat(imported.missing()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("[lin:1]", "records no dataset", "[dataset]"));
        MonitorReferences.Lookup unknown = references.lookup(new ModelRef("refs", 9));
        assertThat(unknown.reference()).isEmpty();
        assertThat(unknown.missing()).hasValueSatisfying(reason -> assertThat(reason).contains("9"));
    }

    @Test
    void aMulticlassOutputIsTheMostProbableClassIndex() {
        double[] out = {0.2, 0.5, 0.3, 0.7, 0.1, 0.2};
        assertThat(MonitorFeed.output(OutputShape.CLASS, out, 0, 3)).isEqualTo(1.0);
        assertThat(MonitorFeed.output(OutputShape.CLASS, out, 3, 3)).isEqualTo(0.0);
        assertThat(MonitorFeed.output(OutputShape.SCORE, out, 3, 1)).isEqualTo(0.7);
        assertThat(MonitorFeed.output(OutputShape.SCORE, out, 3, 2)).as("P(class 1) of two").isEqualTo(0.1);
        assertThat(WatchedColumns.classLabel(2.0)).isEqualTo("2");
    }
}

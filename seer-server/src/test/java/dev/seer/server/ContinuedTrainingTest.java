package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.registry.versions.ModelVersion;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continued training through the API: a champion trained on the first version of a dataset is
 * boosted further on the second, where the relation has changed (x1 decided the label, now x2
 * does). The result is the model's next version, judged against its parent by the gate, its
 * lineage naming the parent and the new dataset version; no alias moves.
 */
class ContinuedTrainingTest {
    @TempDir
    static Path dir;

    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        importVersion(0, 31);
        importVersion(1, 32);
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void aChampionContinuedOnNewerDataIsTheModelsNextVersionWithItsParentInItsLineage() throws Exception {
        JsonNode first = train("name: drift\\ndataset: drift:1\\ntask: binary\\nevaluation: {folds: 3, bootstrap: 200}\\n"
                + "candidates: [{algorithm: xgboost, params: {rounds: 20, max_depth: 3}}]\\n");
        assertThat(first.path("version").path("version").asInt()).isEqualTo(1);
        assertThat(running.send("POST", "/api/v1/models/drift/versions/1/promote", Role.SCIENTIST, "{}").statusCode())
                .isEqualTo(200);

        JsonNode continued = train("name: drift-refresh\\ndataset: drift:2\\ntask: binary\\ncontinue_from: drift:1\\n"
                + "evaluation: {folds: 3, bootstrap: 200}\\ncandidates: [{algorithm: xgboost, params: {rounds: 15}}]\\n");
        assertThat(continued.path("version").path("name").asText()).isEqualTo("drift");
        assertThat(continued.path("version").path("version").asInt()).isEqualTo(2);
        assertThat(continued.path("report").path("reference").asText()).isEqualTo("drift:1 (continued from)");
        assertThat(continued.path("gate").path("passed").asBoolean()).as(continued.path("gate").toString()).isTrue();
        assertThat(continued.path("gate").path("detail").asText()).contains("vs drift:1 (continued from) on drift:2");
        // promotion stays the gate's: the champion is still the parent
        assertThat(running.services.models().byAlias("drift", "champion").version()).isEqualTo(1);
        ModelVersion version = running.services.models().version("drift", 2);
        assertThat(version.details().dataset()).contains("drift:2");
        assertThat(version.description()).contains("continued from drift:1");

        HttpResponse<String> lineage = running.send("GET", "/api/v1/models/drift/versions/2/lineage", Role.AUDITOR, null);
        assertThat(lineage.statusCode()).as(lineage.body()).isEqualTo(200);
        JsonNode answer = Json.parse(lineage.body());
        assertThat(answer.path("run").path("provenance").path("continued_from").asText()).isEqualTo("drift:1");
        assertThat(answer.path("run").path("provenance").path("dataset").asText()).isEqualTo("drift:2");
        assertThat(answer.path("dataset").path("dataset").asText()).isEqualTo("drift:2");
        HttpResponse<String> card = running.send("GET", "/api/v1/models/drift/versions/2/card", Role.AUDITOR, null);
        assertThat(card.statusCode()).as(card.body()).isEqualTo(200);
        assertThat(Json.parse(card.body()).path("markdown").asText()).contains("continued from model drift:1");

        // a version that is not XGBoost's is refused naming the field, and registers nothing
        train("name: lin\\ndataset: drift:1\\ntask: binary\\nevaluation: {folds: 2, bootstrap: 100}\\n"
                + "candidates: [{algorithm: logistic}]\\n");
        HttpResponse<String> refused = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: r\\n"
                + "dataset: drift:2\\ntask: binary\\ncontinue_from: lin:1\\ncandidates: [{algorithm: xgboost}]\\n\"}");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Json.parse(refused.body()).path("error").toString()).contains("continue_from", "seer-linear");
        HttpResponse<String> wrongModel = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"name: r\\n"
                + "dataset: drift:2\\ntask: binary\\ncontinue_from: drift:1\\nmodel: other\\n"
                + "candidates: [{algorithm: xgboost}]\\n\"}");
        assertThat(wrongModel.statusCode()).isEqualTo(400);
        assertThat(wrongModel.body()).contains("[model]");
        assertThat(running.services.models().versions("drift")).hasSize(2);
    }

    private static JsonNode train(String spec) throws Exception {
        HttpResponse<String> response = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"" + spec + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    /** A version of the dataset [drift]: the label is 1 with probability sigmoid(3 x_{decider + 1}). */
    private static void importVersion(int decider, long seed) throws Exception {
        StringBuilder csv = new StringBuilder("id,x1,x2,x3,y\n");
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            double[] x = {gaussian(random), gaussian(random), gaussian(random)};
            double p = 1 / (1 + Math.exp(-3 * x[decider]));
            csv.append(i).append(',').append(x[0]).append(',').append(x[1]).append(',').append(x[2]).append(',')
                    .append(random.nextDouble() < p ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("drift-" + seed + ".csv");
        Files.writeString(file, csv);
        running.services.datasets().importFile("drift", new DatasetStore.ImportRequest(file, List.of("id"),
                Optional.of("y"), Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test",
                m -> { });
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.metadata.AuditEntry;
import dev.seer.metadata.AuditQuery;
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
 * The promotion gate through the API: a model better than the champion passes and is promoted; a
 * worse one and one no different are refused; an admin may force a promotion with a reason; and
 * every attempt is in the audit log. The label depends on x1 and x2; a model reading x1 alone is
 * the first champion, one reading only noise is worse, the same model again is indistinguishable,
 * and one reading both is better.
 */
class PromotionGateTest {
    @TempDir
    static Path dir;

    static RunningServer running;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        StringBuilder csv = new StringBuilder("id,x1,x2,noise,y\n");
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            double x1 = gaussian(random);
            double x2 = gaussian(random);
            double p = 1 / (1 + Math.exp(-(1.5 * x1 + 1.5 * x2)));
            csv.append(i).append(',').append(x1).append(',').append(x2).append(',').append(gaussian(random)).append(',')
                    .append(random.nextDouble() < p ? 1 : 0).append('\n');
        }
        Path file = dir.resolve("gate.csv");
        Files.writeString(file, csv);
        running.services.datasets().importFile("gate", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void theGatePassesABetterModelRefusesAWorseOrIndistinguishableOneAndTakesAnAdminsReason() throws Exception {
        JsonNode first = train("x1");
        assertThat(first.path("report").path("reference").isMissingNode()).isTrue(); // no champion yet: vs the baseline
        assertThat(first.path("gate").path("passed").asBoolean()).isTrue();
        assertThat(promote(1, Role.SCIENTIST, "").statusCode()).isEqualTo(200);

        JsonNode worse = train("noise");
        assertThat(worse.path("report").path("reference").asText()).isEqualTo("gate:1 (champion)");
        assertThat(worse.path("gate").path("passed").asBoolean()).isFalse();
        HttpResponse<String> refused = promote(2, Role.SCIENTIST, "");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("protected by check [comparison]");

        JsonNode same = train("x1");
        assertThat(same.path("gate").path("passed").asBoolean()).isFalse();
        assertThat(same.path("gate").path("detail").asText()).contains("not shown better", "on gate:1");
        assertThat(promote(3, Role.OPERATOR, "").statusCode()).isEqualTo(409);

        assertThat(promote(2, Role.SCIENTIST, "forced").statusCode()).isEqualTo(403); // force is an admin's
        assertThat(running.send("POST", "/api/v1/models/gate/versions/2/promote", Role.ADMIN, "{\"force\": true}")
                .statusCode()).isEqualTo(400); // and needs a reason
        assertThat(promote(2, Role.ADMIN, "incident 42: roll back to the noise model for a drill").statusCode())
                .isEqualTo(200);
        assertThat(running.services.models().byAlias("gate", "champion").version()).isEqualTo(2);

        assertThat(promote(1, Role.ADMIN, "drill over").statusCode()).isEqualTo(200);
        JsonNode better = train("x1,x2");
        assertThat(better.path("report").path("reference").asText()).isEqualTo("gate:1 (champion)");
        assertThat(better.path("gate").path("passed").asBoolean()).as(better.path("gate").toString()).isTrue();
        assertThat(promote(4, Role.SCIENTIST, "").statusCode()).isEqualTo(200);
        assertThat(running.services.models().byAlias("gate", "champion").version()).isEqualTo(4);

        List<AuditEntry> moves = running.services.audit().query(AuditQuery.all().withAction("model.alias_moved"))
                .entries();
        assertThat(moves).extracting(e -> Json.parse(e.payload()).path("version").asInt()).containsExactly(1, 2, 1, 4);
        assertThat(Json.parse(moves.get(1).payload()).path("override").asText()).contains("incident 42");
        assertThat(Json.parse(moves.get(3).payload()).path("grounds").asText()).isEqualTo("check comparison passed");
        List<AuditEntry> refusals = running.services.audit().query(AuditQuery.all().withAction("model.promotion_refused"))
                .entries();
        assertThat(refusals).extracting(e -> Json.parse(e.payload()).path("version").asInt()).containsExactly(2, 3);
        assertThat(Json.parse(refusals.get(0).payload()).path("grounds").asText()).startsWith("comparison failed: ");
        assertThat(running.services.audit().query(AuditQuery.all().withAction("model.check_recorded")).entries())
                .hasSize(4);
    }

    private static JsonNode train(String features) throws Exception {
        String spec = "name: gate\\ndataset: gate\\ntask: binary\\nfeatures: [" + features + "]\\n"
                + "evaluation: {folds: 3, bootstrap: 300}\\ncandidates: [{algorithm: logistic}]\\n";
        HttpResponse<String> response = running.send("POST", "/api/v1/train", Role.SCIENTIST, "{\"spec\": \"" + spec + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    private static HttpResponse<String> promote(int version, Role role, String forceReason) throws Exception {
        String body = forceReason.isEmpty() ? "{}" : "{\"force\": true, \"reason\": \"" + forceReason + "\"}";
        return running.send("POST", "/api/v1/models/gate/versions/" + version + "/promote", role, body);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

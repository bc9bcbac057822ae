package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.models.LinearModel;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listing and exporting the prediction log over HTTP: five customers scored one request each by a
 * deployment with a shadow (so ten logged predictions), then read back newest first a page at a
 * time, filtered, and exported; every bad parameter is a 400 naming it.
 */
class PredictionQueryRouteTest {
    @TempDir
    static Path dir;

    static RunningServer running;
    static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        for (double[] weights : List.of(new double[] {1, 1}, new double[] {100, 0})) {
            LinearModel model = new LinearModel(List.of("a", "b"), weights, 0, LinearModel.Link.IDENTITY);
            HttpResponse<String> imported = running.upload("POST", "/api/v1/models/lin/import", Role.SCIENTIST,
                    new MultipartBody("{\"format\": \"seer-linear\", \"signature\": \"a:float64,b:float64->value\"}")
                            .file("file", "linear.json", Json.write(LinearModel.CODEC.encode(model))
                                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(imported.statusCode()).as(imported.body()).isEqualTo(201);
        }
        HttpResponse<String> deployed = running.send("POST", "/api/v1/deployments/logq", Role.OPERATOR,
                "{\"model\": \"lin\", \"version\": 1, \"shadow\": \"lin:2\"}");
        assertThat(deployed.statusCode()).as(deployed.body()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> predicted = running.send("POST", "/api/v1/predict/logq", Role.OPERATOR,
                    "{\"entity\": {\"customer_id\": \"q" + i + "\"}, \"features\": {\"a\": " + i + ", \"b\": 1}}");
            assertThat(predicted.statusCode()).as(predicted.body()).isEqualTo(200);
            IDS.add(Json.parse(predicted.body()).path("predictions").get(0).path("id").asText());
        }
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    static JsonNode list(String query, Role role) throws Exception {
        HttpResponse<String> response = running.send("GET", "/api/v1/predictions" + query, role, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("predictions").forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    @Test
    void pagesComeNewestFirstAndEndWithoutANext() throws Exception {
        JsonNode first = list("?deployment=logq&limit=2", Role.AUDITOR);
        assertThat(ids(first)).containsExactly(IDS.get(4), IDS.get(3));
        assertThat(first.path("next").asText()).isEqualTo(IDS.get(3));
        JsonNode second = list("?deployment=logq&limit=2&after=" + IDS.get(3), Role.AUDITOR);
        assertThat(ids(second)).containsExactly(IDS.get(2), IDS.get(1));
        JsonNode last = list("?deployment=logq&limit=2&after=" + IDS.get(1), Role.SCIENTIST);
        assertThat(ids(last)).containsExactly(IDS.get(0));
        assertThat(last.has("next")).isFalse();
        JsonNode shown = first.path("predictions").get(0);
        assertThat(shown.path("entity").path("customer_id").asText()).isEqualTo("q4");
        assertThat(shown.path("output").get(0).asDouble()).isEqualTo(5);
        assertThat(shown.path("shadow").asBoolean()).isFalse();
    }

    @Test
    void filtersSelectByEntityModelShadowAndTime() throws Exception {
        assertThat(ids(list("?entity=customer_id=q2", Role.OPERATOR))).containsExactly(IDS.get(2));
        assertThat(ids(list("?entity=customer_id=nobody", Role.OPERATOR))).isEmpty();
        JsonNode shadows = list("?deployment=logq&shadows=only", Role.OPERATOR);
        assertThat(shadows.path("predictions")).hasSize(5);
        shadows.path("predictions").forEach(p -> {
            assertThat(p.path("arm").asText()).isEqualTo("shadow");
            assertThat(p.path("model_version").asInt()).isEqualTo(2);
        });
        assertThat(list("?deployment=logq&shadows=include", Role.OPERATOR).path("predictions")).hasSize(10);
        assertThat(list("?model=lin:2&shadows=include", Role.OPERATOR).path("predictions")).hasSize(5);
        assertThat(list("?model=lin:2", Role.OPERATOR).path("predictions")).isEmpty(); // shadows left out by default
        assertThat(list("?model=lin", Role.OPERATOR).path("predictions")).hasSize(5);
        assertThat(list("?from=2999-01-01T00:00:00Z", Role.OPERATOR).path("predictions")).isEmpty();
        assertThat(list("?from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z&deployment=logq", Role.OPERATOR)
                .path("predictions")).hasSize(5);
        assertThat(list("?deployment=other", Role.OPERATOR).path("predictions")).isEmpty();
    }

    @Test
    void everyBadParameterIsRefusedNamingIt() throws Exception {
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("limit=0", "limit");
        bad.put("limit=1001", "limit");
        bad.put("limit=-3", "limit");
        bad.put("limit=ten", "limit");
        bad.put("limit=99999999999999999999", "limit");
        bad.put("from=yesterday", "from");
        bad.put("to=2026-13-01T00:00:00Z", "to");
        bad.put("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to");
        bad.put("deployment=Bad", "deployment");
        bad.put("deployment=..%2F..%2Fetc", "deployment");
        bad.put("entity=customer_id", "entity");
        bad.put("entity=..%2Fx=1", "entity");
        bad.put("entity=customer_id=%00", "entity");
        bad.put("entity=a=1,a=2", "entity");
        bad.put("model=lin:zero", "model");
        bad.put("model=lin:0", "model");
        bad.put("model=..%2Flin", "model");
        bad.put("shadows=maybe", "shadows");
        bad.put("after=prd_nope", "after");
        bad.put("after=prd_01M90MK1VX4E6GCA3S8WS2TFXF", "after");
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> query : bad.entrySet()) {
            HttpResponse<String> response = running.send("GET", "/api/v1/predictions?" + query.getKey(), Role.ADMIN, null);
            JsonNode error = Json.parse(response.body()).path("error");
            if (response.statusCode() != 400 || !error.path("details").path("field").asText().equals(query.getValue())
                    || !error.path("message").asText().contains("[" + query.getValue() + "]")) {
                wrong.add(query.getKey() + " -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("bad parameters not refused naming them").isEmpty();
    }

    @Test
    void theLogIsExportedAsJsonLinesOrParquetToTheBodyOrAServerFile() throws Exception {
        HttpResponse<String> auditor = running.send("POST", "/api/v1/predictions/export", Role.AUDITOR, "{}");
        assertThat(auditor.statusCode()).as("an export may write a file: not an auditor's").isEqualTo(403);
        HttpResponse<String> lines = running.send("POST", "/api/v1/predictions/export", Role.SCIENTIST,
                "{\"deployment\": \"logq\", \"format\": \"jsonl\"}");
        assertThat(lines.statusCode()).as(lines.body()).isEqualTo(200);
        assertThat(lines.headers().firstValue("Content-Type").orElse("")).startsWith("application/x-ndjson");
        assertThat(Json.parse(lines.headers().firstValue(RequestFiles.RESULT_HEADER).orElseThrow()).path("count").asLong())
                .isEqualTo(5);
        List<String> exported = lines.body().lines().map(l -> Json.parse(l).path("id").asText()).toList();
        assertThat(exported).containsExactlyElementsOf(IDS); // log order
        HttpResponse<String> shadows = running.send("POST", "/api/v1/predictions/export", Role.SCIENTIST,
                "{\"entity\": {\"customer_id\": \"q1\"}, \"shadows\": \"include\", \"format\": \"jsonl\"}");
        assertThat(shadows.body().lines()).hasSize(2);

        HttpResponse<String> parquet = running.send("POST", "/api/v1/predictions/export", Role.ADMIN, "{}");
        assertThat(parquet.statusCode()).isEqualTo(200);
        assertThat(parquet.body()).startsWith("PAR1");
        assertThat(parquet.headers().firstValue("Content-Disposition").orElse("")).contains("predictions.parquet");

        HttpResponse<String> named = running.send("POST", "/api/v1/predictions/export", Role.SCIENTIST,
                "{\"out\": \"exports/logq.jsonl\", \"format\": \"jsonl\", \"model\": \"lin:1\"}");
        assertThat(named.statusCode()).as(named.body()).isEqualTo(200);
        Path written = dir.resolve("home/files/exports/logq.jsonl");
        assertThat(Json.parse(named.body()).path("out").asText()).isEqualTo(written.toRealPath().toString());
        assertThat(Files.readAllLines(written)).hasSize(5);
    }

    @Test
    void aBadExportIsRefusedAndWritesNothingOutsideTheRoots() throws Exception {
        Path outside = dir.resolve("outside.jsonl");
        for (String body : List.of("{\"format\": \"csv\"}", "{\"format\": \"../../x\"}", "{\"format\": 7}",
                "{\"limit\": 1, \"deployment\": \"Bad\"}", "{\"entity\": [1]}", "{\"out\": \"" + outside + "\"}",
                "{\"out\": \"../../outside.jsonl\", \"format\": \"jsonl\"}", "{\"out\": \"exports%2F..%2F..%2Fx.jsonl\"}")) {
            HttpResponse<String> response = running.send("POST", "/api/v1/predictions/export", Role.ADMIN, body);
            assertThat(response.statusCode()).as(body + " -> " + response.body()).isBetween(400, 403);
        }
        assertThat(outside).doesNotExist();
        assertThat(dir.resolve("home/x.jsonl")).doesNotExist();
    }
}

package dev.seer.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training routes (train, automl, resume, a run's evaluation, promote, a version's card)
 * given what an attacker would send: the usual encodings of a path attack in every name, id and
 * dataset reference, YAML built to exhaust the parser, text aimed at SQL in a label, bodies that
 * are malformed, of the wrong shape or too large. Each is refused (400 to 404, or 413), no answer
 * carries the content of the file aimed at, and nothing is trained, registered or promoted.
 */
class TrainingRouteAttackTest {
    private static final String SECRET = "TRAINING-SECRET-91c2";

    @TempDir
    static Path dir;

    static RunningServer running;
    static Path secret;
    static String runId;

    @BeforeAll
    static void start() throws Exception {
        running = new RunningServer(dir);
        secret = Files.writeString(dir.resolve("secret.csv"), "id,x,y\n" + SECRET + ",1,1\n");
        StringBuilder csv = new StringBuilder("id,x,y\n");
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            double x = random.nextDouble() * 4 - 2;
            csv.append(i).append(',').append(x).append(',').append(random.nextDouble() < 1 / (1 + Math.exp(-2 * x)) ? 1 : 0)
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("small.csv"), csv);
        running.services.datasets().importFile("small", new DatasetStore.ImportRequest(file, List.of("id"), Optional.of("y"),
                Optional.of(new SplitSpec(SplitSpec.Method.KEY, List.of("id"), 0.6, 0.2, 0.2))), "test", m -> { });
        HttpResponse<String> trained = running.send("POST", "/api/v1/train", Role.SCIENTIST, train(spec("small", "small", "y")));
        assertThat(trained.statusCode()).as(trained.body()).isEqualTo(200);
        runId = Json.parse(trained.body()).path("run_id").asText();
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    @Test
    void everyNameIdAndDatasetReferenceRefusesPathAttacks() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String attack : PathAttacks.encoded(secret)) {
            String plain = java.net.URLDecoder.decode(attack.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
            check(wrong, "evaluation " + attack, running.send("GET", "/api/v1/runs/" + attack + "/evaluation", Role.ADMIN, null));
            check(wrong, "resume " + attack, running.send("POST", "/api/v1/runs/" + attack + "/resume", Role.ADMIN, "{}"));
            check(wrong, "card of model " + attack, running.send("GET", "/api/v1/models/" + attack + "/versions/1/card",
                    Role.ADMIN, null));
            check(wrong, "card of version " + attack, running.send("GET", "/api/v1/models/small/versions/" + attack + "/card",
                    Role.ADMIN, null));
            check(wrong, "promote model " + attack, running.send("POST", "/api/v1/models/" + attack + "/versions/1/promote",
                    Role.ADMIN, "{\"force\": true, \"reason\": \"r\"}"));
            check(wrong, "promote version " + attack, running.send("POST", "/api/v1/models/small/versions/" + attack
                    + "/promote", Role.ADMIN, "{\"force\": true, \"reason\": \"r\"}"));
            check(wrong, "promote to alias " + attack, running.send("POST", "/api/v1/models/small/versions/1/promote",
                    Role.ADMIN, Json.object().put("alias", plain).put("force", true).put("reason", "r").toString()));
            check(wrong, "train on dataset " + attack, running.send("POST", "/api/v1/train", Role.ADMIN,
                    train(spec("small", yamlQuoted(plain), "y"))));
            check(wrong, "train into model " + attack, running.send("POST", "/api/v1/train", Role.ADMIN,
                    train(spec(yamlQuoted(plain), "small", "y"))));
            check(wrong, "train with source " + attack, running.send("POST", "/api/v1/train", Role.ADMIN,
                    Json.object().put("source", plain).put("spec", "name: [unclosed").toString()));
            check(wrong, "automl on dataset " + attack, running.send("POST", "/api/v1/automl", Role.ADMIN, automl(plain, null)));
            check(wrong, "automl label " + attack, running.send("POST", "/api/v1/automl", Role.ADMIN, automl("small", plain)));
        }
        check(wrong, "train naming the secret's absolute path as its source", running.send("POST", "/api/v1/train",
                Role.ADMIN, Json.object().put("source", secret.toString()).put("spec", "dataset: small").toString()));
        assertThat(wrong).as("requests that were not refused, or answered with the secret").isEmpty();
        assertUnchanged();
    }

    /** A label or feature written to reach DuckDB's SQL is a name that does not exist, never a query. */
    @Test
    void sqlInALabelOrAFeatureIsOnlyANameThatDoesNotExist() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String injection : List.of("y\" FROM read_csv_auto('" + secret + "') --", "y'; SELECT * FROM read_csv_auto('"
                + secret + "'); --", "*", "y) UNION SELECT id FROM read_csv_auto('" + secret + "')")) {
            check(wrong, "automl label " + injection, running.send("POST", "/api/v1/automl", Role.ADMIN,
                    automl("small", injection)));
            check(wrong, "train label " + injection, running.send("POST", "/api/v1/train", Role.ADMIN,
                    train(spec("small", "small", yamlQuoted(injection)))));
            check(wrong, "train feature " + injection, running.send("POST", "/api/v1/train", Role.ADMIN,
                    train(spec("small", "small", "y").replace("features: [x]", "features: [" + yamlQuoted(injection) + "]"))));
        }
        assertThat(wrong).as("injections that were not refused, or answered with the secret").isEmpty();
        assertUnchanged();
    }

    /**
     * YAML built against the parser: a billion laughs through aliases, an alias that contains
     * itself, nesting thousands deep, a million-item list. Each is a 400 in well under the test's
     * timeout, and the server answers the next request.
     */
    @Test
    @Timeout(60)
    void yamlBuiltToExhaustTheParserIsRefused() throws Exception {
        StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ",
                    java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        List<String> specs = List.of(laughs + "name: *a11\n", "name: small\ndataset: small\nfeatures: &f [*f]\n",
                "name: " + "[".repeat(5000) + "\n", "name: small\ndataset: small\nfeatures: [" + "x, ".repeat(1_000_000) + "x]\n");
        List<String> wrong = new ArrayList<>();
        for (String spec : specs) {
            HttpResponse<String> response = running.send("POST", "/api/v1/train", Role.ADMIN, train(spec));
            if (response.statusCode() != 400) {
                wrong.add(spec.substring(0, 40) + "... -> " + response.statusCode() + " " + response.body());
            }
        }
        assertThat(wrong).as("hostile YAML not refused with 400").isEmpty();
        assertThat(running.send("GET", "/healthz", (String) null, null).statusCode()).isEqualTo(200);
        assertUnchanged();
    }

    @Test
    void malformedWrongOrOversizedBodiesAreRefusedAndChangeNothing() throws Exception {
        String oversized = "{\"spec\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}";
        List<String> wrong = new ArrayList<>();
        for (String path : List.of("/api/v1/train", "/api/v1/automl", "/api/v1/runs/" + runId + "/resume",
                "/api/v1/models/small/versions/1/promote")) {
            expect(wrong, path, "{\"spec\": ", 400);
            expect(wrong, path, "[1, 2]", 400);
            expect(wrong, path, oversized, 413);
        }
        expect(wrong, "/api/v1/train", "{}", 400); // no spec
        expect(wrong, "/api/v1/train", "{\"spec\": 42}", 400);
        expect(wrong, "/api/v1/train", "{\"spec\": {\"name\": \"small\"}}", 400);
        expect(wrong, "/api/v1/automl", "{}", 400); // no dataset
        expect(wrong, "/api/v1/automl", "{\"dataset\": [\"small\"]}", 400);
        for (String time : List.of("soon", "-5m", "5 parsecs", "99999999999999999999999m", "9223372036854775807w",
                "{a: b}", "[1]", "0")) {
            expect(wrong, "/api/v1/automl", "{\"dataset\": \"small\", \"time\": \"" + time + "\"}", 400);
        }
        expect(wrong, "/api/v1/automl", "{\"dataset\": \"small\", \"time\": \"5s\", \"task\": \"astrology\"}", 400);
        expect(wrong, "/api/v1/automl", "{\"dataset\": \"small\", \"time\": \"5s\", \"seed\": \"seven\"}", 400);
        expect(wrong, "/api/v1/models/small/versions/1/promote", "{\"force\": \"yes\", \"reason\": \"r\"}", 400);
        expect(wrong, "/api/v1/models/small/versions/1/promote", "{\"force\": true, \"reason\": \"   \"}", 400);
        assertThat(wrong).as("bodies not refused as expected").isEmpty();
        assertUnchanged();
    }

    private static void expect(List<String> wrong, String path, String body, int status) throws Exception {
        HttpResponse<String> response = running.send("POST", path, Role.ADMIN, body);
        if (response.statusCode() != status) {
            wrong.add("POST " + path + " " + (body.length() > 80 ? body.substring(0, 80) + "..." : body) + " -> "
                    + response.statusCode() + " " + response.body());
        }
    }

    /** One model, one version, no champion, one training run: as {@link #start} left them. */
    private static void assertUnchanged() {
        assertThat(running.services.models().models()).extracting(m -> m.name()).containsExactly("small");
        assertThat(running.services.models().versions("small")).hasSize(1);
        assertThat(running.services.models().model("small").aliases()).isEmpty();
        assertThat(Files.exists(secret)).isTrue();
    }

    private static void check(List<String> wrong, String what, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status < 400 || status > 404 || response.body().contains(SECRET)) {
            wrong.add(what + " -> " + status + " " + response.body());
        }
    }

    /** A training spec with a logistic candidate on feature {@code x}. */
    private static String spec(String model, String dataset, String label) {
        return "name: t\nmodel: " + model + "\ndataset: " + dataset + "\nlabel: " + label + "\ntask: binary\n"
                + "features: [x]\nevaluation: {folds: 3, bootstrap: 100}\ncandidates: [{algorithm: logistic}]\n";
    }

    /** The body of {@code POST /api/v1/train} for {@code spec}. */
    private static String train(String spec) {
        return Json.object().put("spec", spec).toString();
    }

    /** The body of {@code POST /api/v1/automl} on dataset {@code small} with this label, for 5 s. */
    private static String automl(String dataset, String label) {
        var body = Json.object().put("dataset", dataset).put("time", "5s");
        return (label == null ? body : body.put("label", label)).toString();
    }

    /** {@code text} as a double-quoted YAML scalar. */
    private static String yamlQuoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

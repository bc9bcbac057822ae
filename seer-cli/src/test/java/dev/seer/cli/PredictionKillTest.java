package dev.seer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seer.core.Json;
import dev.seer.serving.log.LogOptions;
import dev.seer.serving.log.PredictionLog;
import dev.seer.testing.JavaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server is sent predictions by eight clients and killed with SIGKILL mid-load. Restarted, its
 * log holds every prediction it answered 200 (with the output it answered), and {@code seer audit
 * verify} passes: every batch the log holds is in the audit trail, as its hash. Run with each
 * answer-after that claims to survive a killed server.
 */
@Tag("integration")
class PredictionKillTest {
    @TempDir
    Path dir;

    /** {@code answer-after: sync} (the default) and {@code write}, which promises exactly this and not more. */
    @ParameterizedTest(name = "answer-after: {0}")
    @ValueSource(strings = {"sync", "write"})
    void everyPredictionAnsweredBeforeASigkillIsInTheLogAndTheAuditVerifies(String answerAfter) throws Exception {
        Path home = dir.resolve("home");
        Path model = dir.resolve("linear.json");
        Files.writeString(model, "{\"format\": 1, \"kind\": \"seer-linear\", \"features\": [\"a\", \"b\"],"
                + " \"weights\": [2.0, -1.0], \"intercept\": 0.5, \"link\": \"identity\"}"); // y = 2a - b + 0.5
        try (CliHome cli = CliHome.local(home)) {
            assertThat(cli.run("init").exitCode()).isZero();
            CliRun imported = cli.run("models", "import", "--name", "lin", "--format", "seer-linear", "--file", model.toString(),
                    "--signature", "a:float64,b:float64->value");
            assertThat(imported.exitCode()).as(imported.err()).isZero();
            CliRun deployed = cli.run("deploy", "lin", "--model", "lin", "--version", "1");
            assertThat(deployed.exitCode()).as(deployed.err()).isZero();
        }
        Process server = JavaProcess.start(SeerCli.class, List.of("--home", home.toString(), "server", "--port", "0"),
                Map.of("SEER_PREDICTION_LOG_ANSWER_AFTER", answerAfter));
        ConcurrentLinkedQueue<String[]> answered = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            String url = awaitUrl(home, server);
            String token = Files.readString(home.resolve("run").resolve("cli.token")).trim();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            AtomicInteger sent = new AtomicInteger();
            for (int c = 0; c < 8; c++) {
                clients.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        int i = sent.incrementAndGet();
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/predict/lin"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"features\": {\"a\": " + i + ", \"b\": 1}}"))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 200) {
                                JsonNode p = Json.parse(r.body()).path("predictions").get(0);
                                answered.add(new String[] {p.path("id").asText(), p.path("output").get(0).asText()});
                            }
                        } catch (java.io.IOException e) {
                            return null; // the server is gone
                        }
                    }
                    return null;
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered.size() < 2000 && System.nanoTime() < deadline) {
                assertThat(server.isAlive()).as("the server died early").isTrue();
                Thread.sleep(20);
            }
            assertThat(answered.size()).as("answers before the kill").isGreaterThanOrEqualTo(2000);
            server.destroyForcibly(); // SIGKILL, under load
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
            if (server.isAlive()) {
                server.destroyForcibly();
            }
        }
        List<String[]> all = new ArrayList<>(answered);
        try (CliHome cli = CliHome.local(home)) {
            CliRun verified = cli.run("audit", "verify");
            assertThat(verified.exitCode()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).contains("Audit log OK", "Prediction log OK");
        }
        try (PredictionLog log = PredictionLog.open(home.resolve("predictions"), LogOptions.DEFAULT,
                record -> java.util.concurrent.CompletableFuture.completedFuture(0L), Clock.systemUTC())) {
            for (String[] a : all) {
                var logged = log.find(a[0]);
                assertThat(logged).as("answered prediction %s", a[0]).isPresent();
                assertThat(logged.get().output()[0]).isEqualTo(Double.parseDouble(a[1]));
                assertThat(logged.get().deployment()).isEqualTo("lin");
            }
        }
    }

    /** The server's URL, once it has published it in the home's owner record. */
    private static String awaitUrl(Path home, Process server) throws Exception {
        Path owner = home.resolve("run").resolve("owner.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("the server exited").isTrue();
            if (Files.exists(owner)) {
                try {
                    String url = Json.parse(Files.readString(owner)).path("url").asText("");
                    if (!url.isEmpty() && Files.exists(home.resolve("run").resolve("cli.token"))) {
                        return url;
                    }
                } catch (RuntimeException partial) {
                    // written while read: try again
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the server published no URL in time");
    }
}

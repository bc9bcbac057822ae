package dev.seer.bench;

import dev.seer.core.Json;
import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.FileTrees;
import dev.seer.core.home.SeerHome;
import dev.seer.metadata.MetadataConfig;
import dev.seer.server.ConfigSections;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The MLflow-compatible API over HTTP, as MLflow's clients use it to log a run: {@code --clients}
 * closed-loop clients each create a run ({@code runs/create}) and log a batch of {@code --batch}
 * metrics to it ({@code runs/log-batch}), for {@code --seconds} after a 3-second warm-up, against
 * a server whose metadata store is SQLite (in the home) or PostgreSQL (a schema of its own).
 * Reports requests/s of each call and its latency (p50, p99, max); every call is durable and
 * audited before it is answered. MLflow's own server is not in Debian, so no peer runs beside it.
 */
final class RegistryApiBench {
    private RegistryApiBench() {}

    static void run(List<String> backends, int seconds, int clients, int batch) throws Exception {
        System.out.printf(Locale.ROOT, "%-11s %-14s %10s %10s %10s %10s%n", "backend", "call", "req/s", "p50 ms", "p99 ms",
                "max ms");
        for (String backend : backends) {
            Path dir = Files.createTempDirectory("seer-bench-api");
            try (BenchDatabase pg = backend.equals("postgresql") ? BenchDatabase.open(backend) : null) {
                SeerConfig config = ConfigSections.defaults().with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0));
                if (pg != null) {
                    config = config.with(MetadataConfig.SECTION, new MetadataConfig(pg.url, BenchDatabase.PG_USER, "", 8));
                }
                try (SeerServices services = SeerServices.open(SeerHome.create(dir.resolve("home")), config,
                        Clock.systemUTC()); SeerServer server = SeerServer.start(services)) {
                    String token = services.tokens().create(Role.SCIENTIST, "bench", "bench").secret();
                    measure(backend, server.url(), token, seconds, clients, batch);
                }
            } finally {
                FileTrees.delete(dir);
            }
        }
    }

    private static void measure(String backend, String url, String token, int seconds, int clients, int batch)
            throws Exception {
        Recorder creates = new Recorder(3);
        Recorder batches = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean measuring = new AtomicBoolean(false);
        HttpClient http = HttpClient.newHttpClient();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        long t0 = System.nanoTime();
                        String runId = Json.parse(post(http, url, token, "runs/create", "{\"experiment_id\": \"0\"}"))
                                .path("run").path("info").path("run_id").asText();
                        long t1 = System.nanoTime();
                        post(http, url, token, "runs/log-batch", logBatch(runId, batch));
                        long t2 = System.nanoTime();
                        if (measuring.get()) {
                            creates.recordValue((t1 - t0) / 1000);
                            batches.recordValue((t2 - t1) / 1000);
                        }
                    }
                } catch (Exception e) {
                    failures.add(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(3000);
        creates.reset();
        batches.reset();
        measuring.set(true);
        Thread.sleep(seconds * 1000L);
        Histogram create = creates.getIntervalHistogram();
        Histogram logged = batches.getIntervalHistogram();
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a client failed", failures.get(0));
        }
        print(backend, "runs/create", create, seconds);
        print(backend, "log-batch " + batch, logged, seconds);
    }

    private static void print(String backend, String call, Histogram h, int seconds) {
        System.out.printf(Locale.ROOT, "%-11s %-14s %10.0f %10.2f %10.2f %10.2f%n", backend, call,
                h.getTotalCount() / (double) seconds, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0);
    }

    private static String logBatch(String runId, int batch) {
        StringBuilder body = new StringBuilder("{\"run_id\": \"").append(runId).append("\", \"metrics\": [");
        long now = System.currentTimeMillis();
        for (int i = 0; i < batch; i++) {
            body.append(i == 0 ? "" : ", ").append("{\"key\": \"m").append(i % 50).append("\", \"value\": ")
                    .append(i * 0.001).append(", \"timestamp\": ").append(now).append(", \"step\": ").append(i / 50).append('}');
        }
        return body.append("]}").toString();
    }

    private static String post(HttpClient http, String url, String token, String call, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/api/2.0/mlflow/" + call))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(call + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}

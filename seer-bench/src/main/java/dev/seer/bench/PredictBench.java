package dev.seer.bench;

import dev.seer.core.Role;
import dev.seer.core.config.SeerConfig;
import dev.seer.core.home.SeerHome;
import dev.seer.datasets.DatasetStore;
import dev.seer.datasets.SplitSpec;
import dev.seer.server.Call;
import dev.seer.server.ConfigSections;
import dev.seer.server.DeploymentOperations;
import dev.seer.server.SeerServer;
import dev.seer.server.SeerServices;
import dev.seer.server.ServerConfig;
import dev.seer.server.TrainingOperations;
import dev.seer.serving.log.LogOptions;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The predict route under fixed-rate load (issue 17): a view of 20 features over 100,000
 * customers ingested and materialised into the online store (RocksDB), a 100-tree, depth-6
 * XGBoost model trained by Seer on a dataset of that view's feature service, deployed; then
 * {@code POST /api/v1/predict/bench} for one customer per request (entity lookup, the model, the
 * durable prediction log) at each rate asked, open loop from a second JVM ({@link LoadGen}: latency
 * counts from when each request was due), beside {@code GET /healthz} of the same server at the
 * same rate.
 *
 * <p>Arguments: work directory, seconds per measurement, rates (comma-separated), and the
 * {@code prediction-log.answer-after} modes to measure one after the other over the same home
 * (comma-separated, default {@code sync}). First it times the disk's {@code fdatasync} in the
 * home, the floor of an answer that waits for one.
 */
public final class PredictBench {
    private static final int FEATURES = 20;
    private static final int KEYS = 100_000;

    private PredictBench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/seer-bench-predict");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 2 ? args[2] : "2000,5000").split(",")) {
            rates.add(Integer.parseInt(r.strip()));
        }
        List<LogOptions.AnswerAfter> modes = new ArrayList<>();
        for (String m : (args.length > 3 ? args[3] : "sync").split(",")) {
            modes.add(LogOptions.AnswerAfter.valueOf(m.strip().toUpperCase(Locale.ROOT)));
        }
        BenchFiles.deleteTree(dir);
        Files.createDirectories(dir.resolve("repo"));
        writeData(dir);
        SeerHome home = SeerHome.create(dir.resolve("home"));
        syncs(dir.resolve("home"), 2000);
        idle(seconds);
        boolean prepared = false;
        for (LogOptions.AnswerAfter mode : modes) {
            // the same home, data, model and deployment for every mode: only when an answer may go changes
            SeerConfig config = ConfigSections.defaults().with(ServerConfig.SECTION, new ServerConfig("127.0.0.1", 0))
                    .with(LogOptions.SECTION, LogOptions.DEFAULT.answering(mode));
            try (SeerServices services = SeerServices.open(home, config, Clock.systemUTC())) {
                if (!prepared) {
                    prepare(services, dir);
                    prepared = true;
                }
                String token = services.tokens().create(Role.OPERATOR, "bench-" + mode, "bench").secret();
                try (SeerServer server = SeerServer.start(services)) {
                    String body = "{\"entity\": {\"customer_id\": \"%d\"}}";
                    LoadGen.measure(command(server.url() + "/api/v1/predict/bench", token, body, 1000, 20, "0"), "warm-up");
                    String answer = mode.name().toLowerCase(Locale.ROOT);
                    for (int rate : rates) {
                        http(server.url() + "/api/v1/predict/bench", token, body, rate, seconds, "POST /api/v1/predict/bench"
                                + " (lookup 1 x 20, 100 trees, log answer-after " + answer + ") at " + rate + "/s");
                        http(server.url() + "/healthz", null, null, rate, seconds, "GET /healthz (no-op) at " + rate + "/s");
                    }
                }
            }
        }
    }

    /**
     * The disk's floor under an answer that waits for a sync: {@code n} appends of 600 bytes each followed by
     * {@code fdatasync} ({@code FileChannel.force(false)}), as the prediction log's writer does per batch, in the
     * directory the log will use.
     */
    private static void syncs(Path dir, int n) throws Exception {
        Path file = dir.resolve("sync-probe.bin");
        long[] nanos = new long[n];
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(600);
            for (int i = 0; i < n; i++) {
                record.clear();
                long start = System.nanoTime();
                c.write(record, (long) i * 600);
                c.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "write 600 B + fdatasync, %d times: p50 %.3f p90 %.3f p99 %.3f max %.3f (ms)%n", n,
                nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6, nanos[n * 99 / 100] / 1e6, nanos[n - 1] / 1e6);
    }

    /** Ingests, materialises, builds the dataset, trains the model and deploys it. */
    private static void prepare(SeerServices services, Path dir) {
        services.features().apply(dir.resolve("repo"), "bench");
        services.ingestor().ingest("wide_source", Optional.empty(), "bench");
        services.materializer().materialize(List.of(), Optional.empty(), Instant.parse("2026-02-01T00:00:00Z"), "bench");
        services.datasets().create("bench_training", new DatasetStore.CreateRequest(dir.resolve("labels.csv"),
                List.of("wide_all"), Optional.of("label"), false, Optional.of(new SplitSpec(SplitSpec.Method.TIME,
                        List.of("event_timestamp"), 0.6, 0.2, 0.2))), "bench", m -> { });
        String spec = "name: bench\ndataset: bench_training\nlabel: label\ntask: binary\n"
                + "evaluation: {folds: 2, bootstrap: 100}\n"
                + "candidates: [{algorithm: xgboost, params: {rounds: 100, max_depth: 6, eta: 0.1}}]\n";
        Call call = new Call("bench", m -> { });
        TrainingOperations.Trained trained = TrainingOperations.TRAIN.handle(services, new TrainingOperations.Train("bench",
                spec), call);
        int version = trained.version().orElseThrow().version();
        DeploymentOperations.DEPLOY.handle(services, new DeploymentOperations.Deploy("bench", "bench", Optional.of(version),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("model_default"),
                Optional.empty(), Optional.empty()), call);
        System.out.println("deployed bench:" + version + " (" + trained.report().best() + ")");
    }

    /**
     * The machine's own floor, before any load: a JVM that only asks to wake every millisecond, for as long as a
     * round. The load generator's and the server's wake-ups are measured the same way during each round.
     */
    private static void idle(int seconds) throws Exception {
        List<String> command = LoadGen.command();
        command.addAll(List.of(LoadGen.IDLE, Integer.toString(seconds)));
        LoadGen.Measured measured = LoadGen.measure(command, "the idle probe");
        System.out.printf(Locale.ROOT, "idle machine, one thread waking every 1 ms for %d s: %s%n  %s%n", seconds,
                measured.result(), measured.cpu());
    }

    /**
     * One round, with what stalled the server's JVM meanwhile: its garbage collections, and a thread in it that asks
     * to wake every millisecond (a collection's pause, a safepoint or a core taken away all make it late).
     */
    private static void http(String url, String token, String body, int rate, int seconds, String label) throws Exception {
        long[] gcBefore = LoadGen.ownGc();
        LoadGen.Hiccups hiccups = LoadGen.Hiccups.start(SlowLog.NONE);
        LoadGen.Measured measured = LoadGen.measure(command(url, token, body, rate, seconds, "10"), label);
        String late = LoadGen.Hiccups.describe(hiccups.stop());
        long[] gc = LoadGen.ownGc();
        System.out.printf(Locale.ROOT, "%-80s %s (ms)%n  server JVM: GCs %d (%d ms); %s%n  %s%n", label, measured.result(),
                gc[0] - gcBefore[0], gc[1] - gcBefore[1], late, measured.cpu());
    }


    private static List<String> command(String url, String token, String body, int rate, int seconds, String warmUp) {
        List<String> command = LoadGen.command("-Dwarmup=" + warmUp);
        command.addAll(List.of(url, Integer.toString(rate), Integer.toString(seconds), "16"));
        if (body != null) {
            command.addAll(List.of(token, body, Integer.toString(KEYS)));
        }
        return command;
    }

    /** The wide view of gaussian features, and labels for half the customers a day later from a score of them. */
    private static void writeData(Path dir) throws Exception {
        try (var labels = Files.newBufferedWriter(dir.resolve("labels.csv"))) {
            labels.write("customer_id,event_timestamp,label\n");
            WideView.write(dir, FEATURES, KEYS, Optional.of("3650d"), Random::nextGaussian, x -> Math.round(x * 1e4) / 1e4,
                    (k, drawn, random) -> {
                        double score = 0;
                        for (int f = 0; f < FEATURES; f++) {
                            score += (f % 3 == 0 ? 1 : -0.5) * drawn[f] + (f == 1 ? drawn[f] * drawn[f] : 0);
                        }
                        if (k % 2 == 0) { // half the customers are labelled, a day after their features
                            labels.write(k + ",2026-01-" + (16 + k % 10) + "T00:00:00Z," + (random.nextDouble() < 1 / (1
                                    + Math.exp(-score)) ? 1 : 0) + "\n");
                        }
                    });
        }
    }
}

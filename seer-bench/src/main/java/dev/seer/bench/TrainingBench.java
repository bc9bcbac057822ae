package dev.seer.bench;

import static dev.seer.bench.BenchFiles.deleteTree;
import static dev.seer.bench.BenchFiles.median;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seer.duckdb.DuckEngine;
import dev.seer.training.Task;
import dev.seer.training.algorithms.Algorithm;
import dev.seer.training.algorithms.Fitted;
import dev.seer.training.algorithms.Learner;
import dev.seer.training.algorithms.RoundReporter;
import dev.seer.training.data.DatasetSource;
import dev.seer.training.data.FrameReader;
import dev.seer.training.data.TrainingData;
import dev.seer.training.metrics.Metric;
import dev.seer.training.metrics.Scored;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Training against Python XGBoost (issue 15): Seer's wall time, reading a dataset version
 * included, against Debian's python3-xgboost 1.7.4 on the same data and parameters
 * (100,000 x 20, 100 trees, depth 6, eta 0.3, hist, 256 bins, the same threads).
 *
 * <p>The data is a seeded synthetic binary task written once: 20 float features (8 informative,
 * 12 noise, about 2% missing in four of them), the label drawn from a logistic of a nonlinear
 * function of the informative ones; the first 80,000 rows are the train split, the last 20,000
 * the test split, each a Parquet file. Seer reads them through training's own path
 * ({@link FrameReader#read} over a {@link DatasetSource.Snapshot} of those files; the dataset
 * store adds only its hash check, timed apart), fits {@code Learner.of(XGBOOST)}, predicts the
 * test rows and computes ROC AUC. The peer ({@code seer-bench/python/training_peer.py}) reads the
 * same values from raw float32 files (Debian's python3 reads no Parquet), builds its DMatrix,
 * trains, predicts and computes AUC with scikit-learn, timing the same parts inside the script.
 *
 * <p>Each repetition runs, in this order: Seer in this JVM, the peer as a process, and Seer in a
 * fresh JVM (one repetition, as a user's first training would run). The first in-JVM repetition
 * is cold (classes loaded, code interpreted) and is reported apart from the warm median.
 * Usage: {@code TrainingBench [--dir D] [--reps 7] [--seed 42] [--threads 2]
 * [--peer seer-bench/python/training_peer.py] [--python /usr/bin/python3] [--base-score B]};
 * {@code TrainingBench read DIR N} times only the read, N times, over the data a run left in DIR.
 */
public final class TrainingBench {
    static final int ROWS = 100_000;
    static final int TRAIN_ROWS = 80_000;
    static final int WIDTH = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A repetition counts as quiet when other processes used at most this share of the cores (CpuUse's report). */
    private static final int QUIET_PERCENT = 5;
    private static final Pattern OTHERS = Pattern.compile("other processes (\\d+)%");

    private TrainingBench() {}

    /** One repetition's parts, in seconds, and its test AUC. */
    record Parts(double read, double fit, double predict, double aucSeconds, double auc) {
        double wall() {
            return read + fit + predict + aucSeconds;
        }

        String text() {
            return String.format(Locale.ROOT, "wall %.3f s (read %.3f, fit %.3f, predict %.3f, auc %.3f), AUC %.5f", wall(),
                    read, fit, predict, aucSeconds, auc);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("once")) {
            Parts parts = seer(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), baseScore(args, 4));
            System.out.println(JSON.writeValueAsString(Map.of("read", parts.read(), "fit", parts.fit(), "predict",
                    parts.predict(), "auc_seconds", parts.aucSeconds(), "auc", parts.auc())));
            return;
        }
        if (args.length > 0 && args[0].equals("read")) {
            reads(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Path dir = Path.of(options.getOrDefault("--dir", "/tmp/seer-bench-training"));
        int reps = Integer.parseInt(options.getOrDefault("--reps", "7"));
        long seed = Long.parseLong(options.getOrDefault("--seed", "42"));
        int threads = Integer.parseInt(options.getOrDefault("--threads", "2"));
        String peer = options.getOrDefault("--peer", "seer-bench/python/training_peer.py");
        String python = options.getOrDefault("--python", "/usr/bin/python3");
        Optional<Double> base = Optional.ofNullable(options.get("--base-score")).map(Double::parseDouble);
        deleteTree(dir);
        Files.createDirectories(dir);
        generate(dir, seed);
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf(Locale.ROOT, "store hash check of both splits (SHA-256, what DatasetStore adds): %.3f s%n",
                hashSeconds(dir));
        run(dir, reps, seed, threads, List.of(python, peer), base);
        System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
    }

    private static Optional<Double> baseScore(String[] args, int at) {
        return args.length > at ? Optional.of(Double.parseDouble(args[at])) : Optional.empty();
    }

    private static void run(Path dir, int reps, long seed, int threads, List<String> peer, Optional<Double> base)
            throws Exception {
        List<Parts> seer = new ArrayList<>();
        List<Double> seerProcess = new ArrayList<>();
        List<Parts> cold = new ArrayList<>();
        List<Parts> python = new ArrayList<>();
        List<Double> pythonProcess = new ArrayList<>();
        List<Double> imports = new ArrayList<>();
        List<Integer> quiet = new ArrayList<>();
        for (int rep = 0; rep < reps; rep++) {
            CpuUse cpu = CpuUse.start();
            Parts s = seer(dir, seed, threads, base);
            seer.add(s);
            List<String> peerCommand = new ArrayList<>(peer);
            peerCommand.addAll(List.of(dir.toString(), Long.toString(seed), Integer.toString(threads)));
            base.ifPresent(b -> peerCommand.add(Double.toString(b)));
            long started = System.nanoTime();
            JsonNode p = JSON.readTree(child(peerCommand));
            pythonProcess.add((System.nanoTime() - started) / 1e9);
            python.add(new Parts(p.get("load").asDouble(), p.get("train").asDouble(), p.get("predict").asDouble(),
                    p.get("auc_seconds").asDouble(), p.get("auc").asDouble()));
            imports.add(p.get("imports").asDouble());
            List<String> javaCommand = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx4g", "-cp", System.getProperty("java.class.path"), TrainingBench.class.getName(),
                    "once", dir.toString(), Long.toString(seed), Integer.toString(threads)));
            base.ifPresent(b -> javaCommand.add(Double.toString(b)));
            started = System.nanoTime();
            JsonNode c = JSON.readTree(child(javaCommand));
            seerProcess.add((System.nanoTime() - started) / 1e9);
            cold.add(new Parts(c.get("read").asDouble(), c.get("fit").asDouble(), c.get("predict").asDouble(),
                    c.get("auc_seconds").asDouble(), c.get("auc").asDouble()));
            String use = cpu.report("rep " + (rep + 1) + " (seer, peer, seer fresh JVM)");
            cpu.close();
            Matcher others = OTHERS.matcher(use);
            if (rep > 0 && others.find() && Integer.parseInt(others.group(1)) <= QUIET_PERCENT) {
                quiet.add(rep);
            }
            System.out.printf(Locale.ROOT, "rep %d%n  seer in this JVM%s: %s%n  peer (python %s, process %.3f s, imports %.3f s):"
                    + " %s%n  seer in a fresh JVM (process %.3f s): %s%n  %s%n", rep + 1, rep == 0 ? " (cold)" : "", s.text(),
                    p.get("xgboost").asText(), pythonProcess.get(rep), imports.get(rep), python.get(rep).text(),
                    seerProcess.get(rep), cold.get(rep).text(), use);
        }
        List<Parts> warm = seer.subList(Math.min(1, reps - 1), reps);
        double seerWall = median(warm.stream().map(Parts::wall).toList());
        double peerWall = median(python.stream().map(Parts::wall).toList());
        double seerAuc = warm.get(0).auc();
        double peerAuc = python.get(0).auc();
        System.out.printf(Locale.ROOT, "%nmedians over %d repetitions (seer warm: repetitions 2..%d)%n", reps, reps);
        System.out.printf(Locale.ROOT, "seer warm, in JVM:   %s%n", medians(warm).text());
        System.out.printf(Locale.ROOT, "seer cold, rep 1:    %s%n", seer.get(0).text());
        System.out.printf(Locale.ROOT, "seer fresh JVM:      %s; process %.3f s%n", medians(cold).text(), median(seerProcess));
        System.out.printf(Locale.ROOT, "peer, in script:     %s; process %.3f s (imports %.3f s)%n", medians(python).text(),
                median(pythonProcess), median(imports));
        System.out.printf(Locale.ROOT, "ratio seer/peer, in-process wall (the issue's, goal <= 1.1): %.3f%n", seerWall / peerWall);
        System.out.printf(Locale.ROOT, "ratio seer/peer, seer's first in-JVM repetition: %.3f%n", seer.get(0).wall() / peerWall);
        System.out.printf(Locale.ROOT, "ratio seer/peer, whole processes (JVM start vs Python start, imports included): %.3f%n",
                median(seerProcess) / median(pythonProcess));
        if (!quiet.isEmpty()) {
            // OpenMP threads wait for each other at every tree level: a busy core slows both sides many times over
            List<Parts> seerQuiet = quiet.stream().map(seer::get).toList();
            List<Parts> peerQuiet = quiet.stream().map(python::get).toList();
            System.out.printf(Locale.ROOT, "quiet repetitions only (others <= %d%% of the cores; reps %s):%n  seer warm %s%n"
                    + "  peer      %s%n  ratio seer/peer %.3f; whole processes %.3f%n", QUIET_PERCENT,
                    quiet.stream().map(r -> Integer.toString(r + 1)).toList(), medians(seerQuiet).text(),
                    medians(peerQuiet).text(), median(seerQuiet.stream().map(Parts::wall).toList())
                            / median(peerQuiet.stream().map(Parts::wall).toList()),
                    median(quiet.stream().map(seerProcess::get).toList()) / median(quiet.stream().map(pythonProcess::get)
                            .toList()));
        }
        System.out.printf(Locale.ROOT, "AUC seer %.5f, peer %.5f, |diff| %.5f (goal <= 0.002); AUC spread over reps: seer %s,"
                + " peer %s%n", seerAuc, peerAuc, Math.abs(seerAuc - peerAuc), spread(seer), spread(python));
    }

    private static String spread(List<Parts> parts) {
        double min = parts.stream().mapToDouble(Parts::auc).min().orElseThrow();
        double max = parts.stream().mapToDouble(Parts::auc).max().orElseThrow();
        return String.format(Locale.ROOT, "%.5f..%.5f", min, max);
    }

    private static Parts medians(List<Parts> parts) {
        return new Parts(median(parts.stream().map(Parts::read).toList()), median(parts.stream().map(Parts::fit).toList()),
                median(parts.stream().map(Parts::predict).toList()), median(parts.stream().map(Parts::aucSeconds).toList()),
                median(parts.stream().map(Parts::auc).toList()));
    }

    /**
     * Only the read, {@code times} times over the data a run left in {@code dir}: the median of all but
     * the first three. With another build's classes first on the class path, it compares two versions
     * of {@link FrameReader}; the sum of the labels shows they read the same.
     */
    private static void reads(Path dir, int times) {
        List<Double> seconds = new ArrayList<>();
        double labels = 0;
        for (int i = 0; i < times; i++) {
            long started = System.nanoTime();
            TrainingData data = FrameReader.read(snapshot(dir), Optional.of("label"), Task.BINARY, List.of());
            seconds.add((System.nanoTime() - started) / 1e9);
            for (double y : data.train().y()) {
                labels += y;
            }
        }
        System.out.printf(Locale.ROOT, "read both splits: median %.3f s over reads 4..%d (labels summed %.0f); all %s%n",
                median(seconds.subList(Math.min(3, times - 1), times)), times, labels, seconds);
    }

    /** One repetition of Seer: read both splits, fit, predict the test rows, AUC. */
    static Parts seer(Path dir, long seed, int threads, Optional<Double> base) {
        long t0 = System.nanoTime();
        TrainingData data = FrameReader.read(snapshot(dir), Optional.of("label"), Task.BINARY, List.of());
        long t1 = System.nanoTime();
        Map<String, Object> params = new LinkedHashMap<>(Algorithm.XGBOOST.resolve(Map.of("rounds", 100, "max_depth", 6,
                "eta", 0.3, "max_bin", 256)));
        base.ifPresent(b -> params.put("base_score", b)); // not a spec parameter; the learner passes it on to XGBoost
        try (Fitted fitted = Learner.of(Algorithm.XGBOOST).fit(data.train(), params, seed, threads, RoundReporter.NONE)) {
            long t2 = System.nanoTime();
            double[][] predicted = fitted.predict(data.test().x());
            double[] p1 = new double[predicted.length];
            for (int i = 0; i < p1.length; i++) {
                p1[i] = predicted[i][0];
            }
            long t3 = System.nanoTime();
            double auc = Metric.ROC_AUC.value(Scored.binary(data.test().y(), p1));
            long t4 = System.nanoTime();
            return new Parts((t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, auc);
        }
    }

    /** The version as the dataset store's port describes it: the two split files and their columns. */
    static DatasetSource.Snapshot snapshot(Path dir) {
        List<DatasetSource.Column> columns = new ArrayList<>();
        for (int c = 0; c < WIDTH; c++) {
            columns.add(new DatasetSource.Column("x" + c, "FLOAT"));
        }
        columns.add(new DatasetSource.Column("label", "INTEGER"));
        return new DatasetSource.Snapshot("synthetic:1", "not-checked", Optional.of("label"), List.of(), columns,
                Map.of("train", dir.resolve("train.parquet"), "test", dir.resolve("test.parquet")));
    }

    /**
     * Writes the task: Parquet splits for Seer (through a CSV that DuckDB converts; floats print
     * exactly), the same floats raw for the peer. Missing values are drawn after the label, so
     * the label depends on the true values, as it would in data with gaps.
     */
    private static void generate(Path dir, long seed) throws Exception {
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[ROWS * WIDTH];
        float[] y = new float[ROWS];
        int positives = 0;
        for (int r = 0; r < ROWS; r++) {
            double[] v = new double[WIDTH];
            for (int c = 0; c < WIDTH; c++) {
                v[c] = gaussian(random);
            }
            double logit = 1.5 * Math.sin(2 * v[0]) + v[1] * v[2] + 0.8 * (v[3] * v[3] - 1) + Math.abs(v[4]) - 0.8
                    - 0.6 * v[5] + (v[6] > 0 ? 0.9 * v[7] : -0.4 * v[7]);
            y[r] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            positives += (int) y[r];
            for (int c = 0; c < WIDTH; c++) {
                boolean gap = (c == 1 || c == 4 || c == 9 || c == 15) && random.nextDouble() < 0.02;
                x[r * WIDTH + c] = gap ? Float.NaN : (float) v[c];
            }
        }
        Path csv = dir.resolve("all.csv");
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < WIDTH; c++) {
                    float value = x[r * WIDTH + c];
                    out.write(Float.isNaN(value) ? "" : Float.toString(value));
                    out.write(',');
                }
                out.write(Integer.toString((int) y[r]));
                out.write('\n');
            }
        }
        StringBuilder types = new StringBuilder("{");
        for (int c = 0; c < WIDTH; c++) {
            types.append("'x").append(c).append("': 'FLOAT', ");
        }
        types.append("'label': 'INTEGER'}");
        try (Connection duck = DuckEngine.open(); Statement s = duck.createStatement()) {
            s.execute("CREATE TABLE t AS SELECT row_number() OVER () AS n, * FROM read_csv(" + DuckEngine.literal(csv.toString())
                    + ", header = false, columns = " + types + ")");
            s.execute("COPY (SELECT * EXCLUDE (n) FROM t WHERE n <= " + TRAIN_ROWS + " ORDER BY n) TO "
                    + DuckEngine.literal(dir.resolve("train.parquet").toString()) + " (FORMAT parquet)");
            s.execute("COPY (SELECT * EXCLUDE (n) FROM t WHERE n > " + TRAIN_ROWS + " ORDER BY n) TO "
                    + DuckEngine.literal(dir.resolve("test.parquet").toString()) + " (FORMAT parquet)");
        }
        Files.delete(csv);
        writeFloats(dir.resolve("train_x.f32"), x, 0, TRAIN_ROWS * WIDTH);
        writeFloats(dir.resolve("test_x.f32"), x, TRAIN_ROWS * WIDTH, ROWS * WIDTH);
        writeFloats(dir.resolve("train_y.f32"), y, 0, TRAIN_ROWS);
        writeFloats(dir.resolve("test_y.f32"), y, TRAIN_ROWS, ROWS);
        Files.writeString(dir.resolve("shape.json"), JSON.writeValueAsString(Map.of("train", TRAIN_ROWS, "test",
                ROWS - TRAIN_ROWS, "width", WIDTH)));
        System.out.printf(Locale.ROOT, "generated %,d x %d (%.1f%% positive) in %s in %.1f s: train.parquet %,d bytes,"
                + " test.parquet %,d bytes%n", ROWS, WIDTH, 100.0 * positives / ROWS, dir, (System.nanoTime() - started) / 1e9,
                Files.size(dir.resolve("train.parquet")), Files.size(dir.resolve("test.parquet")));
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static void writeFloats(Path file, float[] values, int from, int to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((to - from) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, from, to - from);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buffer.array());
        }
    }

    /** Seconds to SHA-256 both split files: the check the dataset store makes when training opens a version. */
    private static double hashSeconds(Path dir) throws Exception {
        long started = System.nanoTime();
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String name : List.of("train.parquet", "test.parquet")) {
            digest.update(Files.readAllBytes(dir.resolve(name)));
        }
        digest.digest();
        return (System.nanoTime() - started) / 1e9;
    }

    /** Runs {@code command} and returns its last line of output. */
    private static String child(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + out);
        }
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }
}

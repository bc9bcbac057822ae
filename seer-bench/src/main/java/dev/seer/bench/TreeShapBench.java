package dev.seer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seer.explain.TreeShap;
import dev.seer.models.ModelFormat;
import dev.seer.models.TreeEnsemble;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * TreeSHAP (issue 16): Seer's exact path-dependent TreeSHAP against XGBoost's own contributions,
 * XGBoost4J's {@code predictContrib} and Python xgboost 1.7.4's {@code pred_contribs}, on the same
 * model and rows in one run.
 *
 * <p>Models: binary:logistic on 20 standard-normal features (a seeded nonlinear task), trained by
 * XGBoost4J ({@code hist}, one thread) on 20,000 rows: 100 trees of depth 6 (the issue's), 100 of
 * depth 8 and 500 of depth 8. Explained: 2,000 other rows with 5% of values missing. For one
 * thread and for every core: the time per row of one call on all rows (batch), and of one call
 * per row (single: Seer's {@code contributions(row)}; XGBoost's with a one-row DMatrix built in
 * the call, as an explainer serving requests would), the median of the repeats; and the largest
 * difference from XGBoost4J's values. Seer's time to compile the tables is reported apart.
 *
 * <p>Run: {@code ./mvnw -B -ntp -o -q package -DskipTests -Dmdep.analyze.skip=true -pl seer-bench -am}, then
 * {@code java -Xmx6g -cp "seer-bench/target/classes:seer-bench/target/lib/*" dev.seer.bench.TreeShapBench
 * [--models 100x6,100x8,500x8] [--rows 2000] [--repeats 5] [--python yes|no]}.
 */
public final class TreeShapBench {
    static final int FEATURES = 20;
    static final int TRAIN = 20_000;

    private TreeShapBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int rows = Integer.parseInt(options.getOrDefault("--rows", "2000"));
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "5"));
        boolean python = options.getOrDefault("--python", "yes").equals("yes");
        int cores = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("treeshap-bench");
        float[] train = features(TRAIN, 1, 0);
        float[] explain = features(rows, 2, 0.05);
        Path rowsFile = dir.resolve("rows.f32");
        write(explain, rowsFile);
        System.out.printf(Locale.ROOT, "%d cores; %d rows explained; medians of %d repeats; times in microseconds per row%n",
                cores, rows, repeats);
        System.out.printf(Locale.ROOT, "%-8s %-7s %-6s | %9s %9s %9s | %7s %7s | %10s | %s%n", "model", "threads", "mode",
                "Seer", "XGB4J", "Python", "x XGB4J", "x Py", "max |diff|", "tables");
        for (String model : options.getOrDefault("--models", "100x6,100x8,500x8").split(",")) {
            int trees = Integer.parseInt(model.split("x")[0]);
            int depth = Integer.parseInt(model.split("x")[1]);
            Booster booster = train(train, trees, depth);
            try {
                run(model, booster, explain, rows, repeats, cores, python ? pythonModel(booster, dir) : null, rowsFile);
            } finally {
                booster.dispose();
            }
        }
    }

    private static void run(String model, Booster booster, float[] explain, int rows, int repeats, int cores, Path pyModel,
            Path rowsFile) throws Exception {
        long start = System.nanoTime();
        TreeShap shap = TreeShap.of(TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj")));
        double compileMs = (System.nanoTime() - start) / 1e6;
        double[][] table = doubles(explain, rows);
        DMatrix matrix = new DMatrix(explain, rows, FEATURES, Float.NaN);
        float[][] reference = booster.predictContrib(matrix, 0);
        double diff = maxDiff(shap.contributions(table, cores), reference);
        String tables = String.format(Locale.ROOT, "%.0f MiB, compiled in %.0f ms", shap.tableBytes() / 1048576.0, compileMs);
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            booster.setParam("nthread", threads);
            double seerBatch = median(repeats, () -> shap.contributions(table, threads)) / rows;
            double xgbBatch = median(repeats, () -> booster.predictContrib(matrix, 0)) / rows;
            int single = Math.min(rows, 200);
            double seerRow = median(repeats, () -> {
                for (int r = 0; r < single; r++) {
                    shap.contributions(table[r]);
                }
            }) / single;
            double xgbRow = median(repeats, () -> {
                for (int r = 0; r < single; r++) {
                    DMatrix one = new DMatrix(Arrays.copyOfRange(explain, r * FEATURES, (r + 1) * FEATURES), 1, FEATURES,
                            Float.NaN);
                    booster.predictContrib(one, 0);
                    one.dispose();
                }
            }) / single;
            double pyBatch = Double.NaN;
            double pyRow = Double.NaN;
            if (pyModel != null) {
                JsonNode peer = python(pyModel, rowsFile, threads, repeats);
                pyBatch = peer.get("batch_seconds").asDouble() / rows;
                pyRow = peer.get("row_seconds").asDouble();
                diff = Math.max(diff, maxDiff(new double[][] {shap.contributions(table[0])}, new float[][] {floats(peer.get("checksum"))}));
            }
            print(model, threads, "batch", seerBatch, xgbBatch, pyBatch, diff, tables);
            print(model, threads, "single", seerRow, xgbRow, pyRow, diff, tables);
        }
        matrix.dispose();
    }

    private static void print(String model, int threads, String mode, double seer, double xgb, double py, double diff,
            String tables) {
        System.out.printf(Locale.ROOT, "%-8s %-7d %-6s | %9.2f %9.2f %9.2f | %7.1f %7.1f | %10.2e | %s%n", model, threads, mode,
                seer * 1e6, xgb * 1e6, py * 1e6, xgb / seer, py / seer, diff, tables);
    }

    /** Rows of standard-normal features; {@code missing}: the share of values set to NaN. */
    static float[] features(int rows, long seed, double missing) {
        Random random = new Random(seed);
        float[] x = new float[rows * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble() < missing ? Float.NaN : (float) random.nextGaussian();
        }
        return x;
    }

    private static Booster train(float[] x, int trees, int depth) throws XGBoostError {
        float[] y = new float[TRAIN];
        Random random = new Random(3);
        for (int i = 0; i < TRAIN; i++) {
            int o = i * FEATURES;
            double logit = x[o] * x[o + 1] + Math.sin(2 * x[o + 2]) + 0.5 * x[o + 3] * x[o + 3] - 0.5 + 0.8 * x[o + 4]
                    - 0.6 * x[o + 5] + 0.7 * Math.abs(x[o + 6]) - 0.56 + (x[o + 8] > 0 ? 0.5 * x[o + 7] : 0) + 0.3 * x[o + 9];
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(x, TRAIN, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", depth, "eta", 0.1,
                "nthread", 1, "tree_method", "hist", "seed", 7, "min_child_weight", 1));
        Booster booster = XGBoost.train(matrix, params, trees, new HashMap<>(), null, null);
        matrix.dispose();
        return booster;
    }

    /**
     * The model as JSON for Python xgboost 1.7.4: XGBoost 3 writes base_score as {@code "[0.5]"},
     * which 1.7.4 reads as another number; written as one number, the two read the same model.
     */
    private static Path pythonModel(Booster booster, Path dir) throws XGBoostError, IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode model = json.readTree(booster.toByteArray("json"));
        ObjectNode params = (ObjectNode) model.path("learner").path("learner_model_param");
        params.put("base_score", params.get("base_score").asText().replace("[", "").replace("]", ""));
        Path file = dir.resolve("model.json");
        json.writeValue(file.toFile(), model);
        return file;
    }

    private static JsonNode python(Path model, Path rows, int threads, int repeats) throws Exception {
        Path script = Path.of(System.getProperty("seer.bench.python", "seer-bench/src/main/python/treeshap_peer.py"));
        Process process = new ProcessBuilder("/usr/bin/python3", script.toString(), model.toString(), rows.toString(),
                Integer.toString(FEATURES), Integer.toString(threads), Integer.toString(repeats))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("treeshap_peer.py failed: " + out);
        }
        return new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    private interface Work {
        void run() throws Exception;
    }

    /** The median wall time of {@code repeats} runs after one warm-up, in seconds. */
    private static double median(int repeats, Work work) throws Exception {
        work.run();
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            work.run();
            times.add((System.nanoTime() - start) / 1e9);
        }
        times.sort(Double::compare);
        return times.get(times.size() / 2);
    }

    private static double maxDiff(double[][] ours, float[][] theirs) {
        double worst = 0;
        for (int r = 0; r < ours.length; r++) {
            for (int j = 0; j < ours[r].length; j++) {
                worst = Math.max(worst, Math.abs(ours[r][j] - theirs[r][j]));
            }
        }
        return worst;
    }

    private static double[][] doubles(float[] x, int rows) {
        double[][] table = new double[rows][FEATURES];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < FEATURES; j++) {
                table[i][j] = x[i * FEATURES + j];
            }
        }
        return table;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static void write(float[] x, Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(x.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            buffer.putFloat(v);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(buffer.array());
        }
    }
}

package dev.seer.bench;

import dev.seer.explain.Attribution;
import dev.seer.explain.KernelShap;
import dev.seer.models.Model;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * KernelSHAP (issue 16) at default settings on a 20-feature model: the time per row explained.
 *
 * <p>Model: binary:logistic on 20 standard-normal features (the task of {@link TreeShapBench}),
 * trained by XGBoost4J ({@code hist}, one thread) on 20,000 rows, written as JSON and loaded
 * through {@code Models.load} as any served model is; so KernelSHAP sees only {@code predict}.
 * Background: 1,000 other rows, summarised by k-means to 50 weighted centres (what
 * {@code KernelShap.of} does past 100 rows). Explained: {@code --rows} rows one at a time at
 * nsamples "auto" (2·20 + 2048 = 2,088 coalitions × 50 background rows = 104,400 model rows per
 * row). Reported: the median over {@code --repeats} of the time per row, the share of it spent in
 * the model's {@code predict}, and the largest additivity error.
 *
 * <p>Run: {@code ./mvnw -B -ntp -o -q package -DskipTests -Dmdep.analyze.skip=true -pl seer-bench -am}, then
 * {@code java -Xmx3g -cp "seer-bench/target/classes:seer-bench/target/lib/*" dev.seer.bench.KernelShapBench
 * [--trees 100] [--depth 6] [--rows 10] [--repeats 5]}. XGBoost predicts on its default threads;
 * set {@code OMP_NUM_THREADS=1} for one.
 */
public final class KernelShapBench {
    private KernelShapBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        int trees = Integer.parseInt(options.getOrDefault("--trees", "100"));
        int depth = Integer.parseInt(options.getOrDefault("--depth", "6"));
        int rows = Integer.parseInt(options.getOrDefault("--rows", "10"));
        int repeats = Integer.parseInt(options.getOrDefault("--repeats", "5"));
        byte[] bytes = train(trees, depth);
        String inputs = IntStream.range(0, TreeShapBench.FEATURES).mapToObj(i -> "f" + i + ":float32")
                .collect(Collectors.joining(","));
        try (Model loaded = Models.load(ModelFormat.XGBOOST_JSON, bytes, Signature.parse(inputs + "->probability"))) {
            Timed model = new Timed(loaded);
            long start = System.nanoTime();
            KernelShap shap = KernelShap.of(model, doubles(TreeShapBench.features(1000, 5, 0), 1000), KernelShap.AUTO, 1);
            double setup = (System.nanoTime() - start) / 1e9;
            double[][] explain = doubles(TreeShapBench.features(rows, 2, 0.05), rows);
            run(shap, model, explain, repeats, setup, trees, depth);
        }
    }

    private static void run(KernelShap shap, Timed model, double[][] explain, int repeats, double setup, int trees, int depth) {
        double worst = 0;
        for (double[] row : explain) {
            for (Attribution a : shap.explain(row)) {
                worst = Math.max(worst, Math.abs(a.sum() - a.value()));
            }
        }
        List<Double> perRow = new ArrayList<>();
        List<Double> inModel = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            model.nanos.set(0);
            long start = System.nanoTime();
            for (double[] row : explain) {
                shap.explain(row);
            }
            long elapsed = System.nanoTime() - start;
            perRow.add(elapsed / 1e6 / explain.length);
            inModel.add((double) model.nanos.get() / elapsed);
        }
        System.out.printf(Locale.ROOT, "model %d trees depth %d, 20 features; background 1000 rows -> 50 k-means centres (%.2f s "
                + "incl. k-means); nsamples auto (2088); %d rows x %d repeats; %d cores%n", trees, depth, setup, explain.length,
                repeats, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "time per row: median %.1f ms (min %.1f, max %.1f); share in model.predict %.0f%%; "
                + "max |sum - f(x)| %.2e%n", median(perRow), perRow.stream().mapToDouble(d -> d).min().orElseThrow(),
                perRow.stream().mapToDouble(d -> d).max().orElseThrow(), 100 * median(inModel), worst);
    }

    private static byte[] train(int trees, int depth) throws Exception {
        int n = TreeShapBench.TRAIN;
        int width = TreeShapBench.FEATURES;
        float[] x = TreeShapBench.features(n, 1, 0);
        float[] y = new float[n];
        Random random = new Random(3);
        for (int i = 0; i < n; i++) {
            int o = i * width;
            double logit = x[o] * x[o + 1] + Math.sin(2 * x[o + 2]) + 0.5 * x[o + 3] * x[o + 3] - 0.5 + 0.8 * x[o + 4]
                    - 0.6 * x[o + 5] + 0.7 * Math.abs(x[o + 6]) - 0.56 + (x[o + 8] > 0 ? 0.5 * x[o + 7] : 0) + 0.3 * x[o + 9];
            y[i] = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(x, n, width, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", "binary:logistic", "max_depth", depth, "eta", 0.1,
                "nthread", 1, "tree_method", "hist", "seed", 7));
        Booster booster = XGBoost.train(matrix, params, trees, new HashMap<>(), null, null);
        try {
            return booster.toByteArray("json");
        } finally {
            booster.dispose();
            matrix.dispose();
        }
    }

    private static double[][] doubles(float[] x, int rows) {
        int width = TreeShapBench.FEATURES;
        double[][] out = new double[rows][width];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                out[r][j] = x[r * width + j];
            }
        }
        return out;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    /** The model, with the wall time spent in its predict calls. */
    private static final class Timed implements Model {
        final AtomicLong nanos = new AtomicLong();
        private final Model model;

        Timed(Model model) {
            this.model = model;
        }

        @Override
        public Signature signature() {
            return model.signature();
        }

        @Override
        public ModelFormat format() {
            return model.format();
        }

        @Override
        public double[][] predict(double[][] rows) {
            long start = System.nanoTime();
            try {
                return model.predict(rows);
            } finally {
                nanos.addAndGet(System.nanoTime() - start);
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}

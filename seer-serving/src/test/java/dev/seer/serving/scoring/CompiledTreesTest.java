package dev.seer.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
import dev.seer.models.Model;
import dev.seer.models.ModelErrorCode;
import dev.seer.models.ModelFormat;
import dev.seer.models.Models;
import dev.seer.models.OutputKind;
import dev.seer.models.Signature;
import dev.seer.serving.ServingErrorCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/**
 * The compiled trees give XGBoost4J's own predictions (its {@code predict} on a DMatrix, a code
 * path apart from the in-place prediction {@link Models#load} uses) within 1e-6 relative, row for
 * row: for binary, regression and multiclass models, deep trees, rows with missing values and rows
 * wholly missing, models saved as JSON and as UBJ, one row at a time and in batches of every size
 * the scorer splits differently (a remainder of rows, more than one block).
 */
class CompiledTreesTest {
    private static final int FEATURES = 7;

    /** A model trained here; its test rows (a tenth of the values missing, the last row all missing). */
    private record Trained(Booster booster, Signature signature, float[] rows, int count) {}

    private static Trained train(String objective, Map<String, Object> extra, int rounds, long seed) throws XGBoostError {
        Random random = new Random(seed);
        int n = 700;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = i == n - 1 || random.nextDouble() < 0.1 ? Float.NaN : (float) random.nextGaussian();
            }
            double signal = nan0(x[i * FEATURES]) + 0.5 * nan0(x[i * FEATURES + 1]) * nan0(x[i * FEATURES + 2])
                    + (Float.isNaN(x[i * FEATURES + 3]) ? 0.7 : Math.sin(2 * x[i * FEATURES + 3]));
            y[i] = switch (objective) {
                case "multi:softprob" -> signal < -0.5 ? 0 : signal < 0.5 ? 1 : 2;
                case "binary:logistic" -> random.nextDouble() < 1 / (1 + Math.exp(-2 * signal)) ? 1 : 0;
                default -> (float) (signal + 0.1 * random.nextGaussian());
            };
        }
        DMatrix matrix = new DMatrix(x, n, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 5, "eta", 0.3,
                "nthread", 1, "tree_method", "hist", "seed", seed));
        params.putAll(extra);
        Booster booster = XGBoost.train(matrix, params, rounds, new HashMap<>(), null, null);
        matrix.dispose();
        return new Trained(booster, signature(objective), x, n);
    }

    private static Signature signature(String objective) {
        StringJoiner inputs = new StringJoiner(",");
        for (int j = 0; j < FEATURES; j++) {
            inputs.add("f" + j + ":float64");
        }
        String output = switch (objective) {
            case "multi:softprob" -> "class-probabilities(3)";
            case "binary:logistic" -> "probability";
            default -> "value";
        };
        return Signature.parse(inputs + "->" + output);
    }

    private static double nan0(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    @Test
    void binaryModelsGiveXGBoostsProbabilities() throws XGBoostError {
        check(train("binary:logistic", Map.of(), 23, 1));
    }

    @Test
    void regressionModelsGiveXGBoostsValues() throws XGBoostError {
        check(train("reg:squarederror", Map.of(), 17, 2));
    }

    @Test
    void multiclassModelsGiveXGBoostsClassProbabilities() throws XGBoostError {
        check(train("multi:softprob", Map.of("num_class", 3), 9, 3));
    }

    @Test
    void deepTreesAndAnInterceptGiveXGBoostsProbabilities() throws XGBoostError {
        check(train("binary:logistic", Map.of("max_depth", 10, "min_child_weight", 0, "base_score", 0.3), 12, 4));
    }

    @Test
    void lossGuidedTreesOfUnevenDepthGiveXGBoostsValues() throws XGBoostError {
        check(train("reg:squarederror", Map.of("grow_policy", "lossguide", "max_depth", 0, "max_leaves", 40), 6, 5));
    }

    private static void check(Trained trained) throws XGBoostError {
        try {
            DMatrix matrix = new DMatrix(trained.rows(), trained.count(), FEATURES, Float.NaN);
            float[][] expected = trained.booster().predict(matrix);
            matrix.dispose();
            double[] rows = new double[trained.count() * FEATURES];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = trained.rows()[i];
            }
            for (String encoding : List.of("json", "ubj")) {
                ModelFormat format = encoding.equals("json") ? ModelFormat.XGBOOST_JSON : ModelFormat.XGBOOST_UBJ;
                byte[] bytes = trained.booster().toByteArray(encoding);
                try (Scorer scorer = Scorers.of(format, bytes, trained.signature())) {
                    assertThat(scorer).isInstanceOf(CompiledTrees.class);
                    assertSame(encoding + " single rows", singly(scorer, rows, trained.count()), expected);
                    for (int count : new int[] {3, 5, CompiledTrees.BLOCK + 1, trained.count()}) {
                        double[] out = new double[count * scorer.signature().width()];
                        scorer.score(Arrays.copyOf(rows, count * FEATURES), count, out);
                        assertSame(encoding + " batch of " + count, out, expected);
                    }
                    if (trained.signature().output() == OutputKind.VALUE) {
                        // no link: the outputs are the margins, summed in float32 in XGBoost's order, so equal to the bit
                        double[] out = new double[trained.count()];
                        scorer.score(rows, trained.count(), out);
                        for (int r = 0; r < trained.count(); r++) {
                            assertThat(out[r]).as("row " + r).isEqualTo(expected[r][0]);
                        }
                    }
                }
                try (Model model = Models.load(format, bytes, trained.signature())) {
                    double[][] predicted = model.predict(table(rows, trained.count()));
                    assertSame(encoding + " Model.predict", flat(predicted), expected);
                }
            }
        } finally {
            trained.booster().dispose();
        }
    }

    private static double[] singly(Scorer scorer, double[] rows, int count) {
        int width = scorer.signature().width();
        double[] out = new double[count * width];
        for (int r = 0; r < count; r++) {
            double[] one = scorer.score(Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES));
            System.arraycopy(one, 0, out, r * width, width);
        }
        return out;
    }

    /** Each output within 1e-6 relative of XGBoost's, for the first {@code out.length / width} rows. */
    private static void assertSame(String what, double[] out, float[][] expected) {
        int width = expected[0].length;
        List<String> wrong = new ArrayList<>();
        for (int r = 0; r < out.length / width; r++) {
            for (int k = 0; k < width; k++) {
                double ours = out[r * width + k];
                float theirs = expected[r][k];
                if (!(Math.abs(ours - theirs) <= 1e-6 * Math.abs(theirs))) {
                    wrong.add("row " + r + " output " + k + ": " + ours + " vs " + theirs);
                }
            }
        }
        assertThat(wrong).as(what).isEmpty();
    }

    private static double[][] table(double[] rows, int count) {
        double[][] table = new double[count][];
        for (int r = 0; r < count; r++) {
            table[r] = Arrays.copyOfRange(rows, r * FEATURES, (r + 1) * FEATURES);
        }
        return table;
    }

    private static double[] flat(double[][] rows) {
        int width = rows[0].length;
        double[] flat = new double[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return flat;
    }

    @Test
    void aBatchOfTheWrongWidthIsRefusedNamingTheInputs() throws XGBoostError {
        Trained trained = train("binary:logistic", Map.of(), 3, 6);
        try (Scorer scorer = Scorers.of(ModelFormat.XGBOOST_UBJ, trained.booster().toByteArray("ubj"), trained.signature())) {
            assertThatThrownBy(() -> scorer.score(new double[2 * FEATURES - 1], 2, new double[2]))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT))
                    .hasMessageContaining("batch of [2] rows has [13] values")
                    .hasMessageContaining("takes [7] inputs per row [f0, f1, f2, f3, f4, f5, f6]");
            assertThatThrownBy(() -> scorer.score(new double[FEATURES + 1]))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ServingErrorCode.INVALID_INPUT));
            assertThatThrownBy(() -> scorer.score(new double[2 * FEATURES], 2, new double[1]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out holds [1] numbers");
        } finally {
            trained.booster().dispose();
        }
    }

    @Test
    void aSignatureThatIsNotTheModelsIsRefusedAsModelsLoadRefusesIt() throws XGBoostError {
        Trained trained = train("binary:logistic", Map.of(), 3, 7);
        try {
            byte[] bytes = trained.booster().toByteArray("json");
            Signature wrongOutput = signature("reg:squarederror");

            assertThatThrownBy(() -> Scorers.of(ModelFormat.XGBOOST_JSON, bytes, wrongOutput))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH));
            assertThatThrownBy(() -> Scorers.of(ModelFormat.XGBOOST_JSON, bytes, Signature.parse("a:float64->probability")))
                    .isInstanceOfSatisfying(SeerException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(ModelErrorCode.SIGNATURE_MISMATCH));
        } finally {
            trained.booster().dispose();
        }
    }

    @Test
    void anEmptyBatchScoresNothing() throws XGBoostError {
        Trained trained = train("reg:squarederror", Map.of(), 2, 8);
        try (Scorer scorer = Scorers.of(ModelFormat.XGBOOST_UBJ, trained.booster().toByteArray("ubj"), trained.signature())) {
            double[] out = {42};
            scorer.score(new double[0], 0, out);
            assertThat(out).containsExactly(42);
        } finally {
            trained.booster().dispose();
        }
    }

    @Test
    void keysOrderAsTheFloatsDoWithOneKeyForZeroAndTheGreatestForNaN() {
        Random random = new Random(9);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, -1f, Math.nextUp(1f), Math.nextDown(-1f)};
        List<Float> values = new ArrayList<>();
        for (float v : special) {
            values.add(v);
        }
        for (int i = 0; i < 2000; i++) {
            values.add(i % 2 == 0 ? (float) random.nextGaussian() : Float.intBitsToFloat(random.nextInt()));
        }
        values.removeIf(v -> Float.isNaN(v));
        for (float a : values) {
            for (int j = 0; j < 20; j++) {
                float b = values.get(random.nextInt(values.size()));
                assertThat(CompiledTrees.key(a) >= CompiledTrees.key(b)).as(a + " >= " + b).isEqualTo(a >= b);
            }
            assertThat(CompiledTrees.key(a)).isLessThan(Integer.MAX_VALUE);
        }
        assertThat(CompiledTrees.key(-0f)).isEqualTo(CompiledTrees.key(0f));
        assertThat(CompiledTrees.key(Float.NaN)).isEqualTo(CompiledTrees.key(Float.intBitsToFloat(0xffc00001)))
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void threadsScoringAtOnceGetWhatOneThreadGets() throws Exception {
        Trained trained = train("multi:softprob", Map.of("num_class", 3), 5, 10);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (Scorer scorer = Scorers.of(ModelFormat.XGBOOST_UBJ, trained.booster().toByteArray("ubj"), trained.signature())) {
            double[] rows = new double[trained.count() * FEATURES];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = trained.rows()[i];
            }
            double[] alone = new double[trained.count() * 3];
            scorer.score(rows, trained.count(), alone);
            List<Future<double[]>> results = new ArrayList<>();
            for (int task = 0; task < 16; task++) {
                boolean single = task % 2 == 0;
                results.add(pool.submit(() -> single ? singly(scorer, rows, trained.count()) : batch(scorer, rows, trained.count())));
            }
            for (Future<double[]> result : results) {
                assertThat(result.get()).containsExactly(alone);
            }
        } finally {
            pool.shutdownNow();
            trained.booster().dispose();
        }
    }

    private static double[] batch(Scorer scorer, double[] rows, int count) {
        double[] out = new double[count * scorer.signature().width()];
        scorer.score(rows, count, out);
        return out;
    }
}

package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.models.ModelFormat;
import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/**
 * TreeSHAP against XGBoost's own {@code predictContrib} on the same models and rows: binary,
 * regression, multiclass, missing values, random forests, depth up to 10, with the leaf tables and
 * without them; and the values add up to the margin. Interaction values against XGBoost's.
 */
class TreeShapTest {
    private static final int FEATURES = 8;

    private record Data(float[] x, float[] y, int rows) {
        DMatrix matrix() throws XGBoostError {
            DMatrix m = new DMatrix(x, rows, FEATURES, Float.NaN);
            m.setLabel(y);
            return m;
        }

        double[][] table() {
            double[][] t = new double[rows][FEATURES];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < FEATURES; j++) {
                    t[i][j] = x[i * FEATURES + j];
                }
            }
            return t;
        }
    }

    /** 800 rows, features correlated and a tenth missing, a label of the kind asked. */
    private static Data data(String kind, long seed) {
        Random random = new Random(seed);
        int n = 800;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double shared = random.nextGaussian();
            for (int j = 0; j < FEATURES; j++) {
                double v = j < 3 ? 0.6 * shared + 0.8 * random.nextGaussian() : random.nextGaussian();
                x[i * FEATURES + j] = random.nextDouble() < 0.1 ? Float.NaN : (float) v;
            }
            double s = nan0(x[i * FEATURES]) + nan0(x[i * FEATURES + 1]) * nan0(x[i * FEATURES + 2])
                    - 0.5 * nan0(x[i * FEATURES + 4]) + (Float.isNaN(x[i * FEATURES + 5]) ? 0.8 : 0);
            y[i] = switch (kind) {
                case "multiclass" -> s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
                case "binary" -> random.nextDouble() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0;
                default -> (float) (s + 0.2 * random.nextGaussian());
            };
        }
        return new Data(x, y, n);
    }

    private static double nan0(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    private static Booster train(Data data, Map<String, Object> params, int rounds) throws XGBoostError {
        Map<String, Object> all = new HashMap<>(Map.of("eta", 0.3, "nthread", 1, "tree_method", "hist", "seed", 3));
        all.putAll(params);
        return XGBoost.train(data.matrix(), all, rounds, new HashMap<>(), null, null);
    }

    @Test
    void contributionsEqualXGBoostsOnEveryKindOfModelWithAndWithoutTables() throws Exception {
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("binary depth 6", new Object[] {"binary", Map.of("objective", "binary:logistic", "max_depth", 6), 30});
        cases.put("regression depth 4", new Object[] {"regression", Map.of("objective", "reg:squarederror", "max_depth", 4), 40});
        cases.put("multiclass depth 5", new Object[] {"multiclass", Map.of("objective", "multi:softprob", "num_class", 3,
                "max_depth", 5), 15});
        cases.put("binary depth 10", new Object[] {"binary", Map.of("objective", "binary:logistic", "max_depth", 10,
                "min_child_weight", 0.1), 10});
        cases.put("random forest", new Object[] {"binary", Map.of("objective", "binary:logistic", "max_depth", 7,
                "num_parallel_tree", 25, "subsample", 0.8, "colsample_bynode", 0.7, "eta", 1), 1});
        List<String> wrong = new ArrayList<>();
        eachCase(cases, (name, data, booster) -> {
            float[][] reference = booster.predictContrib(data.matrix(), 0);
            float[][] margins = booster.predict(data.matrix(), true);
            TreeEnsemble ensemble = TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"));
            for (long budget : new long[] {TreeShap.DEFAULT_TABLE_BUDGET_BYTES, 0}) {
                TreeShap shap = TreeShap.of(ensemble, budget);
                assertThat(shap.tableBytes() > 0).as("tables built").isEqualTo(budget > 0);
                double[][] ours = shap.contributions(data.table(), 2);
                compare(name + (budget > 0 ? " with tables" : " without"), ours, reference, margins, shap, wrong);
            }
        });
        assertThat(wrong).as("contributions that differ from XGBoost's or do not add up").isEmpty();
    }

    private static void compare(String what, double[][] ours, float[][] reference, float[][] margins, TreeShap shap,
            List<String> wrong) {
        int width = shap.features() + 1;
        for (int r = 0; r < ours.length && wrong.size() < 20; r++) {
            assertThat(ours[r]).hasSize(reference[r].length);
            for (int j = 0; j < ours[r].length; j++) {
                if (Math.abs(ours[r][j] - reference[r][j]) > 1e-5 * Math.max(1, Math.abs(reference[r][j]))) {
                    wrong.add(what + " row " + r + " column " + j + ": " + ours[r][j] + " vs XGBoost " + reference[r][j]);
                }
            }
            for (int g = 0; g < shap.groups(); g++) {
                double sum = 0;
                for (int j = 0; j < width; j++) {
                    sum += ours[r][g * width + j];
                }
                if (Math.abs(sum - margins[r][g]) > 1e-5 * Math.max(1, Math.abs(margins[r][g]))) {
                    wrong.add(what + " row " + r + " group " + g + ": sums to " + sum + ", margin " + margins[r][g]);
                }
            }
        }
    }

    /**
     * Interaction values against XGBoost's own ({@code pred_interactions}, which XGBoost4J's Java API
     * does not expose: its native predict is called with the interactions bit of the C API's option
     * mask), on binary with missing values, regression and multiclass models.
     */
    @Test
    void interactionValuesEqualXGBoostsOnEveryKindOfModel() throws Exception {
        Map<String, Object[]> cases = new java.util.LinkedHashMap<>();
        cases.put("binary depth 5", new Object[] {"binary", Map.of("objective", "binary:logistic", "max_depth", 5), 12});
        cases.put("regression depth 4", new Object[] {"regression", Map.of("objective", "reg:squarederror", "max_depth", 4), 10});
        cases.put("multiclass depth 3", new Object[] {"multiclass", Map.of("objective", "multi:softprob", "num_class", 3,
                "max_depth", 3), 5});
        List<String> wrong = new ArrayList<>();
        eachCase(cases, (name, data, booster) -> {
            float[] reference = xgboostInteractions(booster, data.matrix());
            TreeInteractions ours = TreeInteractions.of(TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj")));
            double[][] rows = data.table();
            int per = reference.length / rows.length;
            for (int r = 0; r < rows.length && wrong.size() < 20; r += 7) {
                double[] matrix = ours.interactions(rows[r]);
                assertThat(matrix).hasSize(per);
                for (int j = 0; j < per; j++) {
                    float expected = reference[r * per + j];
                    if (Math.abs(matrix[j] - expected) > 1e-5 * Math.max(1, Math.abs(expected))) {
                        wrong.add(name + " row " + r + " cell " + j + ": " + matrix[j] + " vs XGBoost " + expected);
                    }
                }
            }
        });
        assertThat(wrong).as("interaction values that differ from XGBoost's").isEmpty();
    }

    private interface Case {
        void check(String name, Data data, Booster booster) throws Exception;
    }

    /** Trains each case's model on its data (kind, parameters, rounds) and checks it. */
    private static void eachCase(Map<String, Object[]> cases, Case check) throws Exception {
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Data data = data((String) c.getValue()[0], c.getKey().hashCode());
            @SuppressWarnings("unchecked")
            Booster booster = train(data, (Map<String, Object>) c.getValue()[1], (Integer) c.getValue()[2]);
            try {
                check.check(c.getKey(), data, booster);
            } finally {
                booster.dispose();
            }
        }
    }

    /** XGBoost's interaction values, flat: rows × groups × (features + 1)². */
    private static float[] xgboostInteractions(Booster booster, DMatrix matrix) throws Exception {
        java.lang.reflect.Field handle = Booster.class.getDeclaredField("handle");
        handle.setAccessible(true);
        float[][] out = new float[1][];
        int predInteractions = 16; // XGBoosterPredict's option mask: 4 contributions, 16 interactions
        int status = ml.dmlc.xgboost4j.java.XGBoostJNI.XGBoosterPredict((long) handle.get(booster), matrix.getHandle(),
                predInteractions, 0, out);
        assertThat(status).as(ml.dmlc.xgboost4j.java.XGBoostJNI.XGBGetLastError()).isZero();
        return out[0];
    }

    @Test
    void oneRowAndManyThreadsGiveTheSameValues() throws XGBoostError {
        Data data = data("binary", 17);
        Booster booster = train(data, Map.of("objective", "binary:logistic", "max_depth", 5), 20);
        try {
            TreeShap shap = TreeShap.of(TreeEnsemble.read(ModelFormat.XGBOOST_JSON, booster.toByteArray("json")));
            double[][] rows = data.table();
            double[][] batch = shap.contributions(rows, 4);
            double[][] single = shap.contributions(rows, 1);
            for (int r = 0; r < rows.length; r += 37) {
                assertThat(shap.contributions(rows[r])).containsExactly(batch[r]);
                assertThat(single[r]).containsExactly(batch[r]);
            }
        } finally {
            booster.dispose();
        }
    }
}

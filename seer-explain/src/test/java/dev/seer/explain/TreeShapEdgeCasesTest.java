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
import org.junit.jupiter.api.Test;

/** Edge cases of TreeSHAP against XGBoost's predictContrib: one feature, single-leaf trees, extreme values. */
class TreeShapEdgeCasesTest {
    private static void check(String what, int features, float[] x, float[] y, Map<String, Object> params, int rounds,
            float[] probe, List<String> wrong) throws Exception {
        int rows = y.length;
        DMatrix train = new DMatrix(x, rows, features, Float.NaN);
        train.setLabel(y);
        Map<String, Object> all = new HashMap<>(Map.of("eta", 0.3, "nthread", 1, "tree_method", "hist", "seed", 3));
        all.putAll(params);
        Booster booster = XGBoost.train(train, all, rounds, new HashMap<>(), null, null);
        try {
            int probes = probe.length / features;
            DMatrix m = new DMatrix(probe, probes, features, Float.NaN);
            float[][] reference = booster.predictContrib(m, 0);
            TreeEnsemble ensemble = TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"));
            for (long budget : new long[] {TreeShap.DEFAULT_TABLE_BUDGET_BYTES, 0}) {
                TreeShap shap = TreeShap.of(ensemble, budget);
                for (int r = 0; r < probes; r++) {
                    double[] row = new double[features];
                    for (int j = 0; j < features; j++) {
                        row[j] = probe[r * features + j];
                    }
                    double[] ours = shap.contributions(row);
                    for (int j = 0; j < ours.length; j++) {
                        if (!(Math.abs(ours[j] - reference[r][j]) <= 1e-5 * Math.max(1, Math.abs(reference[r][j])))) {
                            wrong.add(what + " budget " + budget + " row " + r + " col " + j + ": " + ours[j] + " vs "
                                    + reference[r][j]);
                        }
                    }
                }
            }
        } finally {
            booster.dispose();
        }
    }

    @Test
    void edgeCasesEqualXGBoost() throws Exception {
        List<String> wrong = new ArrayList<>();
        Random random = new Random(9);
        int n = 400;
        float[] x1 = new float[n];
        float[] y1 = new float[n];
        for (int i = 0; i < n; i++) {
            x1[i] = random.nextDouble() < 0.1 ? Float.NaN : (float) random.nextGaussian();
            y1[i] = (float) ((Float.isNaN(x1[i]) ? 1 : x1[i]) + 0.1 * random.nextGaussian());
        }
        float[] probe1 = {0f, 1f, -1f, Float.NaN, 1e30f, -1e30f};
        check("one feature", 1, x1, y1, Map.of("objective", "reg:squarederror", "max_depth", 4), 20, probe1, wrong);
        // no split is worth it: every tree is a single leaf
        check("single leaves", 1, x1, y1, Map.of("objective", "reg:squarederror", "max_depth", 4, "gamma", 1e9), 5, probe1,
                wrong);
        int f = 30;
        float[] x = new float[n * f];
        float[] yb = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                x[i * f + j] = random.nextDouble() < 0.05 ? Float.NaN : (float) random.nextGaussian();
                s += Float.isNaN(x[i * f + j]) ? 0 : x[i * f + j] * ((j % 3) - 1);
            }
            yb[i] = random.nextDouble() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
        }
        float[] probe = new float[20 * f];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = i % 7 == 0 ? Float.NaN : (float) random.nextGaussian();
        }
        check("deep wide lossguide", f, x, yb, Map.of("objective", "binary:logistic", "max_depth", 0, "grow_policy",
                "lossguide", "max_leaves", 200, "min_child_weight", 0.01, "lambda", 0.01), 3, probe, wrong);
        check("deep wide depthwise", f, x, yb, Map.of("objective", "binary:logistic", "max_depth", 30,
                "min_child_weight", 0.01, "lambda", 0.01), 3, probe, wrong);
        assertThat(wrong).isEmpty();
    }
}

package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seer.core.SeerException;
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
 * Interventional TreeSHAP against the definition: Shapley values computed by enumerating every
 * coalition of the game v(S) = mean over the background of the margin at (x_S, r_~S), on models
 * with correlated features, repeated features on a path, missing values and several classes.
 */
class InterventionalTreeShapTest {
    private static final int FEATURES = 6;

    private static TreeEnsemble model(String objective, Map<String, Object> extra, long seed) throws XGBoostError {
        Random random = new Random(seed);
        int n = 600;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double shared = random.nextGaussian();
            for (int j = 0; j < FEATURES; j++) {
                double v = j < 3 ? 0.7 * shared + 0.7 * random.nextGaussian() : random.nextGaussian();
                x[i * FEATURES + j] = random.nextDouble() < 0.08 ? Float.NaN : (float) v;
            }
            double s = z(x[i * FEATURES]) * z(x[i * FEATURES + 1]) + Math.sin(2 * z(x[i * FEATURES + 2])) - z(x[i * FEATURES + 3]);
            y[i] = objective.startsWith("multi") ? (s < -0.5 ? 0 : s < 0.5 ? 1 : 2)
                    : objective.startsWith("binary") ? (random.nextDouble() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0) : (float) s;
        }
        DMatrix matrix = new DMatrix(x, n, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 5, "eta", 0.3, "nthread", 1,
                "tree_method", "hist", "seed", 1));
        params.putAll(extra);
        Booster booster = XGBoost.train(matrix, params, 12, new HashMap<>(), null, null);
        try {
            return TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"));
        } finally {
            booster.dispose();
        }
    }

    private static double z(float v) {
        return Float.isNaN(v) ? 0 : v;
    }

    @Test
    void valuesAreTheShapleyValuesOfTheInterventionalGameAndAddUpToTheMargin() throws XGBoostError {
        Random random = new Random(5);
        double[][] background = rows(random, 7);
        double[][] explained = rows(random, 6);
        List<String> wrong = new ArrayList<>();
        for (String objective : List.of("binary:logistic", "reg:squarederror", "multi:softprob")) {
            TreeEnsemble ensemble = model(objective, objective.startsWith("multi") ? Map.of("num_class", 3) : Map.of(), 3);
            InterventionalTreeShap shap = InterventionalTreeShap.of(ensemble, background);
            for (double[] x : explained) {
                double[] ours = shap.contributions(x);
                for (int g = 0; g < ensemble.groups(); g++) {
                    double[] exact = bruteForce(ensemble, background, x, g);
                    double sum = 0;
                    for (int i = 0; i <= FEATURES; i++) {
                        double value = ours[g * (FEATURES + 1) + i];
                        sum += value;
                        if (i < FEATURES && Math.abs(value - exact[i]) > 1e-9) {
                            wrong.add(objective + " group " + g + " feature " + i + ": " + value + " vs " + exact[i]);
                        }
                    }
                    if (Math.abs(sum - ensemble.margins(x)[g]) > 1e-9) {
                        wrong.add(objective + " group " + g + ": sums to " + sum + ", margin " + ensemble.margins(x)[g]);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Shapley values by enumerating all 2^M coalitions of v(S) = mean_r margin_g(x_S, r_~S). */
    private static double[] bruteForce(TreeEnsemble ensemble, double[][] background, double[] x, int group) {
        int m = x.length;
        double[] v = new double[1 << m];
        for (int s = 0; s < v.length; s++) {
            for (double[] r : background) {
                double[] hybrid = new double[m];
                for (int i = 0; i < m; i++) {
                    hybrid[i] = (s >>> i & 1) != 0 ? x[i] : r[i];
                }
                v[s] += ensemble.margins(hybrid)[group] / background.length;
            }
        }
        return ShapleyGames.values(v, m);
    }

    private static double[][] rows(Random random, int count) {
        double[][] rows = new double[count][FEATURES];
        for (double[] row : rows) {
            for (int j = 0; j < FEATURES; j++) {
                row[j] = random.nextDouble() < 0.1 ? Double.NaN : random.nextGaussian();
            }
        }
        return rows;
    }

    @Test
    void aBackgroundOfTheWrongShapeIsRefusedNamingTheRow() throws XGBoostError {
        TreeEnsemble ensemble = model("binary:logistic", Map.of(), 4);
        assertThatThrownBy(() -> InterventionalTreeShap.of(ensemble, new double[0][])).isInstanceOf(SeerException.class)
                .hasMessageContaining("[0] rows");
        assertThatThrownBy(() -> InterventionalTreeShap.of(ensemble, new double[][] {new double[FEATURES], new double[3]}))
                .isInstanceOf(SeerException.class).hasMessageContaining("Background row [1] has [3] values");
        assertThatThrownBy(() -> InterventionalTreeShap.of(ensemble, new double[][] {new double[FEATURES]})
                .contributions(new double[2])).isInstanceOf(SeerException.class).hasMessageContaining("[2] values");
    }
}

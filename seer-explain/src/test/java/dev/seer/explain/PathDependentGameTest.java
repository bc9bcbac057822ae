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
 * TreeSHAP and its interaction values against their definitions, independently of XGBoost: the
 * path-dependent game (a feature in the coalition follows the row, one outside it follows both
 * children weighted by cover) enumerated over every coalition, its Shapley values and Shapley
 * interaction indices computed from the enumeration; on models with repeated features on a path,
 * missing values and three classes.
 */
class PathDependentGameTest {
    private static final int FEATURES = 5;

    @Test
    void contributionsAndInteractionsAreTheShapleyValuesAndIndicesOfThePathDependentGame() throws XGBoostError {
        List<String> wrong = new ArrayList<>();
        for (String objective : List.of("binary:logistic", "multi:softprob")) {
            TreeEnsemble ensemble = model(objective);
            TreeShap exact = TreeShap.of(ensemble, 0); // no float tables: the double path
            TreeInteractions interactions = TreeInteractions.of(ensemble);
            Random random = new Random(9);
            for (int r = 0; r < 8; r++) {
                double[] x = new double[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    x[j] = random.nextDouble() < 0.15 ? Double.NaN : random.nextGaussian();
                }
                double[] phi = exact.contributions(x);
                double[] matrix = interactions.interactions(x);
                int width = FEATURES + 1;
                for (int g = 0; g < ensemble.groups(); g++) {
                    double[] v = game(ensemble, x, g);
                    for (int i = 0; i < FEATURES; i++) {
                        expect(wrong, objective + " phi " + i, phi[g * width + i], ShapleyGames.values(v, FEATURES)[i]);
                        double rowSum = 0;
                        for (int j = 0; j < FEATURES; j++) {
                            double value = matrix[g * width * width + i * width + j];
                            rowSum += value;
                            if (j != i) {
                                expect(wrong, objective + " Phi " + i + "," + j, value, ShapleyGames.interaction(v, FEATURES, i, j));
                            }
                        }
                        expect(wrong, objective + " row " + i + " of the matrix", rowSum, phi[g * width + i]);
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    private static void expect(List<String> wrong, String what, double ours, double exact) {
        if (Math.abs(ours - exact) > 1e-9) {
            wrong.add(what + ": " + ours + " vs " + exact);
        }
    }

    /** v(S) for every coalition S (a bit mask over features): Σ over trees of the path-dependent expectation. */
    private static double[] game(TreeEnsemble ensemble, double[] x, int group) {
        double[] v = new double[1 << FEATURES];
        for (int s = 0; s < v.length; s++) {
            for (TreeEnsemble.Tree tree : ensemble.trees()) {
                if (tree.group() == group) {
                    v[s] += expectation(tree, 0, x, s);
                }
            }
        }
        return v;
    }

    private static double expectation(TreeEnsemble.Tree tree, int node, double[] x, int coalition) {
        if (tree.isLeaf(node)) {
            return tree.value(node);
        }
        int f = tree.feature(node);
        if ((coalition >>> f & 1) != 0) {
            return expectation(tree, tree.next(node, x[f]), x, coalition);
        }
        return (tree.cover(tree.left(node)) * expectation(tree, tree.left(node), x, coalition)
                + tree.cover(tree.right(node)) * expectation(tree, tree.right(node), x, coalition)) / tree.cover(node);
    }

    private static TreeEnsemble model(String objective) throws XGBoostError {
        Random random = new Random(2);
        int n = 500;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = random.nextDouble() < 0.1 ? Float.NaN : (float) random.nextGaussian();
            }
            double s = z(x[i * FEATURES]) * z(x[i * FEATURES + 1]) + Math.abs(z(x[i * FEATURES + 2])) - z(x[i * FEATURES + 3]);
            y[i] = objective.startsWith("multi") ? (s < 0 ? 0 : s < 1 ? 1 : 2)
                    : random.nextDouble() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0;
        }
        DMatrix matrix = new DMatrix(x, n, FEATURES, Float.NaN);
        matrix.setLabel(y);
        Map<String, Object> params = new HashMap<>(Map.of("objective", objective, "max_depth", 6, "eta", 0.3, "nthread", 1,
                "tree_method", "hist", "seed", 1));
        if (objective.startsWith("multi")) {
            params.put("num_class", 3);
        }
        Booster booster = XGBoost.train(matrix, params, 6, new HashMap<>(), null, null);
        try {
            return TreeEnsemble.read(ModelFormat.XGBOOST_JSON, booster.toByteArray("json"));
        } finally {
            booster.dispose();
        }
    }

    private static double z(float v) {
        return Float.isNaN(v) ? 0 : v;
    }
}

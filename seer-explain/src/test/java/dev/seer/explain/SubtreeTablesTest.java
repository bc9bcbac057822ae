package dev.seer.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seer.models.ModelFormat;
import dev.seer.models.TreeEnsemble;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/**
 * Subtree tables of every height against the per-leaf computation without tables and against
 * XGBoost's {@code predictContrib}: shallow and deep trees, unbalanced trees (loss-guided growth),
 * the same feature split on again and again along a path (two features, depth 7), missing values
 * both ways, a budget that leaves some trees without tables, and blocks of rows of every size.
 */
class SubtreeTablesTest {
    private record Data(float[] x, float[] y, int rows, int features) {
        DMatrix matrix() throws XGBoostError {
            DMatrix m = new DMatrix(x, rows, features, Float.NaN);
            m.setLabel(y);
            return m;
        }

        double[][] table() {
            double[][] t = new double[rows][features];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < features; j++) {
                    t[i][j] = x[i * features + j];
                }
            }
            return t;
        }
    }

    /** 600 rows, an eighth of the values missing; the label depends on missingness too. */
    private static Data data(int features, long seed) {
        Random random = new Random(seed);
        int n = 600;
        float[] x = new float[n * features];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < features; j++) {
                float v = random.nextDouble() < 0.125 ? Float.NaN : (float) random.nextGaussian();
                x[i * features + j] = v;
                s += Float.isNaN(v) ? 0.4 * (j % 2 == 0 ? 1 : -1) : Math.sin((j + 1) * v);
            }
            y[i] = (float) (s + 0.1 * random.nextGaussian());
        }
        return new Data(x, y, n, features);
    }

    @Test
    void everyHeightEqualsThePerLeafComputationAndXGBoost() throws XGBoostError {
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("depth 3", new Object[] {8, Map.of("max_depth", 3), 30});
        cases.put("depth 6", new Object[] {8, Map.of("max_depth", 6), 15});
        cases.put("depth 10", new Object[] {8, Map.of("max_depth", 10, "min_child_weight", 0.1), 5});
        cases.put("unbalanced", new Object[] {8, Map.of("grow_policy", "lossguide", "max_leaves", 23, "max_depth", 0,
                "min_child_weight", 0.1), 10});
        cases.put("repeated features", new Object[] {2, Map.of("max_depth", 7, "min_child_weight", 0.1), 10});
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Data data = data((Integer) c.getValue()[0], c.getKey().hashCode());
            @SuppressWarnings("unchecked")
            Booster booster = train(data, (Map<String, Object>) c.getValue()[1], (Integer) c.getValue()[2]);
            try {
                float[][] reference = booster.predictContrib(data.matrix(), 0);
                TreeEnsemble ensemble = TreeEnsemble.read(ModelFormat.XGBOOST_UBJ, booster.toByteArray("ubj"));
                double[][] rows = data.table();
                double[][] perLeaf = TreeShap.of(ensemble, 0).contributions(rows, 1);
                for (int h = 0; h <= TreeShap.MAX_HEIGHT; h++) {
                    TreeShap full = TreeShap.of(ensemble, TreeShap.DEFAULT_TABLE_BUDGET_BYTES, h);
                    assertThat(full.tableBytes()).as(c.getKey() + " height " + h).isPositive();
                    TreeShap part = TreeShap.of(ensemble, full.tableBytes() / 2, h);
                    assertThat(part.tableBytes()).as(c.getKey() + " half budget").isBetween(0L, full.tableBytes() / 2);
                    String what = c.getKey() + " height " + h;
                    compare(what, full.contributions(rows, 2), perLeaf, reference, wrong);
                    compare(what + " half budget", part.contributions(rows, 1), perLeaf, reference, wrong);
                    double[][] some = Arrays.copyOf(rows, TreeShap.BLOCK + 1); // a last block of one row
                    compare(what + " " + some.length + " rows", full.contributions(some, 1),
                            Arrays.copyOf(perLeaf, some.length), reference, wrong);
                    compare(what + " one row", new double[][] {full.contributions(rows[7])}, new double[][] {perLeaf[7]},
                            new float[][] {reference[7]}, wrong);
                }
            } finally {
                booster.dispose();
            }
        }
        assertThat(wrong).as("values that differ from the per-leaf computation or from XGBoost").isEmpty();
    }

    private static Booster train(Data data, Map<String, Object> params, int rounds) throws XGBoostError {
        Map<String, Object> all = new HashMap<>(Map.of("objective", "reg:squarederror", "eta", 0.3, "nthread", 1,
                "tree_method", "hist", "seed", 5));
        all.putAll(params);
        return XGBoost.train(data.matrix(), all, rounds, new HashMap<>(), null, null);
    }

    private static void compare(String what, double[][] ours, double[][] perLeaf, float[][] reference, List<String> wrong) {
        for (int r = 0; r < ours.length && wrong.size() < 20; r++) {
            for (int j = 0; j < ours[r].length; j++) {
                double scale = Math.max(1, Math.abs(reference[r][j]));
                if (Math.abs(ours[r][j] - perLeaf[r][j]) > 1e-5 * scale
                        || Math.abs(ours[r][j] - reference[r][j]) > 1e-5 * scale) {
                    wrong.add(what + " row " + r + " column " + j + ": " + ours[r][j] + " vs per leaf " + perLeaf[r][j]
                            + ", XGBoost " + reference[r][j]);
                }
            }
        }
    }
}

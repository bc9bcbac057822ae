package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.TreeEnsemble;
import java.util.Arrays;
import java.util.Map;

/**
 * SHAP interaction values of a tree ensemble (Lundberg et al. 2020, Nature Machine Intelligence,
 * the SHAP interaction index), path-dependent like {@link TreeShap} and equal to XGBoost's
 * {@code pred_interactions}: Φ_ij for i ≠ j is half the change in i's SHAP value between the games
 * conditioned on j present and on j absent, and Φ_ii is i's SHAP value less its interactions, so
 * each row of the matrix adds up to that feature's contribution.
 *
 * <p>Per leaf (notation of {@link TreeShap}): conditioning on j multiplies the leaf's game by o_j
 * (present) or z_j (absent), so the leaf adds to Φ_ij and Φ_ji
 * {@code ½ v (o_i − z_i)(o_j − z_j) Σ_{S⊆A∖{i,j}} w_{k−1}(|S|) Π_{U∖{i,j}∖S} z}, the sum taken, as
 * in {@link LeafPaths#leaf}, from the polynomial Π(z_m + t) over A∖{i,j}. The leaves are reached
 * by a walk that carries the path's distinct features, their z and the row's o: O(L·D⁴) per tree,
 * against XGBoost's M runs of TreeSHAP.
 */
public final class TreeInteractions {
    private final TreeEnsemble ensemble;
    private final TreeShap shap;

    private TreeInteractions(TreeEnsemble ensemble, TreeShap shap) {
        this.ensemble = ensemble;
        this.shap = shap;
    }

    public static TreeInteractions of(TreeEnsemble ensemble) {
        return new TreeInteractions(ensemble, TreeShap.of(ensemble, 0)); // in double: interactions are costlier anyway
    }

    /**
     * The matrix of one row: per group, (features + 1)² values, row-major, the last row and column
     * the bias's (only its corner, the expected margin, is non-zero), as XGBoost lays them out.
     */
    public double[] interactions(double[] row) {
        int width = ensemble.features() + 1;
        if (row.length != ensemble.features()) {
            throw new SeerException(ExplainErrorCode.INVALID_ROW, "A row has [" + row.length + "] values; the model takes ["
                    + ensemble.features() + "]", Map.of("width", row.length));
        }
        double[] out = new double[ensemble.groups() * width * width];
        Walk walk = new Walk(row, out, width);
        for (TreeEnsemble.Tree tree : ensemble.trees()) {
            walk.tree = tree;
            walk.offset = tree.group() * width * width;
            walk.visit(0, 0);
        }
        double[] contributions = shap.contributions(row);
        for (int g = 0; g < ensemble.groups(); g++) {
            int base = g * width * width;
            for (int i = 0; i < width - 1; i++) {
                double off = 0;
                for (int j = 0; j < width - 1; j++) {
                    off += j == i ? 0 : out[base + i * width + j];
                }
                out[base + i * width + i] = contributions[g * width + i] - off;
            }
            out[base + width * width - 1] = contributions[g * width + width - 1];
        }
        return out;
    }

    /** The walk to every leaf, with the path's distinct features, their z and the row's o on a stack. */
    private static final class Walk {
        final double[] row;
        final double[] out;
        final int width;
        final int[] features = new int[TreeEnsemble.MAX_DEPTH + 1];
        final double[] z = new double[TreeEnsemble.MAX_DEPTH + 1];
        final double[] o = new double[TreeEnsemble.MAX_DEPTH + 1];
        final double[] poly = new double[TreeEnsemble.MAX_DEPTH + 2];
        TreeEnsemble.Tree tree;
        int offset;

        Walk(double[] row, double[] out, int width) {
            this.row = row;
            this.out = out;
            this.width = width;
        }

        /** {@code k}: distinct features on the path so far. */
        void visit(int node, int k) {
            if (tree.isLeaf(node)) {
                leaf(tree.value(node), k);
                return;
            }
            int f = tree.feature(node);
            int taken = tree.next(node, row[f]);
            int position = -1;
            for (int i = 0; i < k; i++) {
                if (features[i] == f) {
                    position = i;
                }
            }
            for (int child : new int[] {tree.left(node), tree.right(node)}) {
                double share = tree.cover(node) > 0 ? tree.cover(child) / tree.cover(node) : 0;
                double follows = child == taken ? 1 : 0;
                if (position >= 0) {
                    double savedZ = z[position];
                    double savedO = o[position];
                    z[position] *= share;
                    o[position] *= follows;
                    visit(child, k);
                    z[position] = savedZ;
                    o[position] = savedO;
                } else {
                    features[k] = f;
                    z[k] = share;
                    o[k] = follows;
                    visit(child, k + 1);
                }
            }
        }

        private void leaf(double v, int k) {
            if (k < 2) {
                return;
            }
            double[] w = LeafPaths.Weights.of(k - 1);
            for (int i = 0; i < k; i++) {
                for (int j = i + 1; j < k; j++) {
                    double term = 0.5 * v * (o[i] - z[i]) * (o[j] - z[j]) * rest(k, i, j, w);
                    out[offset + features[i] * width + features[j]] += term;
                    out[offset + features[j] * width + features[i]] += term;
                }
            }
        }

        /** Σ_{S⊆A∖{i,j}} w(|S|) Π_{U∖{i,j}∖S} z, from the polynomial over the followed features. */
        private double rest(int k, int i, int j, double[] w) {
            double[] c = poly;
            Arrays.fill(c, 0, k + 1, 0);
            c[0] = 1;
            int degree = 0;
            double absent = 1;
            for (int m = 0; m < k; m++) {
                if (m == i || m == j) {
                    continue;
                }
                if (o[m] != 0) {
                    for (int d = degree + 1; d >= 1; d--) {
                        c[d] = c[d - 1] + z[m] * c[d];
                    }
                    c[0] *= z[m];
                    degree++;
                } else {
                    absent *= z[m];
                }
            }
            double sum = 0;
            for (int d = 0; d <= degree; d++) {
                sum += w[d] * c[d];
            }
            return absent * sum;
        }
    }
}

package dev.seer.explain;

import dev.seer.core.SeerException;
import dev.seer.models.TreeEnsemble;
import java.util.Map;

/**
 * Interventional TreeSHAP: exact SHAP values of a tree ensemble's margin for the game
 * {@code v(S) = mean over background rows r of f(x_S, r_~S)}, which breaks the dependence between
 * features that path-dependent TreeSHAP keeps (Lundberg et al. 2020, Nature Machine Intelligence,
 * "Independent Tree SHAP"; shap's {@code feature_perturbation="interventional"}).
 *
 * <p>For one background row r and one tree, walk the tree with x and r together: where they take
 * the same child, follow it; where they part at a split on a feature not yet decided, follow both,
 * deciding the feature for x down one child and for r down the other; a decided feature follows
 * its side. A leaf reached with a features decided for x and b for r is reached exactly by the
 * coalitions holding all of the first and none of the second, a game whose Shapley value gives
 * each of the x features {@code v·(a−1)!·b!/(a+b)!} and each r feature {@code −v·a!·(b−1)!/(a+b)!}.
 * Averaged over the background this is the interventional value; the cost is O(T·L·B) per row.
 * The bias is the background's mean margin, so each group's values add up to its margin.
 */
public final class InterventionalTreeShap {
    /** More background rows add time linearly and little accuracy; shap warns past 100. */
    public static final int MAX_BACKGROUND = 1000;

    private final TreeEnsemble ensemble;
    private final double[][] background;
    private final double[] bias;
    private final double[][] forX;
    private final double[][] forR;

    private InterventionalTreeShap(TreeEnsemble ensemble, double[][] background) {
        this.ensemble = ensemble;
        this.background = background;
        this.bias = new double[ensemble.groups()];
        for (double[] r : background) {
            double[] margins = ensemble.margins(r);
            for (int g = 0; g < bias.length; g++) {
                bias[g] += margins[g] / background.length;
            }
        }
        int size = TreeEnsemble.MAX_DEPTH + 2;
        forX = new double[size][size];
        forR = new double[size][size];
        for (int a = 0; a < size; a++) {
            for (int b = 0; b < size && a + b < size; b++) {
                forX[a][b] = a == 0 ? 0 : Math.exp(logFactorial(a - 1) + logFactorial(b) - logFactorial(a + b));
                forR[a][b] = b == 0 ? 0 : Math.exp(logFactorial(a) + logFactorial(b - 1) - logFactorial(a + b));
            }
        }
    }

    /** Against {@code background}: rows of the model's features (NaN missing), 1 to {@link #MAX_BACKGROUND}. */
    public static InterventionalTreeShap of(TreeEnsemble ensemble, double[][] background) {
        if (background.length == 0 || background.length > MAX_BACKGROUND) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "The background sample has [" + background.length
                    + "] rows; it needs 1 to " + MAX_BACKGROUND + " (summarise a larger one)", Map.of("field", "background"));
        }
        double[][] copy = new double[background.length][];
        for (int r = 0; r < background.length; r++) {
            if (background[r].length != ensemble.features()) {
                throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Background row [" + r + "] has ["
                        + background[r].length + "] values; the model takes [" + ensemble.features() + "]",
                        Map.of("field", "background", "row", r));
            }
            copy[r] = background[r].clone();
        }
        return new InterventionalTreeShap(ensemble, copy);
    }

    public int features() {
        return ensemble.features();
    }

    public int groups() {
        return bias.length;
    }

    /** The background's mean margin of {@code group}. */
    public double bias(int group) {
        return bias[group];
    }

    /** {@code groups × (features + 1)} values, each group's features then its bias, as {@link TreeShap} lays them out. */
    public double[] contributions(double[] row) {
        int width = features() + 1;
        if (row.length != features()) {
            throw new SeerException(ExplainErrorCode.INVALID_ROW, "A row has [" + row.length + "] values; the model takes ["
                    + features() + "]", Map.of("width", row.length));
        }
        double[] out = new double[groups() * width];
        Walk walk = new Walk(row, features(), this);
        for (double[] r : background) {
            walk.background = r;
            for (TreeEnsemble.Tree tree : ensemble.trees()) {
                walk.offset = tree.group() * width;
                walk.tree = tree;
                walk.visit(0, 0, 0);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = walk.sums[i] / background.length;
        }
        for (int g = 0; g < bias.length; g++) {
            out[g * width + width - 1] = bias[g];
        }
        return out;
    }

    /** One row's walk through the trees with one background row at a time; the decided features on a stack. */
    private static final class Walk {
        final double[] x;
        final double[] sums;
        final byte[] side;
        final int[] decided;
        final InterventionalTreeShap shap;
        double[] background;
        TreeEnsemble.Tree tree;
        int offset;

        Walk(double[] x, int features, InterventionalTreeShap shap) {
            this.x = x;
            this.shap = shap;
            this.sums = new double[shap.groups() * (features + 1)];
            this.side = new byte[features];
            this.decided = new int[TreeEnsemble.MAX_DEPTH + 1];
        }

        /** {@code a}, {@code b}: features decided for x and for r on the way here, the first a + b of {@link #decided}. */
        void visit(int node, int a, int b) {
            if (tree.isLeaf(node)) {
                credit(tree.value(node), a, b);
                return;
            }
            int f = tree.feature(node);
            int toX = tree.next(node, x[f]);
            int toR = tree.next(node, background[f]);
            if (side[f] == 1 || toX == toR) {
                visit(side[f] == 2 ? toR : toX, a, b);
            } else if (side[f] == 2) {
                visit(toR, a, b);
            } else {
                decided[a + b] = f;
                side[f] = 1;
                visit(toX, a + 1, b);
                side[f] = 2;
                visit(toR, a, b + 1);
                side[f] = 0;
            }
        }

        private void credit(double v, int a, int b) {
            if (a + b == 0) {
                return;
            }
            double gain = v * shap.forX[a][b];
            double loss = v * shap.forR[a][b];
            for (int i = 0; i < a + b; i++) {
                int f = decided[i];
                sums[offset + f] += side[f] == 1 ? gain : -loss;
            }
        }
    }

    private static double logFactorial(int n) {
        double sum = 0;
        for (int i = 2; i <= n; i++) {
            sum += Math.log(i);
        }
        return sum;
    }
}

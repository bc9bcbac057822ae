package dev.seer.training.linear;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.models.LinearModel;
import dev.seer.training.TrainingErrorCode;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The rows as the solvers see them: checked, missing values filled with the column's mean, centred,
 * and with {@code standardize} scaled by the column's standard deviation, row-major in one array so
 * a pass over the rows walks memory in order.
 *
 * <p>Centring is free: the intercept is not penalised, so shifting a column only moves the
 * intercept, and a centred design is better conditioned. Scaling changes what the penalty means, so
 * it happens only when asked. The mean and standard deviation are unweighted, as scikit-learn's
 * SimpleImputer and StandardScaler compute them (only the estimator sees sample weights); the
 * standard deviation is the population one (ddof 0) of the filled column. A column whose known
 * values are all equal (or that has none) is constant: it is zeroed, and its weight is 0 — also the
 * exact optimum, since the unpenalised intercept absorbs a constant for free.
 */
final class Design {
    final int rows;
    final int columns;
    /** Row-major, rows x columns: (filled x - mean) / scale, 0 in a constant column. */
    final double[] z;
    /** The column means ignoring NaN (0 for a column with no values): the fill, and the centre. */
    final double[] means;
    /** The standard deviation with {@code standardize}, else 1; 1 for a constant column. */
    final double[] scales;
    final boolean[] constant;
    /** The sample weights, 1 each when none were given. */
    final double[] weights;
    final double weightSum;

    private Design(double[][] x, double[] weights, boolean standardize) {
        this.rows = x.length;
        this.columns = x[0].length;
        this.weights = weights;
        this.weightSum = sum(weights);
        this.means = new double[columns];
        this.scales = new double[columns];
        this.constant = new boolean[columns];
        describeColumns(x, standardize);
        this.z = new double[rows * columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double v = x[i][j];
                z[i * columns + j] = constant[j] || Double.isNaN(v) ? 0 : (v - means[j]) / scales[j];
            }
        }
    }

    /** Checks the arguments every linear fit shares and builds the design; y is checked by the caller. */
    static Design of(List<String> features, double[][] x, double[] y, double[] weights, LinearOptions options) {
        requireNonNull(features, "features is null");
        requireNonNull(x, "x is null");
        requireNonNull(y, "y is null");
        requireNonNull(options, "options is null");
        if (x.length == 0) {
            throw data("There are no rows to fit on", Map.of());
        }
        if (y.length != x.length) {
            throw argument("x has [" + x.length + "] rows and y [" + y.length + "] values; they must match");
        }
        if (weights != null && weights.length != x.length) {
            throw argument("x has [" + x.length + "] rows and weights [" + weights.length + "] values; they must match");
        }
        int width = features.size();
        if (width == 0) {
            throw argument("A linear model needs at least one feature");
        }
        if (new HashSet<>(features).size() != width) {
            throw argument("A linear model names each feature once; the features are " + features);
        }
        checkRows(x, width);
        return new Design(x, checkedWeights(weights, x.length), options.standardize());
    }

    private static void checkRows(double[][] x, int width) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != width) {
                throw data("Row [" + i + "] has [" + (x[i] == null ? "no" : String.valueOf(x[i].length))
                        + "] values; there are [" + width + "] features", Map.of("row", i));
            }
            for (int j = 0; j < width; j++) {
                if (Double.isInfinite(x[i][j])) {
                    throw data("Row [" + i + "] column [" + j + "] is [" + x[i][j] + "]; a value is finite or NaN (missing)",
                            Map.of("row", i, "column", j));
                }
            }
        }
    }

    private static double[] checkedWeights(double[] weights, int rows) {
        if (weights == null) {
            double[] ones = new double[rows];
            Arrays.fill(ones, 1);
            return ones;
        }
        for (int i = 0; i < rows; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw data("The weight of row [" + i + "] is [" + weights[i] + "]; weights are finite and at least 0",
                        Map.of("row", i));
            }
        }
        if (!(sum(weights) > 0)) {
            throw data("The sample weights sum to 0: no row counts", Map.of());
        }
        return weights.clone();
    }

    /** Means, constancy and scales of every column, in row-major passes (a column-wise walk of double[][] misses cache). */
    private void describeColumns(double[][] x, boolean standardize) {
        int[] known = new int[columns];
        double[] min = new double[columns];
        double[] max = new double[columns];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] row : x) {
            for (int j = 0; j < columns; j++) {
                double v = row[j];
                if (!Double.isNaN(v)) {
                    means[j] += v;
                    known[j]++;
                    min[j] = Math.min(min[j], v);
                    max[j] = Math.max(max[j], v);
                }
            }
        }
        for (int j = 0; j < columns; j++) {
            means[j] = known[j] == 0 ? 0 : means[j] / known[j];
            constant[j] = known[j] == 0 || min[j] == max[j];
            scales[j] = 1;
        }
        if (!standardize) {
            return;
        }
        // a second pass over the deviations, not E[x²] − E[x]², which cancels badly
        double[] squares = new double[columns];
        for (double[] row : x) {
            for (int j = 0; j < columns; j++) {
                double v = row[j];
                if (!Double.isNaN(v)) {
                    squares[j] += (v - means[j]) * (v - means[j]);
                }
            }
        }
        for (int j = 0; j < columns; j++) {
            if (!constant[j]) {
                scales[j] = Math.sqrt(squares[j] / rows); // a filled value sits at the mean and adds 0
            }
        }
    }

    /** The model on the original scale: w_j / scale_j, and the intercept moved back by the centres. */
    LinearModel model(List<String> features, double[] w, double intercept, LinearModel.Link link) {
        double[] original = new double[columns];
        double b = intercept;
        for (int j = 0; j < columns; j++) {
            original[j] = constant[j] ? 0 : w[j] / scales[j];
            b -= original[j] * means[j];
        }
        return new LinearModel(features, original, b, link, means);
    }

    private static double sum(double[] values) {
        double total = 0;
        for (double v : values) {
            total += v;
        }
        return total;
    }

    static SeerException argument(String message) {
        return new SeerException(TrainingErrorCode.INVALID_ARGUMENT, message, Map.of());
    }

    static SeerException data(String message, Map<String, ?> details) {
        return new SeerException(TrainingErrorCode.INVALID_DATA, message, details);
    }
}

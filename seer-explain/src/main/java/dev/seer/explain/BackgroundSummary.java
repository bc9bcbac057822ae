package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A weighted background sample for KernelSHAP: rows of the model's features (NaN missing) and one
 * weight per row. {@link #of} keeps every row at weight 1; {@link #kmeans} summarises a large sample
 * by k centres weighted by how many rows each stands for, as shap's {@code shap.kmeans} does.
 *
 * <p>The k-means follows shap's recipe (which calls scikit-learn's {@code KMeans(k, n_init=10)}):
 * missing values are imputed with their column's mean before clustering; k-means++ seeding
 * (Arthur and Vassilvitskii 2007) and Lloyd iterations, the best of 10 seeded starts by inertia;
 * the weights are the cluster sizes, so they sum to the row count. With {@code roundValues} (shap's
 * default) each centre's value is then snapped, column by column, to the nearest value the column
 * takes (after imputation), so that a discrete feature keeps a value it can take. A cluster left
 * empty takes the row farthest from its centre; if the rows have fewer than k distinct values the
 * clusters that stay empty are dropped, so a summary may have fewer than k rows.
 */
public final class BackgroundSummary {
    static final int STARTS = 10;
    static final int MAX_ITERATIONS = 300;
    static final double TOLERANCE = 1e-4;

    private final double[][] rows;
    private final double[] weights;

    private BackgroundSummary(double[][] rows, double[] weights) {
        this.rows = rows;
        this.weights = weights;
    }

    /** Every row of {@code background}, weight 1 each. */
    public static BackgroundSummary of(double[][] background) {
        double[] weights = new double[background.length];
        Arrays.fill(weights, 1);
        return of(background, weights);
    }

    /** Rows with their weights (non-negative, finite, not all zero). */
    public static BackgroundSummary of(double[][] background, double[] weights) {
        checkRows(background, -1);
        if (weights.length != background.length) {
            throw invalid("weights", "[" + weights.length + "] weights for [" + background.length + "] background rows");
        }
        double total = 0;
        for (int r = 0; r < weights.length; r++) {
            if (!(weights[r] >= 0) || Double.isInfinite(weights[r])) {
                throw invalid("weights", "Background weight [" + r + "] is [" + weights[r] + "]; a weight is finite and >= 0");
            }
            total += weights[r];
        }
        if (total <= 0) {
            throw invalid("weights", "The background weights sum to 0");
        }
        return new BackgroundSummary(copy(background), weights.clone());
    }

    /** {@code data} summarised by k-means into at most {@code k} weighted centres, snapped to real values (shap's default). */
    public static BackgroundSummary kmeans(double[][] data, int k, long seed) {
        return kmeans(data, k, seed, true);
    }

    /** As {@link #kmeans(double[][], int, long)}; without {@code roundValues} the centres are the clusters' means. */
    public static BackgroundSummary kmeans(double[][] data, int k, long seed, boolean roundValues) {
        checkRows(data, -1);
        if (k < 1 || k > data.length) {
            throw invalid("k", "k-means needs 1 <= k <= [" + data.length + "] (the row count); [" + k + "] was given");
        }
        double[][] x = imputed(data);
        Clustering best = null;
        SplittableRandom random = new SplittableRandom(seed);
        for (int start = 0; start < STARTS; start++) {
            Clustering c = Clustering.run(x, k, random.split());
            if (best == null || c.inertia < best.inertia) {
                best = c;
            }
        }
        return best.summary(x, roundValues);
    }

    public int size() {
        return rows.length;
    }

    public int width() {
        return rows[0].length;
    }

    public double[][] rows() {
        return copy(rows);
    }

    public double[] weights() {
        return weights.clone();
    }

    double[][] rowsView() {
        return rows;
    }

    /** The weights scaled to sum to 1. */
    double[] normalizedWeights() {
        double total = Arrays.stream(weights).sum();
        return Arrays.stream(weights).map(w -> w / total).toArray();
    }

    /** Refuses no rows, ragged rows, or (when {@code width >= 0}) rows of another width; names the row. */
    static void checkRows(double[][] background, int width) {
        if (background.length == 0) {
            throw invalid("background", "The background sample has no rows");
        }
        int expected = width >= 0 ? width : background[0].length;
        for (int r = 0; r < background.length; r++) {
            if (background[r] == null || background[r].length != expected || expected == 0) {
                int got = background[r] == null ? 0 : background[r].length;
                throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Background row [" + r + "] has [" + got
                        + "] values; [" + expected + "] were expected", Map.of("field", "background", "row", r));
            }
            for (int j = 0; j < expected; j++) {
                if (Double.isInfinite(background[r][j])) { // k-means centres and the model's splits have no meaning for it
                    throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Background row [" + r + "] has an"
                            + " infinite value in column [" + j + "]", Map.of("field", "background", "row", r, "column", j));
                }
            }
        }
    }

    static SeerException invalid(String field, String message) {
        return new SeerException(ExplainErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }

    private static double[][] imputed(double[][] data) {
        int width = data[0].length;
        double[] means = new double[width];
        int[] counts = new int[width];
        for (double[] row : data) {
            for (int j = 0; j < width; j++) {
                if (!Double.isNaN(row[j])) {
                    means[j] += row[j];
                    counts[j]++;
                }
            }
        }
        double[][] x = copy(data);
        for (int j = 0; j < width; j++) {
            // a column with no value at all has nothing to impute from: shap's imputer drops it; 0 keeps the width
            double mean = counts[j] == 0 ? 0 : means[j] / counts[j];
            for (double[] row : x) {
                if (Double.isNaN(row[j])) {
                    row[j] = mean;
                }
            }
        }
        return x;
    }

    private static double[][] copy(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r].clone();
        }
        return out;
    }

    /** One k-means run: k-means++ seeding, then Lloyd iterations until the centres move less than the tolerance. */
    static final class Clustering {
        final double[][] centres;
        final int[] labels;
        double inertia;

        private Clustering(double[][] centres, int rows) {
            this.centres = centres;
            this.labels = new int[rows];
        }

        static Clustering run(double[][] x, int k, SplittableRandom random) {
            Clustering c = new Clustering(seed(x, k, random), x.length);
            double tolerance = TOLERANCE * meanVariance(x);
            for (int it = 0; it < MAX_ITERATIONS; it++) {
                c.assign(x);
                c.refillEmpty(x);
                if (c.update(x) <= tolerance) {
                    break;
                }
            }
            c.assign(x);
            return c;
        }

        /** k-means++: each next centre is a row drawn with probability proportional to its squared distance to the nearest centre. */
        private static double[][] seed(double[][] x, int k, SplittableRandom random) {
            double[][] centres = new double[k][];
            centres[0] = x[random.nextInt(x.length)].clone();
            double[] nearest = new double[x.length];
            Arrays.fill(nearest, Double.POSITIVE_INFINITY);
            for (int c = 1; c < k; c++) {
                double total = 0;
                for (int r = 0; r < x.length; r++) {
                    nearest[r] = Math.min(nearest[r], distance(x[r], centres[c - 1]));
                    total += nearest[r];
                }
                centres[c] = x[draw(nearest, total, random)].clone();
            }
            return centres;
        }

        private static int draw(double[] mass, double total, SplittableRandom random) {
            if (total <= 0) {
                return random.nextInt(mass.length);
            }
            double target = random.nextDouble() * total;
            for (int r = 0; r < mass.length; r++) {
                target -= mass[r];
                if (target < 0) {
                    return r;
                }
            }
            return mass.length - 1;
        }

        private void assign(double[][] x) {
            inertia = 0;
            for (int r = 0; r < x.length; r++) {
                double best = Double.POSITIVE_INFINITY;
                for (int c = 0; c < centres.length; c++) {
                    double d = distance(x[r], centres[c]);
                    if (d < best) {
                        best = d;
                        labels[r] = c;
                    }
                }
                inertia += best;
            }
        }

        /** An empty cluster takes the row farthest from its centre (as scikit-learn does), if that row is not on its centre. */
        private void refillEmpty(double[][] x) {
            int[] sizes = sizes();
            for (int c = 0; c < centres.length; c++) {
                if (sizes[c] > 0) {
                    continue;
                }
                int far = -1;
                double farthest = 0;
                for (int r = 0; r < x.length; r++) {
                    double d = distance(x[r], centres[labels[r]]);
                    if (d > farthest && sizes[labels[r]] > 1) {
                        farthest = d;
                        far = r;
                    }
                }
                if (far >= 0) {
                    sizes[labels[far]]--;
                    labels[far] = c;
                    sizes[c] = 1;
                    centres[c] = x[far].clone();
                }
            }
        }

        /** Moves each non-empty centre to its cluster's mean; returns the total squared move. */
        private double update(double[][] x) {
            int width = x[0].length;
            double[][] sums = new double[centres.length][width];
            int[] sizes = sizes();
            for (int r = 0; r < x.length; r++) {
                for (int j = 0; j < width; j++) {
                    sums[labels[r]][j] += x[r][j];
                }
            }
            double moved = 0;
            for (int c = 0; c < centres.length; c++) {
                if (sizes[c] == 0) {
                    continue;
                }
                for (int j = 0; j < width; j++) {
                    sums[c][j] /= sizes[c];
                }
                moved += distance(sums[c], centres[c]);
                centres[c] = sums[c];
            }
            return moved;
        }

        int[] sizes() {
            int[] sizes = new int[centres.length];
            for (int label : labels) {
                sizes[label]++;
            }
            return sizes;
        }

        BackgroundSummary summary(double[][] x, boolean roundValues) {
            int[] sizes = sizes();
            int kept = (int) Arrays.stream(sizes).filter(s -> s > 0).count();
            double[][] rows = new double[kept][];
            double[] weights = new double[kept];
            int i = 0;
            for (int c = 0; c < centres.length; c++) {
                if (sizes[c] > 0) {
                    rows[i] = roundValues ? snapped(centres[c], x) : centres[c].clone();
                    weights[i++] = sizes[c];
                }
            }
            return new BackgroundSummary(rows, weights);
        }

        /** Each value replaced by the nearest value its column takes in {@code x} (the first such row on a tie, as numpy's argmin). */
        private static double[] snapped(double[] centre, double[][] x) {
            double[] out = new double[centre.length];
            for (int j = 0; j < centre.length; j++) {
                double best = Double.POSITIVE_INFINITY;
                for (double[] row : x) {
                    double d = Math.abs(row[j] - centre[j]);
                    if (d < best) {
                        best = d;
                        out[j] = row[j];
                    }
                }
            }
            return out;
        }

        private static double meanVariance(double[][] x) {
            int width = x[0].length;
            double total = 0;
            for (int j = 0; j < width; j++) {
                double mean = 0;
                for (double[] row : x) {
                    mean += row[j] / x.length;
                }
                for (double[] row : x) {
                    total += (row[j] - mean) * (row[j] - mean) / x.length;
                }
            }
            return total / width;
        }

        private static double distance(double[] a, double[] b) {
            double d = 0;
            for (int j = 0; j < a.length; j++) {
                double t = a[j] - b[j];
                d += t * t;
            }
            return d;
        }
    }
}

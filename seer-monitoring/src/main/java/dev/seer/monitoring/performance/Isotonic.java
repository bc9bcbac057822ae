package dev.seer.monitoring.performance;

import java.util.Arrays;

/**
 * Isotonic calibration: the non-decreasing step function of the score that is closest, in
 * squared error, to the 0/1 labels (Barlow, Bartholomew, Bremner and Brunk 1972, "Statistical
 * inference under order restrictions"; used for classifier calibration by Zadrozny and Elkan
 * 2002, "Transforming classifier scores into accurate multiclass probability estimates").
 *
 * <p>Fit: rows are sorted by score and rows with equal scores become one point whose value is the
 * mean label and whose weight is the row count (sklearn's {@code IsotonicRegression} treats scores
 * closer than 1e-15 as equal, and so do we). The pool-adjacent-violators algorithm then walks the
 * points left to right keeping a stack of blocks, each a run of points sharing one value (the
 * weighted mean of its labels); a new point whose value is not above the top block's is merged
 * into it, and merging repeats down the stack until the block values strictly increase. Each
 * point ends with its block's value.
 *
 * <p>Apply: as sklearn with {@code out_of_bounds="clip"}: the score is clipped to the fitted
 * range, then linearly interpolated between the two neighbouring distinct fitted scores (inside a
 * block both neighbours have the block's value, so the function is flat there).
 */
final class Isotonic {
    /** sklearn's tie tolerance: {@code np.finfo(float64).resolution}. */
    private static final double TIE = 1e-15;

    private final double[] knots;
    private final double[] values;

    private Isotonic(double[] knots, double[] values) {
        this.knots = knots;
        this.values = values;
    }

    /** Fits on the rows {@code rows} of {@code scores}/{@code labels} (all rows when null). */
    static Isotonic fit(double[] scores, int[] labels, int[] rows) {
        int n = rows == null ? scores.length : rows.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = rows == null ? i : rows[i];
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        int m = -1;
        for (int i = 0; i < n; i++) {
            double s = scores[order[i]];
            if (m < 0 || s >= x[m] + TIE) {
                m++;
                x[m] = s;
            }
            y[m] += labels[order[i]];
            w[m] += 1;
        }
        m++;
        for (int i = 0; i < m; i++) {
            y[i] /= w[i];
        }
        return new Isotonic(Arrays.copyOf(x, m), poolAdjacentViolators(Arrays.copyOf(y, m), Arrays.copyOf(w, m)));
    }

    private static double[] poolAdjacentViolators(double[] y, double[] w) {
        int n = y.length;
        double[] blockSum = new double[n];
        double[] blockWeight = new double[n];
        int[] blockEnd = new int[n];
        int top = -1;
        for (int i = 0; i < n; i++) {
            top++;
            blockSum[top] = w[i] * y[i];
            blockWeight[top] = w[i];
            blockEnd[top] = i;
            while (top > 0 && blockSum[top - 1] / blockWeight[top - 1] >= blockSum[top] / blockWeight[top]) {
                blockSum[top - 1] += blockSum[top];
                blockWeight[top - 1] += blockWeight[top];
                blockEnd[top - 1] = blockEnd[top];
                top--;
            }
        }
        double[] fitted = new double[n];
        int start = 0;
        for (int b = 0; b <= top; b++) {
            Arrays.fill(fitted, start, blockEnd[b] + 1, blockSum[b] / blockWeight[b]);
            start = blockEnd[b] + 1;
        }
        return fitted;
    }

    double apply(double score) {
        if (knots.length == 1) {
            return values[0];
        }
        double t = Math.min(Math.max(score, knots[0]), knots[knots.length - 1]);
        int hi = lowerBound(t);
        hi = Math.min(Math.max(hi, 1), knots.length - 1);
        int lo = hi - 1;
        double slope = (values[hi] - values[lo]) / (knots[hi] - knots[lo]);
        return slope * (t - knots[lo]) + values[lo];
    }

    double[] apply(double[] scores) {
        double[] out = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            out[i] = apply(scores[i]);
        }
        return out;
    }

    /** The first knot index whose value is not below {@code t} (numpy's searchsorted, side left). */
    private int lowerBound(double t) {
        int lo = 0;
        int hi = knots.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (knots[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

package dev.seer.training.metrics;

import static dev.seer.training.metrics.ClassMetrics.row;
import static dev.seer.training.metrics.ClassMetrics.size;

/**
 * RMSE, MAE and R² as scikit-learn 1.2.1 computes them ({@code sklearn/metrics/_regression.py}): RMSE is
 * {@code mean_squared_error(squared=False)}, R² is {@code r2_score(force_finite=True)}.
 */
final class RegressionMetrics {
    private RegressionMetrics() {
    }

    static double rmse(Scored scored, int[] rows) {
        int m = size(scored, rows);
        double sum = 0.0;
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            double error = scored.truthAt(i) - scored.scoreAt(i);
            sum += error * error;
        }
        return Math.sqrt(sum / m);
    }

    static double mae(Scored scored, int[] rows) {
        int m = size(scored, rows);
        double sum = 0.0;
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            sum += Math.abs(scored.scoreAt(i) - scored.truthAt(i));
        }
        return sum / m;
    }

    /**
     * {@code 1 − SS_res / SS_tot}. NaN for fewer than two rows. With a constant truth (SS_tot = 0) sklearn's
     * {@code force_finite} gives 1.0 for perfect predictions and 0.0 otherwise; perfect predictions give 1.0 in
     * every case.
     */
    static double r2(Scored scored, int[] rows) {
        int m = size(scored, rows);
        if (m < 2) {
            return Double.NaN;
        }
        double truthSum = 0.0;
        double residual = 0.0;
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            double error = scored.truthAt(i) - scored.scoreAt(i);
            residual += error * error;
            truthSum += scored.truthAt(i);
        }
        double mean = truthSum / m;
        double total = 0.0;
        for (int t = 0; t < m; t++) {
            double deviation = scored.truthAt(row(rows, t)) - mean;
            total += deviation * deviation;
        }
        if (residual == 0.0) {
            return 1.0;
        }
        return total == 0.0 ? 0.0 : 1 - residual / total;
    }
}

package dev.seer.monitoring.performance;

import java.util.Arrays;

/**
 * ROC AUC from ranks, and its variance by DeLong, DeLong and Clarke-Pearson (1988, "Comparing
 * the areas under two or more correlated receiver operating characteristic curves: a
 * nonparametric approach", Biometrics 44). With midranks R over all rows, the AUC is the
 * Mann-Whitney statistic: each positive's placement V10 = (R_i - r_i) / nNeg (r_i its midrank
 * among positives) is the share of negatives scored below it, ties counting one half; the AUC is
 * their mean, equal to sklearn's trapezoidal {@code roc_auc_score}. Each negative's placement V01
 * is the share of positives scored above it. DeLong's variance is var(V10)/nPos + var(V01)/nNeg
 * with sample variances (divisor n - 1). O(n log n), where sklearn's curve is too.
 */
final class Ranking {
    private Ranking() {
    }

    /** {auc, variance}; NaN when a class is missing (variance NaN too when a class has one row). */
    static double[] aucAndVariance(double[] scores, int[] labels) {
        int n = scores.length;
        int nPos = 0;
        for (int label : labels) {
            nPos += label;
        }
        int nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] all = midranks(scores, null, -1);
        double[] pos = midranks(scores, labels, 1);
        double[] neg = midranks(scores, labels, 0);
        double[] v10 = new double[nPos];
        double[] v01 = new double[nNeg];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] == 1) {
                v10[p++] = (all[i] - pos[i]) / nNeg;
            } else {
                v01[q++] = 1.0 - (all[i] - neg[i]) / nPos;
            }
        }
        double auc = mean(v10);
        double variance = nPos < 2 || nNeg < 2 ? Double.NaN
                : sampleVariance(v10) / nPos + sampleVariance(v01) / nNeg;
        return new double[] {auc, variance};
    }

    /** 1-based midranks of the rows whose label is {@code only} (all rows when only is -1); others NaN. */
    private static double[] midranks(double[] scores, int[] labels, int only) {
        int n = scores.length;
        int m = 0;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (only < 0 || labels[i] == only) {
                order[m++] = i;
            }
        }
        Integer[] sorted = Arrays.copyOf(order, m);
        Arrays.sort(sorted, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] ranks = new double[n];
        Arrays.fill(ranks, Double.NaN);
        int start = 0;
        while (start < m) {
            int end = start;
            while (end + 1 < m && scores[sorted[end + 1]] == scores[sorted[start]]) {
                end++;
            }
            double rank = (start + end) / 2.0 + 1.0;
            for (int k = start; k <= end; k++) {
                ranks[sorted[k]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sampleVariance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }
}

package dev.seer.training.stats;

import java.util.Arrays;

/**
 * DeLong's test for the difference of two correlated ROC AUCs measured on the same rows (DeLong,
 * DeLong, Clarke-Pearson 1988, Biometrics 44:837–845), computed with the midrank algorithm of Sun
 * and Xu (2014, IEEE Signal Processing Letters 21(11):1389–1393) in O(N log N).
 *
 * <p>With m positives X_i and n negatives Y_j, the AUC is the Mann–Whitney statistic (a tie counts
 * 1/2) and each row has a placement value: V10(X_i), the share of negatives it beats, and
 * V01(Y_j), the share of positives that beat it. Sun and Xu get them from midranks: T_z within the
 * pooled scores, T_x within the positives, T_y within the negatives, then V10 = (T_z − T_x)/n and
 * V01 = 1 − (T_z − T_y)/m. The variance of AUC_A − AUC_B is var(V10_A − V10_B)/m +
 * var(V01_A − V01_B)/n (sample variances, divisor m − 1 and n − 1): the same number as
 * S¹¹ + S²² − 2S¹² of DeLong's covariance matrix, computed on the differences so that identical
 * models give exactly 0. z = ΔAUC/√Var, two-sided p = 2Φ(−|z|), interval ΔAUC ± z_{(1+c)/2}·√Var
 * (pROC's {@code roc.test} conf.int).
 *
 * <p>Higher scores mean positive (pROC's direction "&lt;"); the direction is not guessed. Zero
 * variance with no difference (identical score vectors, or both AUCs 1) gives z = 0 and p = 1;
 * zero variance with a difference (a perfect model against a constant one) is the test's limit:
 * z = ±∞, p = 0, interval [Δ, Δ].
 */
public final class DeLong {
    private DeLong() {}

    /**
     * @param positive the class of each row; at least two rows of each class
     * @param scoresA model A's score for each row (higher means positive)
     * @param scoresB model B's score for the same rows
     */
    public static TestResult compare(boolean[] positive, double[] scoresA, double[] scoresB, double confidence) {
        Arguments.requireNonNull(positive, "positive");
        Arguments.requireFinite(scoresA, "scoresA");
        Arguments.requireFinite(scoresB, "scoresB");
        Arguments.requireSameLength(scoresA.length, "scoresA", positive.length, "positive");
        Arguments.requireSameLength(scoresB.length, "scoresB", positive.length, "positive");
        Arguments.requireProbability(confidence, "confidence");
        int positives = count(positive);
        int negatives = positive.length - positives;
        if (positives < 2 || negatives < 2) {
            throw Arguments.invalid("positive", "Argument [positive] needs at least [2] rows of each class, has ["
                    + positives + "] positive and [" + negatives + "] negative");
        }
        Placements a = Placements.of(positive, scoresA, positives);
        Placements b = Placements.of(positive, scoresB, positives);
        double difference = a.auc() - b.auc();
        double variance = differenceVariance(a.positives, b.positives) / positives
                + differenceVariance(a.negatives, b.negatives) / negatives;
        return result(difference, Math.sqrt(variance), confidence);
    }

    /** The ROC AUC of one score vector (Mann–Whitney, ties 1/2), by the same midranks. */
    static double auc(boolean[] positive, double[] scores) {
        return Placements.of(positive, scores, count(positive)).auc();
    }

    private static TestResult result(double difference, double standardError, double confidence) {
        if (standardError == 0) {
            return difference == 0
                    ? new TestResult("delong", 0, 1, 0, 0, 0)
                    : new TestResult("delong", Math.copySign(Double.POSITIVE_INFINITY, difference), 0,
                            difference, difference, difference);
        }
        double z = difference / standardError;
        double halfWidth = Distributions.normalCritical(confidence) * standardError;
        return new TestResult("delong", z, Distributions.normalTwoSided(z), difference,
                difference - halfWidth, difference + halfWidth);
    }

    private static int count(boolean[] positive) {
        int count = 0;
        for (boolean p : positive) {
            count += p ? 1 : 0;
        }
        return count;
    }

    /** Sample variance (divisor k − 1) of x_i − y_i. */
    private static double differenceVariance(double[] x, double[] y) {
        double mean = 0;
        for (int i = 0; i < x.length; i++) {
            mean += x[i] - y[i];
        }
        mean /= x.length;
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double deviation = x[i] - y[i] - mean;
            sum += deviation * deviation;
        }
        return sum / (x.length - 1);
    }

    /** One model's placement values: V10 of each positive, V01 of each negative, in row order. */
    private record Placements(double[] positives, double[] negatives) {

        static Placements of(boolean[] positive, double[] scores, int positiveCount) {
            double[] x = new double[positiveCount];
            double[] y = new double[scores.length - positiveCount];
            for (int i = 0, p = 0, q = 0; i < scores.length; i++) {
                if (positive[i]) {
                    x[p++] = scores[i];
                } else {
                    y[q++] = scores[i];
                }
            }
            double[] pooled = sorted(scores);
            double[] sortedX = sorted(x);
            double[] sortedY = sorted(y);
            double[] v10 = new double[x.length];
            double[] v01 = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                v10[i] = (midrank(pooled, x[i]) - midrank(sortedX, x[i])) / y.length;
            }
            for (int j = 0; j < y.length; j++) {
                v01[j] = 1 - (midrank(pooled, y[j]) - midrank(sortedY, y[j])) / x.length;
            }
            return new Placements(v10, v01);
        }

        double auc() {
            double sum = 0;
            for (double v : positives) {
                sum += v;
            }
            return sum / positives.length;
        }

        private static double[] sorted(double[] values) {
            double[] copy = values.clone();
            Arrays.sort(copy);
            return copy;
        }

        /**
         * The 1-based midrank of {@code value} in a sorted array: the values below it plus the
         * average of the positions its ties occupy, (less + 1 + less + equal)/2.
         */
        private static double midrank(double[] sorted, double value) {
            int less = firstAtLeast(sorted, value, false);
            int lessOrEqual = firstAtLeast(sorted, value, true);
            return less + (lessOrEqual - less + 1) / 2.0;
        }

        /** Index of the first element ≥ value (or > value when {@code strictly}); binary search. */
        private static int firstAtLeast(double[] sorted, double value, boolean strictly) {
            int low = 0;
            int high = sorted.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                boolean before = strictly ? sorted[middle] <= value : sorted[middle] < value;
                if (before) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }
    }
}

package dev.seer.training.metrics;

import dev.seer.training.Task;

/**
 * The classification metrics that do not rank: log loss, accuracy, F1, Brier score, and the predicted class they
 * share with {@link ConfusionMatrix}. Each follows scikit-learn 1.2.1 as installed (module
 * {@code sklearn/metrics/_classification.py}); {@code rows} is a resample (repeats allowed) or null for all rows.
 */
final class ClassMetrics {
    /** Binary rule: class 1 iff P(1) > threshold, as sklearn's {@code predict} (argmax of [1 − p, p], first max). */
    static final double DEFAULT_THRESHOLD = 0.5;

    /** {@code np.finfo(float64).eps}, log_loss's clip when {@code eps="auto"}. */
    private static final double EPS = Math.ulp(1.0);

    // −ln of each row's clipped, renormalised probability of its class: the logarithms are the costly part of a
    // replicate, so they are taken once per Scored and a replicate only sums them.
    private static final PerScored<double[]> ROW_LOG_LOSSES = new PerScored<>(ClassMetrics::rowLogLosses);

    private ClassMetrics() {
    }

    static int size(Scored scored, int[] rows) {
        return rows == null ? scored.rows() : rows.length;
    }

    static int row(int[] rows, int t) {
        return rows == null ? t : rows[t];
    }

    /** Binary: P(1) > threshold. Multiclass: the first column of largest probability (numpy argmax). */
    static int predictedClass(Scored scored, int row, double threshold) {
        if (scored.task() == Task.BINARY) {
            return scored.scoreAt(row) > threshold ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < scored.classes(); c++) {
            if (scored.probabilityAt(row, c) > scored.probabilityAt(row, best)) {
                best = c;
            }
        }
        return best;
    }

    /**
     * sklearn 1.2.1 {@code log_loss(eps="auto")}: clip every probability to [eps, 1 − eps] (binary: clip P(1), then
     * take [1 − p, p]), divide each row by its sum, mean of −ln(probability of the true class).
     */
    static double logLoss(Scored scored, int[] rows) {
        double[] losses = ROW_LOG_LOSSES.get(scored);
        int m = size(scored, rows);
        double sum = 0.0;
        for (int t = 0; t < m; t++) {
            sum += losses[row(rows, t)];
        }
        return sum / m;
    }

    private static double[] rowLogLosses(Scored scored) {
        double[] losses = new double[scored.rows()];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = rowLoss(scored, i);
        }
        return losses;
    }

    private static double rowLoss(Scored scored, int row) {
        int label = (int) scored.truthAt(row);
        if (scored.task() == Task.BINARY) {
            double p = clip(scored.scoreAt(row));
            double q = 1 - p;
            return -Math.log((label == 1 ? p : q) / (q + p));
        }
        double rowSum = 0.0;
        for (int c = 0; c < scored.classes(); c++) {
            rowSum += clip(scored.probabilityAt(row, c));
        }
        return -Math.log(clip(scored.probabilityAt(row, label)) / rowSum);
    }

    private static double clip(double p) {
        return Math.min(Math.max(p, EPS), 1 - EPS);
    }

    static double accuracy(Scored scored, int[] rows) {
        int m = size(scored, rows);
        long correct = 0;
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            correct += predictedClass(scored, i, DEFAULT_THRESHOLD) == (int) scored.truthAt(i) ? 1 : 0;
        }
        return (double) correct / m;
    }

    /** Mean squared difference between the 0/1 truth and P(1) ({@code brier_score_loss}, binary only). */
    static double brier(Scored scored, int[] rows) {
        int m = size(scored, rows);
        double sum = 0.0;
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            double difference = scored.truthAt(i) - scored.scoreAt(i);
            sum += difference * difference;
        }
        return sum / m;
    }

    /**
     * Binary: F1 of class 1 ({@code average="binary"}). Multiclass: the unweighted mean of per-class F1 over the
     * classes present in the truth or the predictions ({@code average="macro"}, {@code labels=None}: a class never
     * seen nor predicted is left out). A precision, recall or F1 with a zero denominator is 0
     * ({@code zero_division="warn"} → 0).
     */
    static double f1(Scored scored, int[] rows) {
        int k = scored.classes();
        long[] truePositives = new long[k];
        long[] predicted = new long[k];
        long[] actual = new long[k];
        int m = size(scored, rows);
        for (int t = 0; t < m; t++) {
            int i = row(rows, t);
            int label = (int) scored.truthAt(i);
            int guess = predictedClass(scored, i, DEFAULT_THRESHOLD);
            actual[label]++;
            predicted[guess]++;
            truePositives[label] += label == guess ? 1 : 0;
        }
        if (scored.task() == Task.BINARY) {
            return f1(truePositives[1], predicted[1], actual[1]);
        }
        double sum = 0.0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (predicted[c] + actual[c] > 0) {
                sum += f1(truePositives[c], predicted[c], actual[c]);
                present++;
            }
        }
        return sum / present;
    }

    // sklearn's order of operations: precision and recall first, then 2PR / (P + R)
    private static double f1(long truePositives, long predicted, long actual) {
        double precision = predicted == 0 ? 0.0 : (double) truePositives / predicted;
        double recall = actual == 0 ? 0.0 : (double) truePositives / actual;
        double denominator = precision + recall;
        return denominator == 0.0 ? 0.0 : 2 * precision * recall / denominator;
    }
}

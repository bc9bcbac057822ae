package dev.seer.monitoring.performance;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * CBPE's estimates from calibrated probabilities (NannyML, nannyml/performance_estimation/
 * confidence_based/metrics.py, commit 4c86ee35). If p is the calibrated probability that a row is
 * positive, a row predicted positive is a true positive with probability p and a false positive
 * with 1 - p; a row predicted negative a false negative with p and a true negative with 1 - p.
 * Summing gives the expected confusion matrix TP, FP, FN, TN of the chunk, and the metrics are
 * computed from it as from a realised one (a zero denominator gives 0, as NannyML returns).
 *
 * <p>ROC AUC needs no predicted label: rows are ordered by raw score, highest first (ties by
 * position, the reverse of a stable ascending sort, where numpy's {@code argsort()[::-1]} leaves
 * tied rows' order unspecified), the expected true positives after k rows are the running sum of
 * p, the expected false positives k minus that; both are rounded to 5 decimals (as NannyML does),
 * divided by their totals to give the curve, and the area is taken by the trapezoid rule. Tied
 * scores are not merged into one curve point, unlike sklearn's {@code roc_curve}.
 */
final class Expected {
    private Expected() {
    }

    static Map<Metric, Double> metrics(double[] probabilities, double[] scores, int[] predicted) {
        double tp = 0;
        double fp = 0;
        double fn = 0;
        double tn = 0;
        for (int i = 0; i < probabilities.length; i++) {
            double p = probabilities[i];
            if (predicted[i] == 1) {
                tp += p;
                fp += 1 - p;
            } else {
                fn += p;
                tn += 1 - p;
            }
        }
        Map<Metric, Double> out = new EnumMap<>(Metric.class);
        out.put(Metric.ACCURACY, (tp + tn) / probabilities.length);
        out.put(Metric.PRECISION, ratio(tp, tp + fp));
        out.put(Metric.RECALL, ratio(tp, tp + fn));
        out.put(Metric.SPECIFICITY, ratio(tn, tn + fp));
        out.put(Metric.F1, ratio(tp, tp + 0.5 * (fp + fn)));
        out.put(Metric.ROC_AUC, rocAuc(probabilities, scores));
        return out;
    }

    private static double ratio(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }

    static double rocAuc(double[] probabilities, double[] scores) {
        int n = scores.length;
        Integer[] ascending = new Integer[n];
        for (int i = 0; i < n; i++) {
            ascending[i] = i;
        }
        Arrays.sort(ascending, (a, b) -> Double.compare(scores[a], scores[b]));
        double[] tps = new double[n + 1];
        double[] fps = new double[n + 1];
        double running = 0;
        for (int k = 1; k <= n; k++) {
            running += probabilities[ascending[n - k]];
            tps[k] = running;
            fps[k] = k - running;
        }
        for (int k = 0; k <= n; k++) {
            tps[k] = Math.rint(tps[k] * 1e5) / 1e5;
            fps[k] = Math.rint(fps[k] * 1e5) / 1e5;
        }
        double tpTotal = tps[n];
        double fpTotal = fps[n];
        if (tpTotal == 0 || fpTotal == 0) {
            return Double.NaN;
        }
        double area = 0;
        for (int k = 1; k <= n; k++) {
            area += (fps[k] / fpTotal - fps[k - 1] / fpTotal) * (tps[k] / tpTotal + tps[k - 1] / tpTotal) / 2;
        }
        return area;
    }
}

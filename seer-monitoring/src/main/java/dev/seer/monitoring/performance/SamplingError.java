package dev.seer.monitoring.performance;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * The standard error of each estimate, scaled from the reference as NannyML does
 * (nannyml/sampling_error/binary_classification.py): each metric is seen as the mean of a
 * per-row quantity over the rows it concerns; the reference gives that quantity's standard
 * deviation (divisor n) and the fraction of rows concerned, and a chunk of n rows has the
 * standard error std / sqrt(n * fraction). CBPE's band is the estimate ± 3 standard errors.
 * <ul>
 *   <li>accuracy: 1 for a correct row, 0 otherwise; fraction 1.</li>
 *   <li>precision: 1 for TP, 0 for FP; fraction = predicted positives / n.</li>
 *   <li>recall: 1 for TP, 0 for FN; fraction = true positives / n.</li>
 *   <li>specificity: 1 for TN, 0 for FP; fraction = (TN + FP) / n.</li>
 *   <li>F1: c for TP, 0 for FP and FN, c = (TP + FP + FN) / (TP + (FP + FN) / 2) so the mean is F1;
 *       fraction = (TP + FP + FN) / n.</li>
 *   <li>ROC AUC: the Mann-Whitney view. Labels and scores are flipped (1 - y, 1 - s) when
 *       positives are the majority; rows sorted by score (stably); for the positives in rank
 *       order the placement (rank - index among positives) / negatives; its std, fraction =
 *       positives / n. As NannyML, a positive at rank 0 is left out (its {@code np.unique(...)[1:]}
 *       drops the zero rank) and the index counts only the positives kept.</li>
 * </ul>
 * These come from the raw scores and the model's predicted labels of the reference, before any
 * calibration (NannyML fits its metrics before its calibrator).
 */
final class SamplingError {
    /** std and fraction of one metric. */
    record Component(double std, double fraction) {
        double of(int rows) {
            return std / Math.sqrt(rows * fraction);
        }
    }

    private SamplingError() {
    }

    static Map<Metric, Component> components(double[] scores, int[] predicted, int[] labels) {
        int n = labels.length;
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < n; i++) {
            if (predicted[i] == 1) {
                tp += labels[i];
                fp += 1 - labels[i];
            } else {
                fn += labels[i];
                tn += 1 - labels[i];
            }
        }
        Map<Metric, Component> out = new EnumMap<>(Metric.class);
        out.put(Metric.ACCURACY, new Component(bernoulliStd(tp + tn, n), 1));
        out.put(Metric.PRECISION, new Component(bernoulliStd(tp, tp + fp), (double) (tp + fp) / n));
        out.put(Metric.RECALL, new Component(bernoulliStd(tp, tp + fn), (double) (tp + fn) / n));
        out.put(Metric.SPECIFICITY, new Component(bernoulliStd(tn, tn + fp), (double) (tn + fp) / n));
        long relevant = tp + fp + fn;
        double scale = relevant / (tp + 0.5 * (fp + fn));
        out.put(Metric.F1, new Component(scale * bernoulliStd(tp, relevant), (double) relevant / n));
        out.put(Metric.ROC_AUC, auc(scores, labels));
        return out;
    }

    /** The std (divisor n) of {@code ones} ones among {@code rows} zeros and ones; NaN without rows. */
    private static double bernoulliStd(long ones, long rows) {
        if (rows == 0) {
            return Double.NaN;
        }
        double p = (double) ones / rows;
        return Math.sqrt(p * (1 - p));
    }

    private static Component auc(double[] scores, int[] labels) {
        int n = labels.length;
        double positives = 0;
        for (int label : labels) {
            positives += label;
        }
        boolean flip = positives / n > 0.5;
        double[] s = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = flip ? 1 - scores[i] : scores[i];
            y[i] = flip ? 1 - labels[i] : labels[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        int nPos = 0;
        for (int label : y) {
            nPos += label;
        }
        int nNeg = n - nPos;
        double[] placements = new double[nPos];
        int kept = 0;
        for (int rank = 1; rank < n; rank++) {
            if (y[order[rank]] == 1) {
                placements[kept] = (double) (rank - kept) / nNeg;
                kept++;
            }
        }
        return new Component(populationStd(Arrays.copyOf(placements, kept)), (double) nPos / n);
    }

    private static double populationStd(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double mean = Ranking.mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }
}

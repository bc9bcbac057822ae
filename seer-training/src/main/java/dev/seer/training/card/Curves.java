package dev.seer.training.card;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The points of a ROC and a precision-recall curve, one per distinct score (tied scores move
 * together, as scikit-learn's {@code roc_curve} and {@code precision_recall_curve} group them).
 */
final class Curves {
    private Curves() {}

    /** {false positive rates, true positive rates}, from (0, 0) to (1, 1). */
    static double[][] roc(double[] truth, double[] score) {
        double[][] counts = counts(truth, score);
        double positives = counts[0][counts[0].length - 1];
        double negatives = counts[1][counts[1].length - 1];
        double[] fpr = new double[counts[0].length];
        double[] tpr = new double[counts[0].length];
        for (int i = 0; i < fpr.length; i++) {
            fpr[i] = negatives == 0 ? 0 : counts[1][i] / negatives;
            tpr[i] = positives == 0 ? 0 : counts[0][i] / positives;
        }
        return new double[][] {fpr, tpr};
    }

    /** {recalls, precisions}, from the highest threshold down; precision 1 at recall 0. */
    static double[][] precisionRecall(double[] truth, double[] score) {
        double[][] counts = counts(truth, score);
        double positives = counts[0][counts[0].length - 1];
        double[] recall = new double[counts[0].length];
        double[] precision = new double[counts[0].length];
        for (int i = 0; i < recall.length; i++) {
            double predicted = counts[0][i] + counts[1][i];
            recall[i] = positives == 0 ? 0 : counts[0][i] / positives;
            precision[i] = predicted == 0 ? 1 : counts[0][i] / predicted;
        }
        return new double[][] {recall, precision};
    }

    /** {true positives, false positives} at each distinct threshold, highest first, starting from none. */
    private static double[][] counts(double[] truth, double[] score) {
        Integer[] order = IntStream.range(0, score.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> score[i]).reversed());
        double[] tp = new double[score.length + 1];
        double[] fp = new double[score.length + 1];
        int points = 1;
        int k = 0;
        while (k < order.length) {
            double threshold = score[order[k]];
            tp[points] = tp[points - 1];
            fp[points] = fp[points - 1];
            for (; k < order.length && score[order[k]] == threshold; k++) {
                if (truth[order[k]] == 1) {
                    tp[points]++;
                } else {
                    fp[points]++;
                }
            }
            points++;
        }
        return new double[][] {Arrays.copyOf(tp, points), Arrays.copyOf(fp, points)};
    }
}

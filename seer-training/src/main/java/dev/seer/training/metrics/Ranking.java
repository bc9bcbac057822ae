package dev.seer.training.metrics;

import dev.seer.training.Task;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * One score column of a {@link Scored} sorted once, best score first, so that ROC AUC and average precision of any
 * resample can be computed in one O(n) pass over multiplicity counts instead of sorting every replicate.
 *
 * <p>A bootstrap replicate is the original rows with a count each (0, 1, 2, ...). The ranking metrics only depend on
 * how many positives and negatives share each distinct score, in score order; a row drawn twice counts twice and a
 * row not drawn counts zero, which is exactly what a sort of the replicate would give. The orders are kept per
 * {@code Scored} ({@link PerScored}): computed on first use, shared by every thread and replicate.
 *
 * <p>ROC AUC as the Mann–Whitney probability: Hanley &amp; McNeil (1982), "The meaning and use of the area under a
 * receiver operating characteristic (ROC) curve", Radiology 143:29–36; ties and the ROC construction over distinct
 * thresholds: Fawcett (2006), "An introduction to ROC analysis", Pattern Recognition Letters 27:861–874.
 */
final class Ranking {
    private static final PerScored<Ranking[]> CACHE = new PerScored<>(Ranking::build);

    /** Row indices by descending score; order within a tie is irrelevant. */
    final int[] order;
    /** Whether the row at each sorted position belongs to the class this column scores. */
    final boolean[] positive;
    /** Whether the sorted position starts a new distinct score (sklearn's thresholds). */
    final boolean[] groupStart;

    private Ranking(double[] scores, Scored scored, int positiveClass) {
        int n = scores.length;
        order = IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
                .mapToInt(Integer::intValue).toArray();
        positive = new boolean[n];
        groupStart = new boolean[n];
        for (int j = 0; j < n; j++) {
            positive[j] = scored.truthAt(order[j]) == positiveClass;
            groupStart[j] = j == 0 || scores[order[j]] != scores[order[j - 1]];
        }
    }

    /** The rankings of a classification {@code Scored}: one for binary (P(1)), one per class for multiclass. */
    static Ranking[] of(Scored scored) {
        return CACHE.get(scored);
    }

    private static Ranking[] build(Scored scored) {
        if (scored.task() == Task.BINARY) {
            double[] scores = new double[scored.rows()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = scored.scoreAt(i);
            }
            return new Ranking[] {new Ranking(scores, scored, 1)};
        }
        Ranking[] rankings = new Ranking[scored.classes()];
        for (int c = 0; c < rankings.length; c++) {
            double[] column = new double[scored.rows()];
            for (int i = 0; i < column.length; i++) {
                column[i] = scored.probabilityAt(i, c);
            }
            rankings[c] = new Ranking(column, scored, c);
        }
        return rankings;
    }

    /**
     * The area under the ROC curve: per distinct score, the trapezoid between the previous and the new
     * (false positive, true positive) point, which equals the Mann–Whitney statistic with ties counted one half
     * (sklearn's {@code roc_curve} + {@code auc}). Computed in integers (twice the area) and divided once.
     * NaN when the rows hold only one class.
     */
    double rocAuc(int[] counts) {
        long truePositives = 0;
        long falsePositives = 0;
        long twiceArea = 0;
        int j = 0;
        while (j < order.length) {
            long groupPositives = 0;
            long groupNegatives = 0;
            do {
                long weight = counts == null ? 1 : counts[order[j]];
                if (positive[j]) {
                    groupPositives += weight;
                } else {
                    groupNegatives += weight;
                }
                j++;
            } while (j < order.length && !groupStart[j]);
            twiceArea += groupNegatives * (2 * truePositives + groupPositives);
            truePositives += groupPositives;
            falsePositives += groupNegatives;
        }
        if (truePositives == 0 || falsePositives == 0) {
            return Double.NaN;
        }
        return twiceArea / (2.0 * truePositives * falsePositives);
    }

    /**
     * Average precision, sklearn's step-wise sum {@code Σ (R_n − R_{n−1}) · P_n} over distinct scores (not the
     * trapezoid). NaN when the rows hold only one class (sklearn 1.2.1 gives 0.0 with a warning when there is no
     * positive and 1.0 when there is no negative).
     */
    double averagePrecision(int[] counts) {
        long totalPositives = 0;
        long total = 0;
        for (int j = 0; j < order.length; j++) {
            long weight = counts == null ? 1 : counts[order[j]];
            total += weight;
            totalPositives += positive[j] ? weight : 0;
        }
        if (totalPositives == 0 || totalPositives == total) {
            return Double.NaN;
        }
        return stepSum(counts, totalPositives);
    }

    private double stepSum(int[] counts, long totalPositives) {
        long truePositives = 0;
        long predicted = 0;
        double previousRecall = 0.0;
        double sum = 0.0;
        int j = 0;
        while (j < order.length) {
            do {
                long weight = counts == null ? 1 : counts[order[j]];
                predicted += weight;
                truePositives += positive[j] ? weight : 0;
                j++;
            } while (j < order.length && !groupStart[j]);
            double recall = (double) truePositives / totalPositives;
            if (recall != previousRecall) {
                sum += (recall - previousRecall) * ((double) truePositives / predicted);
                previousRecall = recall;
            }
        }
        return sum;
    }
}

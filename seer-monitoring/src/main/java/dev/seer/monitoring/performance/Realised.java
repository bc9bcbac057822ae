package dev.seer.monitoring.performance;

import java.util.EnumMap;
import java.util.Map;

/**
 * Realised performance of a binary classifier on rows whose labels have arrived, with 95%
 * confidence intervals, to be shown beside {@link Cbpe}'s estimate for the same chunk.
 *
 * <p>Values follow sklearn 1.2's definitions ({@code accuracy_score}, {@code precision_score},
 * {@code recall_score}, {@code f1_score}, {@code recall_score(pos_label=0)} for specificity,
 * {@code roc_auc_score}): a ratio whose denominator is zero is 0 (sklearn's
 * {@code zero_division="warn"} result); ROC AUC is NaN when the chunk has a single class (sklearn
 * raises). No rows: every value and bound NaN, {@link #hasData()} false.
 *
 * <p>Intervals, 95% (z = 1.959963984540054):
 * <ul>
 *   <li>accuracy, precision, recall, specificity: the Wilson score interval (Wilson 1927) of the
 *       proportion over its own denominator (rows; predicted positives; positives; negatives).
 *       Wilson rather than the normal (Wald) interval because it stays inside [0, 1] and keeps
 *       its coverage near 0 and 1, where good models live (Brown, Cai and DasGupta 2001).</li>
 *   <li>F1: F1 = 2q / (1 + q) with q = TP / (TP + FP + FN), a proportion over the rows that are
 *       predicted or truly positive; F1 rises with q, so the Wilson interval of q mapped through
 *       2q / (1 + q) is an interval for F1 with the same coverage (conditional on that count).
 *       Closed form and deterministic, where a bootstrap would need a seed and 1,000 passes.</li>
 *   <li>ROC AUC: AUC ± z·sqrt(DeLong variance) (DeLong et al. 1988), clipped to [0, 1]; NaN
 *       when a class has fewer than two rows. DeLong rather than Hanley and McNeil (1982)
 *       because it makes no assumption on the score distributions.</li>
 * </ul>
 */
public final class Realised {
    static final double Z95 = 1.959963984540054;

    /** A realised value and its 95% interval. */
    public record Value(double value, double lower, double upper) {
    }

    private final int rows;
    private final Map<Metric, Value> values;

    private Realised(int rows, Map<Metric, Value> values) {
        this.rows = rows;
        this.values = values;
    }

    /** Realised metrics with the predicted label {@code score >= 0.5}. */
    public static Realised of(double[] scores, int[] labels) {
        Inputs.scores(scores);
        return of(scores, Inputs.predicted(scores, Cbpe.Options.DEFAULT_THRESHOLD), labels);
    }

    /** Realised metrics with the model's own predicted labels (ROC AUC still ranks the scores). */
    public static Realised of(double[] scores, int[] predicted, int[] labels) {
        Inputs.scores(scores);
        Inputs.labels("predicted labels", predicted, scores.length);
        Inputs.labels("labels", labels, scores.length);
        return compute(scores, predicted, labels);
    }

    static Realised compute(double[] scores, int[] predicted, int[] labels) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < scores.length; i++) {
            if (predicted[i] == 1) {
                if (labels[i] == 1) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (labels[i] == 1) {
                fn++;
            } else {
                tn++;
            }
        }
        Map<Metric, Value> values = new EnumMap<>(Metric.class);
        int rows = scores.length;
        values.put(Metric.ACCURACY, wilson(tp + tn, rows, rows));
        values.put(Metric.PRECISION, wilson(tp, tp + fp, rows));
        values.put(Metric.RECALL, wilson(tp, tp + fn, rows));
        values.put(Metric.SPECIFICITY, wilson(tn, tn + fp, rows));
        values.put(Metric.F1, f1(tp, tp + fp + fn, scores.length));
        values.put(Metric.ROC_AUC, auc(scores, labels));
        return new Realised(scores.length, values);
    }

    public int rows() {
        return rows;
    }

    /** False for a chunk without rows: the "no data" status, every value NaN. */
    public boolean hasData() {
        return rows > 0;
    }

    public Value get(Metric metric) {
        return values.get(metric);
    }

    /** Zero trials with rows present: sklearn's value is 0 (zero_division), with no interval. */
    private static Value wilson(long successes, long trials, int rows) {
        if (trials == 0) {
            return new Value(rows == 0 ? Double.NaN : 0, Double.NaN, Double.NaN);
        }
        double[] bounds = wilsonBounds(successes, trials);
        return new Value((double) successes / trials, bounds[0], bounds[1]);
    }

    private static Value f1(long tp, long relevant, int rows) {
        if (relevant == 0) {
            return rows == 0 ? new Value(Double.NaN, Double.NaN, Double.NaN) : new Value(0, Double.NaN, Double.NaN);
        }
        double[] q = wilsonBounds(tp, relevant);
        return new Value(2.0 * tp / (tp + relevant), 2 * q[0] / (1 + q[0]), 2 * q[1] / (1 + q[1]));
    }

    static double[] wilsonBounds(long successes, long trials) {
        double n = trials;
        double p = successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    private static Value auc(double[] scores, int[] labels) {
        double[] av = Ranking.aucAndVariance(scores, labels);
        double half = Z95 * Math.sqrt(av[1]);
        return new Value(av[0], Math.max(0, av[0] - half), Math.min(1, av[0] + half));
    }
}

package dev.seer.explain;

import dev.seer.core.SeerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Permutation importance (Breiman 2001; scikit-learn's {@code permutation_importance}): how much
 * the metric worsens when one feature's column is shuffled, breaking its link with the label while
 * keeping its distribution. Each feature is shuffled {@code repeats} times (seeded), and its
 * importance is the mean worsening with a Student-t confidence interval of that mean over the
 * repeats. Positive: the model relies on the feature; around zero: it does not; negative: shuffling
 * helped, a sign of noise or overfitting.
 *
 * @param metric the scorer's name
 * @param baseline the metric on the rows as they are
 */
public record PermutationImportance(String metric, double baseline, int repeats, double confidence,
        List<Feature> features) {
    /** One feature's importance: the mean worsening and its interval. */
    public record Feature(String name, double mean, double low, double high) {}

    public PermutationImportance {
        features = List.copyOf(features);
    }

    /**
     * @param rows evaluation rows (held-out rows, not the training rows, to measure what generalises)
     * @param names the features, in row order
     */
    public static PermutationImportance compute(Predictor model, double[][] rows, double[] labels, List<String> names,
            Scorer scorer, int repeats, long seed, double confidence) {
        check(rows, labels, names, repeats, confidence);
        double baseline = scorer.score(model.predict(rows), labels);
        TDistribution t = new TDistribution(null, Math.max(1, repeats - 1));
        double quantile = repeats > 1 ? t.inverseCumulativeProbability(0.5 + confidence / 2) : 0;
        List<Feature> out = new ArrayList<>();
        double[][] shuffled = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            shuffled[r] = rows[r].clone();
        }
        for (int f = 0; f < names.size(); f++) {
            SplittableRandom random = new SplittableRandom(seed * 1_000_003L + f);
            double[] drops = new double[repeats];
            for (int k = 0; k < repeats; k++) {
                shuffle(shuffled, rows, f, random);
                double score = scorer.score(model.predict(shuffled), labels);
                drops[k] = scorer.higherIsBetter() ? baseline - score : score - baseline;
            }
            restore(shuffled, rows, f);
            out.add(summary(names.get(f), drops, quantile));
        }
        return new PermutationImportance(scorer.name(), baseline, repeats, confidence, out);
    }

    private static Feature summary(String name, double[] drops, double quantile) {
        double mean = 0;
        for (double d : drops) {
            mean += d / drops.length;
        }
        double variance = 0;
        for (double d : drops) {
            variance += (d - mean) * (d - mean) / Math.max(1, drops.length - 1);
        }
        double half = quantile * Math.sqrt(variance / drops.length);
        return new Feature(name, mean, mean - half, mean + half);
    }

    /** Fisher–Yates on column {@code f}, from the original values each time. */
    private static void shuffle(double[][] shuffled, double[][] rows, int f, SplittableRandom random) {
        for (int r = 0; r < rows.length; r++) {
            shuffled[r][f] = rows[r][f];
        }
        for (int r = rows.length - 1; r > 0; r--) {
            int other = random.nextInt(r + 1);
            double swap = shuffled[r][f];
            shuffled[r][f] = shuffled[other][f];
            shuffled[other][f] = swap;
        }
    }

    private static void restore(double[][] shuffled, double[][] rows, int f) {
        for (int r = 0; r < rows.length; r++) {
            shuffled[r][f] = rows[r][f];
        }
    }

    private static void check(double[][] rows, double[] labels, List<String> names, int repeats, double confidence) {
        if (rows.length < 2 || labels.length != rows.length) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Permutation importance needs at least 2 rows and"
                    + " one label per row; got [" + rows.length + "] rows and [" + labels.length + "] labels",
                    Map.of("field", "rows"));
        }
        for (int r = 0; r < rows.length; r++) {
            Rows.check(rows[r], names);
        }
        if (repeats < 2 || !(confidence > 0 && confidence < 1)) {
            throw new SeerException(ExplainErrorCode.INVALID_ARGUMENT, "Permutation importance needs repeats >= 2 and a "
                    + "confidence in (0, 1); got [" + repeats + "] and [" + confidence + "]", Map.of("field", "repeats"));
        }
    }
}

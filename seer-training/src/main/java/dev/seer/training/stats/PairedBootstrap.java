package dev.seer.training.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A paired bootstrap for any metric difference (Efron, Tibshirani 1993, An Introduction to the
 * Bootstrap, ch. 13 and 16; Davison, Hinkley 1997, Bootstrap Methods and their Application, §4.4).
 *
 * <p>Each replicate draws n row indices with replacement — the same rows for both models, which
 * is what makes it paired — and evaluates δ* = metric(A) − metric(B) on them. With strata the draw
 * is made within each stratum (class), keeping each stratum's size, so every replicate has every
 * class and a metric such as ROC AUC is always defined (pROC's {@code boot.stratified = TRUE}).
 *
 * <p>Interval: the percentile interval, the (1 − c)/2 and (1 + c)/2 quantiles of δ* with linear
 * interpolation (numpy's default). p-value: the inversion of that interval, with Davison and
 * Hinkley's +1 so that p is never 0: p = min(1, 2·(1 + min(#{δ* ≤ 0}, #{δ* ≥ 0}))/(B + 1)). The test
 * rejects at α about when 0 lies outside the (1 − α) percentile interval, so the p-value and the
 * interval never tell different stories; docs/design/statistical-tests.md records its rejection
 * rate under a true null. The statistic is δ̂/sd(δ*), pROC's bootstrap D, for information only.
 * A seeded {@link SplittableRandom} draws the rows: the same seed gives the same result.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /**
     * @param difference metric(A on rows) − metric(B on rows) for rows given as indices (repeats
     *     allowed); it is first called on all rows 0..n−1 for the observed effect
     * @param n number of held-out rows
     * @param strata a stratum (class) per row, or null to resample all rows together
     * @param resamples number of bootstrap replicates B (at least 1; 2,000 is a good default)
     * @param confidence level of the percentile interval, in (0, 1)
     * @param seed the seed of the resampling
     */
    public static TestResult compare(ToDoubleFunction<int[]> difference, int n, int[] strata, int resamples,
            double confidence, long seed) {
        Arguments.requireNonNull(difference, "difference");
        if (n < 1) {
            throw Arguments.invalid("n", "Argument [n] must be >= 1, was [" + n + "]");
        }
        if (strata != null) {
            Arguments.requireSameLength(strata.length, "strata", n, "n");
        }
        if (resamples < 1) {
            throw Arguments.invalid("resamples", "Argument [resamples] must be >= 1, was [" + resamples + "]");
        }
        Arguments.requireProbability(confidence, "confidence");
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double observed = evaluate(difference, all, -1);
        double[] replicates = replicates(difference, strataMembers(all, strata), resamples, new SplittableRandom(seed));
        Arrays.sort(replicates);
        double alpha = 1 - confidence;
        return new TestResult("paired-bootstrap", statistic(observed, replicates), pValue(replicates), observed,
                quantile(replicates, alpha / 2), quantile(replicates, 1 - alpha / 2));
    }

    /** For each row, the rows of its stratum (all rows when there are no strata). */
    private static int[][] strataMembers(int[] all, int[] strata) {
        int[][] members = new int[all.length][];
        if (strata == null) {
            Arrays.fill(members, all);
            return members;
        }
        Map<Integer, List<Integer>> byStratum = new HashMap<>();
        for (int row : all) {
            byStratum.computeIfAbsent(strata[row], s -> new ArrayList<>()).add(row);
        }
        Map<Integer, int[]> arrays = new HashMap<>();
        byStratum.forEach((s, rows) -> arrays.put(s, rows.stream().mapToInt(Integer::intValue).toArray()));
        for (int row : all) {
            members[row] = arrays.get(strata[row]);
        }
        return members;
    }

    /** Row i of a replicate is drawn from row i's stratum, so every replicate keeps the strata sizes. */
    private static double[] replicates(ToDoubleFunction<int[]> difference, int[][] members, int resamples,
            SplittableRandom random) {
        double[] replicates = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            int[] rows = new int[members.length];
            for (int i = 0; i < rows.length; i++) {
                int[] stratum = members[i];
                rows[i] = stratum[random.nextInt(stratum.length)];
            }
            replicates[b] = evaluate(difference, rows, b);
        }
        return replicates;
    }

    private static double evaluate(ToDoubleFunction<int[]> difference, int[] rows, int replicate) {
        double value = difference.applyAsDouble(rows);
        if (!Double.isFinite(value)) {
            String where = replicate < 0 ? "on all rows" : "on replicate [" + replicate + "] (give strata if a"
                    + " resample can miss a class)";
            throw Arguments.invalid("difference", "Argument [difference] returned [" + value + "] " + where);
        }
        return value;
    }

    /** Percentile-interval inversion with the +1 of Davison and Hinkley; replicates sorted. */
    static double pValue(double[] sortedReplicates) {
        long atOrBelowZero = 0;
        long atOrAboveZero = 0;
        for (double value : sortedReplicates) {
            atOrBelowZero += value <= 0 ? 1 : 0;
            atOrAboveZero += value >= 0 ? 1 : 0;
        }
        double tail = 1 + Math.min(atOrBelowZero, atOrAboveZero);
        return Math.min(1, 2 * tail / (sortedReplicates.length + 1));
    }

    /** numpy's default quantile (linear interpolation between order statistics). */
    static double quantile(double[] sorted, double probability) {
        double position = (sorted.length - 1) * probability;
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double statistic(double observed, double[] replicates) {
        double mean = Arrays.stream(replicates).average().orElseThrow();
        double sum = 0;
        for (double value : replicates) {
            sum += (value - mean) * (value - mean);
        }
        double sd = replicates.length > 1 ? Math.sqrt(sum / (replicates.length - 1)) : 0;
        if (sd == 0) {
            return observed == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, observed);
        }
        return observed / sd;
    }
}

package dev.seer.training.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals for a metric (Efron &amp; Tibshirani 1993, <i>An Introduction to the
 * Bootstrap</i>, ch. 13).
 *
 * <p>Each replicate draws n rows with replacement; for classification the draw is stratified by class (each class
 * keeps its count), as pROC's {@code ci.auc(boot.stratified=TRUE)} does, so every replicate has every class and the
 * ranking metrics stay defined. The interval is the (1 − c)/2 and (1 + c)/2 quantiles of the replicate values, read
 * with numpy's default linear interpolation. The seed makes the interval repeat exactly; it should be recorded with
 * the result.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    public static Interval interval(Metric metric, Scored scored, int resamples, double confidence, long seed) {
        requireNonNull(metric, "metric is null");
        requireNonNull(scored, "scored is null");
        if (resamples < 1) {
            throw Scored.invalid("resamples", "Argument [resamples] is [" + resamples + "]; it must be at least 1");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw Scored.invalid("confidence", "Argument [confidence] is [" + confidence + "]; it must lie in (0, 1)");
        }
        double value = metric.value(scored);
        if (Double.isNaN(value)) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0, confidence);
        }
        double[] replicates = replicates(metric, scored, resamples, seed);
        if (replicates.length == 0) {
            return new Interval(value, Double.NaN, Double.NaN, 0, confidence);
        }
        Arrays.sort(replicates);
        double tail = (1 - confidence) / 2;
        return new Interval(value, Quantiles.linear(replicates, tail), Quantiles.linear(replicates, 1 - tail),
                replicates.length, confidence);
    }

    /**
     * The row indices of one replicate: n draws with replacement from all rows, or, with {@code strata} (a
     * non-negative stratum id per row, such as the class index), from each stratum as many draws as it has rows.
     */
    public static int[] resample(int[] strata, int n, SplittableRandom random) {
        requireNonNull(random, "random is null");
        if (n < 1) {
            throw Scored.invalid("n", "Argument [n] is [" + n + "]; it must be at least 1");
        }
        if (strata == null) {
            int[] rows = new int[n];
            for (int t = 0; t < n; t++) {
                rows[t] = random.nextInt(n);
            }
            return rows;
        }
        return stratified(strata, n, random);
    }

    private static double[] replicates(Metric metric, Scored scored, int resamples, long seed) {
        int[] strata = scored.classIndices();
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int defined = 0;
        for (int b = 0; b < resamples; b++) {
            double value = metric.compute(scored, resample(strata, scored.rows(), random));
            if (!Double.isNaN(value)) {
                values[defined++] = value;
            }
        }
        return Arrays.copyOf(values, defined);
    }

    // Counting sort of the rows by stratum, then each stratum's draws from its own block.
    private static int[] stratified(int[] strata, int n, SplittableRandom random) {
        if (strata.length != n) {
            throw Scored.invalid("strata", "Argument [strata] has [" + strata.length + "] rows but n is [" + n + "]");
        }
        int[] start = blockStarts(strata);
        int[] members = new int[n];
        int[] next = Arrays.copyOf(start, start.length);
        for (int i = 0; i < n; i++) {
            members[next[strata[i]]++] = i;
        }
        int[] rows = new int[n];
        for (int s = 0; s + 1 < start.length; s++) {
            int size = start[s + 1] - start[s];
            for (int t = start[s]; t < start[s + 1]; t++) {
                rows[t] = members[start[s] + random.nextInt(size)];
            }
        }
        return rows;
    }

    // start[s] = first position of stratum s in stratum order; start[last] = n
    private static int[] blockStarts(int[] strata) {
        int max = 0;
        for (int i = 0; i < strata.length; i++) {
            if (strata[i] < 0) {
                throw Scored.invalid("strata", "Argument [strata] holds [" + strata[i] + "] at row [" + i
                        + "]; stratum ids must be non-negative");
            }
            max = Math.max(max, strata[i]);
        }
        int[] start = new int[max + 2];
        for (int stratum : strata) {
            start[stratum + 1]++;
        }
        for (int s = 1; s < start.length; s++) {
            start[s] += start[s - 1];
        }
        return start;
    }
}

package dev.seer.training.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence intervals for metrics (Efron &amp; Tibshirani 1993, <i>An Introduction to the
 * Bootstrap</i>, ch. 13).
 *
 * <p>Each replicate draws n rows with replacement; for classification the draw is stratified by class (each class
 * keeps its count), as pROC's {@code ci.auc(boot.stratified=TRUE)} does, so every replicate has every class and the
 * ranking metrics stay defined. The interval is the (1 − c)/2 and (1 + c)/2 quantiles of the replicate values, read
 * with numpy's default linear interpolation. A replicate where the metric is undefined (NaN) is left out and the
 * interval reports how many were used. The seed makes the interval repeat exactly; record it with the result.
 *
 * <p>{@link #intervals} evaluates several metrics on the same replicates, which is cheaper than one {@link #interval}
 * each and gives the same numbers: replicate b is the same rows for every metric of a seed.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    public static Interval interval(Metric metric, Scored scored, int resamples, double confidence, long seed) {
        requireNonNull(metric, "metric is null");
        return intervals(List.of(metric), scored, resamples, confidence, seed).get(metric);
    }

    /** One interval per metric, all read from the same {@code resamples} replicates. */
    public static Map<Metric, Interval> intervals(List<Metric> metrics, Scored scored, int resamples,
            double confidence, long seed) {
        requireNonNull(metrics, "metrics is null");
        requireNonNull(scored, "scored is null");
        checkArguments(resamples, confidence);
        double[] values = new double[metrics.size()];
        for (int m = 0; m < values.length; m++) {
            values[m] = metrics.get(m).value(scored);
        }
        double[][] replicates = replicates(metrics, scored, resamples, seed);
        Map<Metric, Interval> intervals = new EnumMap<>(Metric.class);
        for (int m = 0; m < values.length; m++) {
            intervals.put(metrics.get(m), percentile(values[m], replicates[m], confidence));
        }
        return intervals;
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
            return Strata.NONE.draw(n, random);
        }
        if (strata.length != n) {
            throw Scored.invalid("strata", "Argument [strata] has [" + strata.length + "] rows but n is [" + n + "]");
        }
        return Strata.of(strata).draw(n, random);
    }

    private static void checkArguments(int resamples, double confidence) {
        if (resamples < 1) {
            throw Scored.invalid("resamples", "Argument [resamples] is [" + resamples + "]; it must be at least 1");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw Scored.invalid("confidence", "Argument [confidence] is [" + confidence + "]; it must lie in (0, 1)");
        }
    }

    // replicates[metric][b], computed without the argument checks of Metric.value (the rows are ours)
    private static double[][] replicates(List<Metric> metrics, Scored scored, int resamples, long seed) {
        int[] classes = scored.classIndices();
        Strata strata = classes == null ? Strata.NONE : Strata.of(classes);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] replicates = new double[metrics.size()][resamples];
        for (int b = 0; b < resamples; b++) {
            int[] rows = strata.draw(scored.rows(), random);
            for (int m = 0; m < replicates.length; m++) {
                replicates[m][b] = metrics.get(m).compute(scored, rows);
            }
        }
        return replicates;
    }

    private static Interval percentile(double value, double[] replicates, double confidence) {
        if (Double.isNaN(value)) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN, 0, confidence);
        }
        double[] defined = Arrays.stream(replicates).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (defined.length == 0) {
            return new Interval(value, Double.NaN, Double.NaN, 0, confidence);
        }
        double tail = (1 - confidence) / 2;
        return new Interval(value, Quantiles.linear(defined, tail), Quantiles.linear(defined, 1 - tail),
                defined.length, confidence);
    }

    /** Rows grouped by stratum once, so that each replicate only draws. */
    private static final class Strata {
        static final Strata NONE = new Strata(null, null);

        private final int[] members;
        private final int[] start;

        private Strata(int[] members, int[] start) {
            this.members = members;
            this.start = start;
        }

        // Counting sort of the rows by stratum: stratum s holds members[start[s] .. start[s + 1]).
        static Strata of(int[] strata) {
            int[] start = blockStarts(strata);
            int[] members = new int[strata.length];
            int[] next = Arrays.copyOf(start, start.length);
            for (int i = 0; i < strata.length; i++) {
                members[next[strata[i]]++] = i;
            }
            return new Strata(members, start);
        }

        int[] draw(int n, SplittableRandom random) {
            int[] rows = new int[n];
            if (members == null) {
                for (int t = 0; t < n; t++) {
                    rows[t] = random.nextInt(n);
                }
                return rows;
            }
            for (int s = 0; s + 1 < start.length; s++) {
                int size = start[s + 1] - start[s];
                for (int t = start[s]; t < start[s + 1]; t++) {
                    rows[t] = members[start[s] + random.nextInt(size)];
                }
            }
            return rows;
        }

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
}

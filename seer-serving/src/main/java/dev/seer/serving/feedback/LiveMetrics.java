package dev.seer.serving.feedback;

import static java.util.Objects.requireNonNull;

import dev.seer.models.OutputKind;
import dev.seer.serving.feedback.FeedbackStore.Pair;
import dev.seer.training.metrics.Metric;
import dev.seer.training.metrics.Scored;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * A deployment's metrics in production, per arm, from the outcomes joined to its predictions,
 * over a window of prediction times or in aligned buckets (hourly, daily: multiples of the bucket
 * since the epoch, so UTC hours and days).
 *
 * <p>The values are training's metrics ({@code seer-training}'s {@link Metric}, scikit-learn
 * 1.2.1's definitions), so a model's live numbers compare with its evaluation report: binary
 * probability outputs get ROC AUC, log loss, accuracy (class 1 iff P(1) &gt; 0.5) and Brier;
 * regression RMSE and MAE; multiclass accuracy (argmax) and log loss.
 *
 * <p>Each value has a two-sided interval at the given confidence (0.95 by default), from closed
 * forms that cost one pass over the pairs, so a dashboard over a large window needs no resampling:
 * <ul>
 *   <li>accuracy: Wilson's score interval for a proportion (Wilson 1927), good at small counts and
 *       near 0 or 1, where the plain normal interval is not;
 *   <li>log loss, Brier and MAE (means of per-outcome losses): the normal interval of a mean,
 *       value ± z·s/√n with s the sample standard deviation of the per-outcome losses (the centre is
 *       the metric itself; log loss's per-outcome losses clip P as scikit-learn does, without its
 *       row renormalisation, which only matters at the clip);
 *   <li>RMSE: the same interval for the mean squared error, then square roots of its ends;
 *   <li>ROC AUC: Hanley and McNeil's (1982, Radiology 143:29) normal approximation of the AUC's
 *       standard error, from the AUC and the two class counts (no DeLong covariance is needed for
 *       one curve).
 * </ul>
 * Ends are clipped to the metric's range. An interval is NaN when it is undefined: fewer than two
 * outcomes for the normal intervals, one class only for AUC (whose value is then NaN too).
 */
public final class LiveMetrics {
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** More buckets than this in one query is refused: a year of hours is 8,784. */
    static final int MAX_BUCKETS = 10_000;
    private static final double EPS = Math.ulp(1.0); // numpy's float64 eps, scikit-learn 1.2.1's log_loss clip

    /** A metric's value and its interval [low, high]; NaN where undefined. */
    public record Estimate(double value, double low, double high) {}

    /**
     * One arm's metrics over a window. An arm whose model changed output kind within the window (or
     * its number of classes) is reported once per kind, since their outputs cannot be pooled.
     */
    public record ArmMetrics(String arm, OutputKind kind, int count, List<String> models, Map<Metric, Estimate> metrics) {
        public ArmMetrics {
            models = List.copyOf(models);
            metrics = Map.copyOf(metrics);
        }
    }

    /** Every arm's metrics over [{@code from}, {@code to}) of prediction time; arms without outcomes are absent. */
    public record Window(Instant from, Instant to, List<ArmMetrics> arms) {
        public Window {
            arms = List.copyOf(arms);
        }
    }

    private final FeedbackStore store;
    private final double confidence;
    private final double z;

    public LiveMetrics(FeedbackStore store) {
        this(store, DEFAULT_CONFIDENCE);
    }

    public LiveMetrics(FeedbackStore store, double confidence) {
        this.store = requireNonNull(store, "store is null");
        if (!(confidence > 0 && confidence < 1)) {
            throw FeedbackStore.invalid("Confidence [" + confidence + "] must lie strictly between 0 and 1", "confidence");
        }
        this.confidence = confidence;
        this.z = new NormalDistribution().inverseCumulativeProbability(0.5 + confidence / 2);
    }

    public double confidence() {
        return confidence;
    }

    /** The metrics of every arm over predictions made in [{@code from}, {@code to}). */
    public Window window(String deployment, Instant from, Instant to) {
        return new Window(from, to, perArm(store.pairs(deployment, Optional.empty(), from, to)));
    }

    /**
     * The metrics in buckets of {@code bucket} (e.g. an hour or a day) covering [{@code from},
     * {@code to}): each bucket is aligned to a multiple of its length since the epoch and cut to the
     * range; buckets without outcomes are kept, with no arms, so a series has no gaps.
     */
    public List<Window> buckets(String deployment, Instant from, Instant to, Duration bucket) {
        requireNonNull(bucket, "bucket is null");
        FeedbackStore.checkRange(from, to);
        if (bucket.toMillis() < 1) {
            throw FeedbackStore.invalid("Bucket [" + bucket + "] must be at least a millisecond", "bucket");
        }
        long size = bucket.toMillis();
        long first = Math.floorDiv(from.toEpochMilli(), size) * size;
        long count = Math.floorDiv(to.toEpochMilli() - first + size - 1, size);
        if (count > MAX_BUCKETS) {
            throw FeedbackStore.invalid("Range [" + from + ", " + to + ") in buckets of [" + bucket + "] makes [" + count
                    + "] buckets; at most " + MAX_BUCKETS, "bucket");
        }
        List<Pair> all = store.pairs(deployment, Optional.empty(), from, to);
        List<Window> windows = new ArrayList<>();
        int next = 0;
        for (long start = first; start < to.toEpochMilli(); start += size) {
            Instant lo = max(from, Instant.ofEpochMilli(start));
            Instant hi = min(to, Instant.ofEpochMilli(start + size));
            int end = next;
            while (end < all.size() && all.get(end).predictedAt().isBefore(hi)) {
                end++;
            }
            windows.add(new Window(lo, hi, perArm(all.subList(next, end))));
            next = end;
        }
        return windows;
    }

    private List<ArmMetrics> perArm(List<Pair> pairs) {
        Map<String, List<Pair>> groups = new LinkedHashMap<>();
        pairs.stream().sorted(Comparator.comparing(Pair::arm).thenComparing(p -> p.kind().id())
                        .thenComparingInt(p -> p.output().length))
                .forEach(p -> groups.computeIfAbsent(p.arm() + '\0' + p.kind().id() + '\0' + p.output().length,
                        k -> new ArrayList<>()).add(p));
        return groups.values().stream().map(this::of).toList();
    }

    /** The metrics of pairs of one arm, one output kind and one output width. */
    ArmMetrics of(List<Pair> pairs) {
        Pair head = pairs.get(0);
        int n = pairs.size();
        double[] truth = new double[n];
        for (int i = 0; i < n; i++) {
            truth[i] = pairs.get(i).outcome();
        }
        Map<Metric, Estimate> metrics = new EnumMap<>(Metric.class);
        switch (head.kind()) {
            case PROBABILITY -> {
                double[] p = column(pairs);
                Scored scored = Scored.binary(truth, p);
                metrics.put(Metric.ROC_AUC, auc(Metric.ROC_AUC.value(scored), truth));
                metrics.put(Metric.LOG_LOSS, mean(Metric.LOG_LOSS.value(scored), binaryLogLosses(truth, p), Double.POSITIVE_INFINITY));
                metrics.put(Metric.ACCURACY, wilson(Metric.ACCURACY.value(scored), n));
                metrics.put(Metric.BRIER, mean(Metric.BRIER.value(scored), squaredErrors(truth, p), 1.0));
            }
            case VALUE -> {
                double[] predicted = column(pairs);
                Scored scored = Scored.regression(truth, predicted);
                metrics.put(Metric.RMSE, rmse(Metric.RMSE.value(scored), squaredErrors(truth, predicted)));
                metrics.put(Metric.MAE, mean(Metric.MAE.value(scored), absoluteErrors(truth, predicted), Double.POSITIVE_INFINITY));
            }
            case CLASS_PROBABILITIES -> {
                double[][] probabilities = pairs.stream().map(Pair::output).toArray(double[][]::new);
                Scored scored = Scored.multiclass(truth, probabilities);
                metrics.put(Metric.ACCURACY, wilson(Metric.ACCURACY.value(scored), n));
                metrics.put(Metric.LOG_LOSS, mean(Metric.LOG_LOSS.value(scored), multiclassLogLosses(truth, probabilities),
                        Double.POSITIVE_INFINITY));
            }
        }
        TreeSet<String> models = new TreeSet<>();
        pairs.forEach(p -> models.add(p.model() + ":" + p.version()));
        return new ArmMetrics(head.arm(), head.kind(), n, new ArrayList<>(models), metrics);
    }

    // Wilson score interval: (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n).
    Estimate wilson(double accuracy, int n) {
        double z2 = z * z;
        double centre = (accuracy + z2 / (2.0 * n)) / (1 + z2 / n);
        double half = z * Math.sqrt(accuracy * (1 - accuracy) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Estimate(accuracy, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    // The normal interval of a mean of per-outcome losses, centred on the metric, clipped to [0, upper].
    Estimate mean(double value, double[] losses, double upper) {
        double half = z * standardError(losses);
        return new Estimate(value, Math.max(0, value - half), Math.min(upper, value + half));
    }

    Estimate rmse(double value, double[] squaredErrors) {
        double mse = value * value;
        double half = z * standardError(squaredErrors);
        return new Estimate(value, Math.sqrt(Math.max(0, mse - half)), Math.sqrt(mse + half));
    }

    // Hanley & McNeil (1982): SE² = (A(1−A) + (n1−1)(Q1−A²) + (n0−1)(Q2−A²)) / (n1·n0), Q1 = A/(2−A), Q2 = 2A²/(1+A).
    Estimate auc(double a, double[] truth) {
        if (Double.isNaN(a)) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN);
        }
        long positives = 0;
        for (double y : truth) {
            positives += y == 1.0 ? 1 : 0;
        }
        long negatives = truth.length - positives;
        double q1 = a / (2 - a);
        double q2 = 2 * a * a / (1 + a);
        double variance = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a))
                / ((double) positives * negatives);
        double half = z * Math.sqrt(Math.max(0, variance));
        return new Estimate(a, Math.max(0, a - half), Math.min(1, a + half));
    }

    // s/√n with s the sample standard deviation (n − 1); NaN below two values. Welford's update for stability.
    private static double standardError(double[] values) {
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            double delta = values[i] - mean;
            mean += delta / (i + 1);
            m2 += delta * (values[i] - mean);
        }
        return Math.sqrt(m2 / (n - 1) / n);
    }

    private static double[] column(List<Pair> pairs) {
        double[] values = new double[pairs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pairs.get(i).output()[0];
        }
        return values;
    }

    private static double[] binaryLogLosses(double[] truth, double[] p) {
        double[] losses = new double[truth.length];
        for (int i = 0; i < losses.length; i++) {
            double clipped = Math.min(1 - EPS, Math.max(EPS, p[i]));
            losses[i] = -Math.log(truth[i] == 1.0 ? clipped : 1 - clipped);
        }
        return losses;
    }

    private static double[] multiclassLogLosses(double[] truth, double[][] probabilities) {
        double[] losses = new double[truth.length];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = -Math.log(Math.min(1 - EPS, Math.max(EPS, probabilities[i][(int) truth[i]])));
        }
        return losses;
    }

    private static double[] squaredErrors(double[] truth, double[] predicted) {
        double[] errors = new double[truth.length];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = (truth[i] - predicted[i]) * (truth[i] - predicted[i]);
        }
        return errors;
    }

    private static double[] absoluteErrors(double[] truth, double[] predicted) {
        double[] errors = new double[truth.length];
        for (int i = 0; i < errors.length; i++) {
            errors[i] = Math.abs(truth[i] - predicted[i]);
        }
        return errors;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

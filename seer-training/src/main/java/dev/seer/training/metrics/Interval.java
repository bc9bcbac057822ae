package dev.seer.training.metrics;

/**
 * A metric's value on all rows with a bootstrap confidence interval [low, high]. {@code resamples} is the number of
 * replicates the interval was read from (replicates where the metric is undefined are left out); all three numbers are
 * NaN when the metric is undefined on the rows themselves.
 */
public record Interval(double value, double low, double high, int resamples, double confidence) {
}

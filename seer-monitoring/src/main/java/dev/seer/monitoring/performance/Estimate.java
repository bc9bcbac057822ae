package dev.seer.monitoring.performance;

import java.util.Map;

/**
 * {@link Cbpe}'s estimate of one chunk of unlabelled predictions: per {@link Metric} the estimated
 * value, its sampling error and band, the reference's alert thresholds and whether the estimate
 * is outside them. A chunk without rows has {@link #hasData()} false and NaN values, never an alert.
 */
public final class Estimate {
    /**
     * One metric's estimate.
     *
     * @param value the estimated metric (NaN when it cannot be estimated, e.g. ROC AUC when every
     *     calibrated probability is 0 or every one is 1)
     * @param samplingError the standard error scaled from the reference, std / sqrt(rows * fraction)
     * @param lower value - 3 * samplingError, at least 0
     * @param upper value + 3 * samplingError, at most 1
     * @param lowerThreshold mean - 3 std of the realised metric over the reference's chunks, at least 0
     * @param upperThreshold mean + 3 std of the same, at most 1
     * @param alert value below lowerThreshold or above upperThreshold
     */
    public record Value(double value, double samplingError, double lower, double upper,
            double lowerThreshold, double upperThreshold, boolean alert) {
    }

    private final int rows;
    private final Map<Metric, Value> values;

    Estimate(int rows, Map<Metric, Value> values) {
        this.rows = rows;
        this.values = Map.copyOf(values);
    }

    public int rows() {
        return rows;
    }

    public boolean hasData() {
        return rows > 0;
    }

    public Value get(Metric metric) {
        return values.get(metric);
    }

    @Override
    public String toString() {
        return "Estimate[rows=" + rows + ", " + values + "]";
    }
}

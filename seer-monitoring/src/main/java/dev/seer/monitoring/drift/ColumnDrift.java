package dev.seer.monitoring.drift;

import static java.util.Objects.requireNonNull;

/**
 * The drift of one column: which test ran, its statistic, its p-value (raw and, in a dataset
 * report, adjusted for the number of columns tested) or distance, the threshold and the decision.
 *
 * @param column the column's name
 * @param status {@link Status#NO_DATA} when either sample is empty once missing values are dropped;
 *     the numbers are then NaN and {@code drifted} is false
 * @param test the test that ran (the one chosen per {@link DriftTest#defaultFor} unless configured)
 * @param statistic KS: D; chi-square: χ²; Z: z; distances: the distance
 * @param pValue the raw p-value of a p-value test, NaN for a distance
 * @param adjustedPValue the Benjamini–Hochberg adjusted p-value when a dataset report applied the
 *     correction; otherwise equal to {@code pValue}
 * @param threshold the threshold the score was compared with
 * @param drifted the decision, on the adjusted p-value when there is one
 * @param referenceSize reference values used (missing and infinite ones dropped)
 * @param currentSize current values used
 */
public record ColumnDrift(
        String column,
        Status status,
        DriftTest test,
        double statistic,
        double pValue,
        double adjustedPValue,
        double threshold,
        boolean drifted,
        long referenceSize,
        long currentSize) {

    /** Whether a column could be tested. */
    public enum Status {
        OK,
        NO_DATA
    }

    public ColumnDrift {
        requireNonNull(column, "column is null");
        requireNonNull(status, "status is null");
        requireNonNull(test, "test is null");
    }

    /** The figure compared with the threshold: the (adjusted) p-value of a p-value test, else the distance. */
    public double score() {
        return test.isPValue() ? adjustedPValue : statistic;
    }

    static ColumnDrift noData(String column, DriftTest test, double threshold, long referenceSize, long currentSize) {
        return new ColumnDrift(column, Status.NO_DATA, test, Double.NaN, Double.NaN, Double.NaN, threshold, false,
                referenceSize, currentSize);
    }

    static ColumnDrift of(String column, DriftTest test, double statistic, double pValue, double threshold,
            long referenceSize, long currentSize) {
        double score = test.isPValue() ? pValue : statistic;
        return new ColumnDrift(column, Status.OK, test, statistic, pValue, pValue, threshold,
                test.drifted(score, threshold), referenceSize, currentSize);
    }

    ColumnDrift withAdjustedPValue(double adjusted) {
        return new ColumnDrift(column, status, test, statistic, pValue, adjusted, threshold,
                test.drifted(adjusted, threshold), referenceSize, currentSize);
    }
}

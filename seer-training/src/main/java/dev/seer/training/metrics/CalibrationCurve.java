package dev.seer.training.metrics;

import static java.util.Objects.requireNonNull;

import dev.seer.training.Task;
import java.util.Arrays;

/**
 * A reliability diagram, as scikit-learn 1.2.1's {@code calibration_curve} computes it ({@code sklearn/calibration.py}):
 * P(1) is cut into {@code bins} bins, uniform ({@code linspace(0, 1, bins + 1)}) or quantile (numpy percentiles of the
 * predictions); a prediction equal to an interior edge goes to the lower bin ({@code searchsorted}, left); each
 * non-empty bin gives the mean prediction, the fraction of positives and the row count. Empty bins are dropped, so
 * there may be fewer than {@code bins} points. Arrays are in bin order.
 */
// Arrays as components: the API other packages integrate against; equality is by content below.
@SuppressWarnings("ArrayRecordComponent")
public record CalibrationCurve(double[] meanPredicted, double[] fractionPositive, long[] counts) {
    public static final int DEFAULT_BINS = 10;

    public CalibrationCurve {
        meanPredicted = requireNonNull(meanPredicted, "meanPredicted is null").clone();
        fractionPositive = requireNonNull(fractionPositive, "fractionPositive is null").clone();
        counts = requireNonNull(counts, "counts is null").clone();
        if (meanPredicted.length != fractionPositive.length || meanPredicted.length != counts.length) {
            throw Scored.invalid("counts", "A calibration curve needs as many means, fractions and counts; got ["
                    + meanPredicted.length + "], [" + fractionPositive.length + "], [" + counts.length + "]");
        }
    }

    /** Ten uniform bins. */
    public static CalibrationCurve of(Scored binary) {
        return of(binary, DEFAULT_BINS, false);
    }

    public static CalibrationCurve of(Scored binary, int bins, boolean quantile) {
        requireNonNull(binary, "binary is null");
        if (binary.task() != Task.BINARY) {
            throw Scored.invalid("binary", "A calibration curve needs a binary Scored, not [" + binary.task().id()
                    + "]");
        }
        if (bins < 1) {
            throw Scored.invalid("bins", "Argument [bins] is [" + bins + "]; it must be at least 1");
        }
        double[] edges = quantile ? quantileEdges(binary, bins) : uniformEdges(bins);
        double[] predictedSum = new double[bins];
        double[] positiveSum = new double[bins];
        long[] total = new long[bins];
        for (int i = 0; i < binary.rows(); i++) {
            int bin = bin(edges, binary.scoreAt(i));
            predictedSum[bin] += binary.scoreAt(i);
            positiveSum[bin] += binary.truthAt(i);
            total[bin]++;
        }
        return nonEmpty(predictedSum, positiveSum, total);
    }

    @Override
    public double[] meanPredicted() {
        return meanPredicted.clone();
    }

    @Override
    public double[] fractionPositive() {
        return fractionPositive.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CalibrationCurve curve && Arrays.equals(meanPredicted, curve.meanPredicted)
                && Arrays.equals(fractionPositive, curve.fractionPositive) && Arrays.equals(counts, curve.counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(meanPredicted) + Arrays.hashCode(fractionPositive)) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CalibrationCurve[meanPredicted=" + Arrays.toString(meanPredicted) + ", fractionPositive="
                + Arrays.toString(fractionPositive) + ", counts=" + Arrays.toString(counts) + "]";
    }

    // The interior edges of numpy.linspace(0, 1, bins + 1): i · (1 / bins).
    private static double[] uniformEdges(int bins) {
        double step = 1.0 / bins;
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = i * step;
        }
        return edges;
    }

    // sklearn: np.percentile(p, linspace(0, 1, bins + 1) * 100), which divides by 100 again; interior edges only.
    private static double[] quantileEdges(Scored binary, int bins) {
        double[] sorted = new double[binary.rows()];
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = binary.scoreAt(i);
        }
        Arrays.sort(sorted);
        double step = 1.0 / bins;
        double[] edges = new double[bins - 1];
        for (int i = 1; i < bins; i++) {
            edges[i - 1] = Quantiles.linear(sorted, i * step * 100 / 100);
        }
        return edges;
    }

    // numpy.searchsorted(edges, p, side="left"): the number of edges strictly below p.
    private static int bin(double[] edges, double p) {
        int low = 0;
        int high = edges.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (edges[middle] < p) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static CalibrationCurve nonEmpty(double[] predictedSum, double[] positiveSum, long[] total) {
        int kept = (int) Arrays.stream(total).filter(count -> count > 0).count();
        double[] mean = new double[kept];
        double[] fraction = new double[kept];
        long[] counts = new long[kept];
        int j = 0;
        for (int bin = 0; bin < total.length; bin++) {
            if (total[bin] > 0) {
                mean[j] = predictedSum[bin] / total[bin];
                fraction[j] = positiveSum[bin] / total[bin];
                counts[j++] = total[bin];
            }
        }
        return new CalibrationCurve(mean, fraction, counts);
    }
}

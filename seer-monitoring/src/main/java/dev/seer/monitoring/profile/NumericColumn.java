package dev.seer.monitoring.profile;

import static java.util.Objects.requireNonNull;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The profile of one numeric column: count, missing count, exact min and max, mean and variance,
 * and a KLL quantiles sketch (Karnin, Lang and Liberty 2016, "Optimal Quantile Approximation in
 * Streams"; Apache DataSketches' {@link KllDoublesSketch}).
 *
 * <p>Missing values are null, NaN and ±infinity: Evidently replaces ±inf by NaN and drops NaN
 * before any drift test (docs/design/monitoring-research.md §1.1), so an infinity counts as
 * missing here too rather than turning the mean into NaN.
 *
 * <p>Mean and variance are kept as a compensated sum (Neumaier's variant of Kahan summation) and
 * Welford's sum of squared deviations, and two columns merge by Chan, Golub and LeVeque's parallel
 * formula (1979, "Updating formulae and a pairwise algorithm for computing sample variances"):
 * {@code M2 = M2a + M2b + delta^2 * na * nb / n}. The compensated sum makes the mean of a merge
 * equal, to the last bit in practice, to the mean of one pass over the union.
 *
 * <p>Not thread-safe: a column belongs to its {@link Profile}, which has a single writer. The
 * read methods below see the live state.
 */
public final class NumericColumn {
    private final String name;
    private final KllDoublesSketch sketch;
    private long count;
    private long missing;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double sum;
    private double sumCompensation;
    private double m2;

    NumericColumn(String name, int k) {
        this(name, KllDoublesSketch.newHeapInstance(k));
    }

    NumericColumn(String name, KllDoublesSketch sketch) {
        this.name = requireNonNull(name, "name is null");
        this.sketch = requireNonNull(sketch, "sketch is null");
    }

    static NumericColumn restore(String name, KllDoublesSketch sketch, long count, long missing, double min,
            double max, double sum, double sumCompensation, double m2) {
        NumericColumn column = new NumericColumn(name, sketch);
        column.count = count;
        column.missing = missing;
        // an empty column is written with NaN bounds; the next value must still become both
        column.min = count == 0 ? Double.POSITIVE_INFINITY : min;
        column.max = count == 0 ? Double.NEGATIVE_INFINITY : max;
        column.sum = sum;
        column.sumCompensation = sumCompensation;
        column.m2 = m2;
        return column;
    }

    void update(double value) {
        if (!Double.isFinite(value)) {
            missing++;
            return;
        }
        double meanBefore = count == 0 ? 0 : mean();
        count++;
        addToSum(value);
        m2 += (value - meanBefore) * (value - mean());
        if (value < min) {
            min = value;
        }
        if (value > max) {
            max = value;
        }
        sketch.update(value);
    }

    void updateMissing() {
        missing++;
    }

    /** Neumaier's compensated addition: the low-order bits lost from {@code sum} go to the compensation. */
    private void addToSum(double value) {
        double t = sum + value;
        if (Math.abs(sum) >= Math.abs(value)) {
            sumCompensation += (sum - t) + value;
        } else {
            sumCompensation += (value - t) + sum;
        }
        sum = t;
    }

    /** Adds the other column into this one (Chan et al.'s formula for the moments, KLL's merge for the sketch). */
    void merge(NumericColumn other) {
        if (other.count > 0) {
            if (count == 0) {
                m2 = other.m2;
            } else {
                double delta = other.mean() - mean();
                double n = (double) count + other.count;
                m2 = m2 + other.m2 + delta * delta * ((double) count * other.count / n);
            }
            count += other.count;
            addToSum(other.sum);
            addToSum(other.sumCompensation);
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            sketch.merge(other.sketch);
        }
        missing += other.missing;
    }

    NumericColumn copy() {
        NumericColumn copy = new NumericColumn(name, KllDoublesSketch.newHeapInstance(sketch.getK()));
        copy.merge(this);
        return copy;
    }

    KllDoublesSketch sketch() {
        return sketch;
    }

    double rawSum() {
        return sum;
    }

    double rawSumCompensation() {
        return sumCompensation;
    }

    double rawM2() {
        return m2;
    }

    public String name() {
        return name;
    }

    /** Values seen that were not missing. */
    public long count() {
        return count;
    }

    /** Values seen that were null, NaN or infinite. */
    public long missing() {
        return missing;
    }

    /** Rows seen: {@code count() + missing()}. */
    public long rows() {
        return count + missing;
    }

    /** The smallest value seen, exactly; NaN when no value was seen. */
    public double min() {
        return count == 0 ? Double.NaN : min;
    }

    /** The largest value seen, exactly; NaN when no value was seen. */
    public double max() {
        return count == 0 ? Double.NaN : max;
    }

    /** The mean of the values seen; NaN when no value was seen. */
    public double mean() {
        return count == 0 ? Double.NaN : (sum + sumCompensation) / count;
    }

    /** The population variance (divisor n, as numpy's default); NaN when no value was seen. */
    public double variance() {
        return count == 0 ? Double.NaN : Math.max(0, m2) / count;
    }

    /** The sample variance (divisor n - 1); NaN with fewer than two values. */
    public double sampleVariance() {
        return count < 2 ? Double.NaN : Math.max(0, m2) / (count - 1);
    }

    /** The population standard deviation, the normaliser of Evidently's normed Wasserstein distance. */
    public double std() {
        return Math.sqrt(variance());
    }

    /** The KLL sketch's k. */
    public int k() {
        return sketch.getK();
    }

    /**
     * The sketch's normalised rank error at 99% confidence for a rank or CDF query: about 1.33% at
     * k = 200 (DataSketches' {@code getNormalizedRankError(false)}); 0 while the sketch still holds
     * every value (exact mode).
     */
    public double rankError() {
        return sketch.isEstimationMode() ? sketch.getNormalizedRankError(false) : 0;
    }

    /** The estimated quantile at a normalised rank in [0, 1]. */
    public double quantile(double rank) {
        requireValues();
        return sketch.getQuantile(rank, QuantileSearchCriteria.INCLUSIVE);
    }

    /** The estimated fraction of values {@code <= value}. */
    public double rank(double value) {
        requireValues();
        return sketch.getRank(value, QuantileSearchCriteria.INCLUSIVE);
    }

    /**
     * The estimated share of values in each bin cut at the given split points, for PSI and
     * Jensen-Shannon from sketches. Bins are closed on the left as numpy.histogram's:
     * {@code (-inf, s1), [s1, s2), ..., [sm, +inf)}, so {@code m} split points give {@code m + 1}
     * shares summing to 1. To reproduce Evidently's Sturges binning on pooled data, pass the
     * interior edges (all but the first and the last) of the pooled histogram: every value lies
     * within the outer edges, so the first and last bins here equal numpy's first and last.
     * The split points must be finite, unique and increasing.
     */
    public double[] pmf(double[] splitPoints) {
        requireNonNull(splitPoints, "splitPoints is null");
        requireValues();
        SketchDrift.checkSplitPoints(name, splitPoints);
        return sketch.getPMF(splitPoints, QuantileSearchCriteria.EXCLUSIVE);
    }

    /** The two-sample Kolmogorov-Smirnov statistic and an approximate p-value from the two sketches. */
    public Ks ks(NumericColumn other) {
        requireNonNull(other, "other is null");
        requireValues();
        other.requireValues();
        return SketchDrift.ks(this, other);
    }

    /**
     * The Wasserstein-1 distance between the two distributions the sketches describe, computed
     * exactly over their retained items; equal to the exact distance while both sketches hold
     * every value. Beyond, it is within {@code (rankError() + other.rankError()) * (max - min)} of
     * the pooled range of the exact distance (usually far closer).
     */
    public double wasserstein(NumericColumn other) {
        requireNonNull(other, "other is null");
        requireValues();
        other.requireValues();
        return SketchDrift.wasserstein(sketch, other.sketch);
    }

    private void requireValues() {
        if (count == 0) {
            throw SketchDrift.noValues(name);
        }
    }

    /**
     * A two-sample KS result from sketches.
     *
     * <p>At large n the sketch's error in D dominates the p-value: with 50,000 values on each side,
     * {@code sqrt(n_e)} is 158, so a D too large by 0.01 (well within the error bound of 0.027)
     * turns a p-value of 0.5 into 0.001. {@link #pValue} is then far too small on samples from the
     * same distribution; {@link #conservativePValue} is not, and is the one to threshold on once a
     * sketch is in estimation mode (or use a distance, as Evidently does beyond 1,000 rows).
     *
     * @param statistic the largest difference between the two sketches' CDFs, evaluated at every
     *     retained item of both (the exact D while both sketches hold every value)
     * @param pValue the asymptotic Kolmogorov distribution's survival function at
     *     {@code sqrt(n1 n2 / (n1 + n2)) * statistic}: approximate, since it is asymptotic (SciPy
     *     uses an exact method up to 10,000 values; the drift package matches SciPy on raw samples)
     *     and takes the statistic as exact
     * @param conservativePValue the same function at {@code max(0, statistic - errorBound)}: the
     *     largest p-value any D within the bound could have, so sketch error alone does not make
     *     drift significant (equal to {@code pValue} in exact mode)
     * @param errorBound the bound on {@code |statistic - exact D|}: the sum of the two sketches' rank
     *     errors at 99% confidence (about 2 x 1.33% at k = 200; 0 in exact mode)
     * @param n1 the values behind this column's sketch
     * @param n2 the values behind the other column's sketch
     */
    public record Ks(double statistic, double pValue, double conservativePValue, double errorBound, long n1, long n2) {
    }
}

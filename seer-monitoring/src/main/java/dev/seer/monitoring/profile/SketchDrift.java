package dev.seer.monitoring.profile;

import dev.seer.core.SeerException;
import dev.seer.monitoring.MonitoringErrorCode;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * Two-sample statistics from two KLL sketches, so that a drift report over any range needs the
 * profiles only, never the raw rows.
 *
 * <p>Each sketch stands for a step CDF: its sorted view lists the retained items with cumulative
 * weights, and the estimated rank of x is (weight of retained items {@code <= x}) / n. Both
 * statistics below walk the union of the two sketches' retained items once, in order:
 * <ul>
 *   <li>KS: {@code D = max |R1(x) - R2(x)|} over every retained item x of both. Both estimated CDFs
 *       are right-continuous steps that jump only at retained items, so this is the supremum over
 *       all x of the estimated CDFs' difference. DataSketches' own
 *       {@code KolmogorovSmirnov.computeKSDelta} compares the two views at misaligned positions
 *       and under-estimates D (0.320 instead of SciPy's 0.3467 on the research's samples,
 *       docs/design/monitoring-research.md §7.2). Since KLL bounds every rank's error by its
 *       normalised rank error e, {@code |D_sketch - D_exact| <= e1 + e2}, about 2.66% at k = 200,
 *       and D is exact while both sketches still hold every value.</li>
 *   <li>Wasserstein-1: {@code integral |R1(x) - R2(x)| dx}, exactly, over the same steps (SciPy's
 *       {@code wasserstein_distance} computes the same integral over the raw samples). Since
 *       {@code |R - F| <= e} everywhere, the error is at most {@code (e1 + e2) * (max - min)}.</li>
 * </ul>
 * The p-value is the asymptotic Kolmogorov distribution's survival function
 * {@code Q(lambda) = 2 sum_{j>=1} (-1)^(j-1) exp(-2 j^2 lambda^2)} at
 * {@code lambda = sqrt(n1 n2 / (n1 + n2)) D} (Kolmogorov 1933; Smirnov 1948), with the sketches' n;
 * for small lambda the equivalent theta-function form
 * {@code 1 - sqrt(2 pi) / lambda sum_{j>=1} exp(-(2j-1)^2 pi^2 / (8 lambda^2))} converges faster.
 * It is approximate: SciPy uses an exact method up to 10,000 values, while this ignores the
 * finite-sample correction and, unless asked for the conservative p-value (at D minus the error
 * bound), the statistic's sketch error, which at large n dominates (see {@link NumericColumn.Ks}).
 */
final class SketchDrift {
    private SketchDrift() {
    }

    static NumericColumn.Ks ks(NumericColumn a, NumericColumn b) {
        double d = ksStatistic(a.sketch(), b.sketch());
        long n1 = a.sketch().getN();
        long n2 = b.sketch().getN();
        double root = Math.sqrt((double) n1 * n2 / ((double) n1 + n2));
        double bound = a.rankError() + b.rankError();
        return new NumericColumn.Ks(d, kolmogorovSurvival(root * d), kolmogorovSurvival(root * Math.max(0, d - bound)),
                bound, n1, n2);
    }

    static double ksStatistic(KllDoublesSketch a, KllDoublesSketch b) {
        Walk walk = new Walk(a, b);
        double d = 0;
        while (walk.next()) {
            d = Math.max(d, Math.abs(walk.rank1() - walk.rank2()));
        }
        return d;
    }

    static double wasserstein(KllDoublesSketch a, KllDoublesSketch b) {
        Walk walk = new Walk(a, b);
        double distance = 0;
        double previous = Double.NaN;
        double gap = 0;
        while (walk.next()) {
            if (!Double.isNaN(previous)) {
                distance += gap * (walk.x() - previous);
            }
            previous = walk.x();
            gap = Math.abs(walk.rank1() - walk.rank2());
        }
        return distance;
    }

    /** The Kolmogorov distribution's survival function P(K > lambda). */
    static double kolmogorovSurvival(double lambda) {
        if (lambda <= 0) {
            return 1;
        }
        if (lambda < 1) {
            double sum = 0;
            for (int j = 1; j <= 20; j++) {
                double odd = 2 * j - 1;
                sum += Math.exp(-odd * odd * Math.PI * Math.PI / (8 * lambda * lambda));
            }
            return Math.min(1, Math.max(0, 1 - Math.sqrt(2 * Math.PI) / lambda * sum));
        }
        double sum = 0;
        for (int j = 1; j <= 100; j++) {
            double term = Math.exp(-2.0 * j * j * lambda * lambda);
            sum += (j % 2 == 1) ? term : -term;
            if (term < 1e-300) {
                break;
            }
        }
        return Math.min(1, Math.max(0, 2 * sum));
    }

    static void checkSplitPoints(String column, double[] splitPoints) {
        for (int i = 0; i < splitPoints.length; i++) {
            if (!Double.isFinite(splitPoints[i]) || (i > 0 && splitPoints[i] <= splitPoints[i - 1])) {
                throw invalid("split points of column [" + column + "] must be finite, unique and increasing; ["
                        + splitPoints[i] + "] at index [" + i + "] is not");
            }
        }
    }

    static SeerException noValues(String column) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT,
                "Column [" + column + "] has no values (no data) to compare");
    }

    static SeerException invalid(String message) {
        return new SeerException(MonitoringErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * Visits each distinct value among the retained items of two sketches in increasing order,
     * with each sketch's estimated inclusive rank there. Duplicates are not merged in a sorted view,
     * so the walk advances past every copy of a value before reporting it.
     */
    private static final class Walk {
        private final double[] q1;
        private final long[] w1;
        private final double n1;
        private final double[] q2;
        private final long[] w2;
        private final double n2;
        private int i;
        private int j;
        private double x;

        Walk(KllDoublesSketch a, KllDoublesSketch b) {
            DoublesSortedView v1 = a.getSortedView();
            DoublesSortedView v2 = b.getSortedView();
            q1 = v1.getQuantiles();
            w1 = v1.getCumulativeWeights();
            n1 = v1.getN();
            q2 = v2.getQuantiles();
            w2 = v2.getCumulativeWeights();
            n2 = v2.getN();
        }

        boolean next() {
            if (i == q1.length && j == q2.length) {
                return false;
            }
            double c1 = i < q1.length ? q1[i] : Double.POSITIVE_INFINITY;
            double c2 = j < q2.length ? q2[j] : Double.POSITIVE_INFINITY;
            x = Math.min(c1, c2);
            while (i < q1.length && q1[i] <= x) {
                i++;
            }
            while (j < q2.length && q2[j] <= x) {
                j++;
            }
            return true;
        }

        double x() {
            return x;
        }

        double rank1() {
            return i == 0 ? 0 : w1[i - 1] / n1;
        }

        double rank2() {
            return j == 0 ? 0 : w2[j - 1] / n2;
        }
    }
}

package dev.seer.training.stats;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.special.Beta;

/**
 * The distribution functions behind the p-values, written so that small p-values keep their
 * digits: a tail is always computed directly (the lower tail of a symmetric law, or a regularised
 * incomplete beta with swapped arguments), never as {@code 1 - cdf}, which would round every
 * p-value below about 1e-16 to zero. Commons Math distributions are built with a null
 * {@link RandomGenerator}: nothing here samples, so no generator is seeded from the clock.
 */
final class Distributions {
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution((RandomGenerator) null, 0, 1);
    /** Accuracy of the t quantile's root finder; commons-math's default (1e-9) is coarser than the fixtures. */
    private static final double QUANTILE_ACCURACY = 1e-13;

    private Distributions() {}

    /** Two-sided p of a standard normal statistic: 2 Φ(−|z|). */
    static double normalTwoSided(double z) {
        if (z == 0) {
            return 1;
        }
        return Math.min(1, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /** The standard normal quantile for a two-sided interval at {@code confidence}. */
    static double normalCritical(double confidence) {
        return STANDARD_NORMAL.inverseCumulativeProbability(0.5 + confidence / 2);
    }

    /** Two-sided p of a Student t statistic: 2 T(−|t|), the lower tail being accurate in commons-math. */
    static double studentTwoSided(double t, double degreesOfFreedom) {
        if (t == 0) {
            return 1;
        }
        TDistribution student = new TDistribution((RandomGenerator) null, degreesOfFreedom);
        return Math.min(1, 2 * student.cumulativeProbability(-Math.abs(t)));
    }

    /** The Student t quantile for a two-sided interval at {@code confidence}. */
    static double studentCritical(double confidence, double degreesOfFreedom) {
        TDistribution student = new TDistribution((RandomGenerator) null, degreesOfFreedom, QUANTILE_ACCURACY);
        return student.inverseCumulativeProbability(0.5 + confidence / 2);
    }

    /**
     * P(X ≤ k) for X ~ Binomial(trials, 1/2). Commons Math's BinomialDistribution computes
     * {@code 1 - I_p(k + 1, trials - k)}, which cancels in the lower tail; with p = 1/2 the
     * identity {@code 1 - I_{1/2}(a, b) = I_{1/2}(b, a)} gives the tail directly.
     */
    static double binomialHalfCdf(long k, long trials) {
        if (k < 0) {
            return 0;
        }
        if (k >= trials) {
            return 1;
        }
        return Beta.regularizedBeta(0.5, trials - k, k + 1.0);
    }

    /** Survival function of chi-square with one degree of freedom: P(χ²₁ ≥ x) = 2 Φ(−√x). */
    static double chiSquareOneSurvival(double x) {
        return normalTwoSided(Math.sqrt(x));
    }
}

package dev.seer.training.tuning;

import java.util.SplittableRandom;
import org.apache.commons.math3.special.Erf;

/**
 * The standard normal truncated to [a, b], in the few operations TPE needs. Masses are computed
 * from the tail nearer zero (erfc), so a cell far out in a tail keeps its precision instead of
 * becoming the difference of two numbers close to one.
 */
final class TruncatedNormal {
    private static final double SQRT2 = Math.sqrt(2.0);
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);

    private TruncatedNormal() {}

    /** log P(a <= Z <= b) for a standard normal Z. */
    static double logMass(double a, double b) {
        double mass;
        if (a >= 0) {
            mass = upperTail(a) - upperTail(b);
        } else if (b <= 0) {
            mass = upperTail(-b) - upperTail(-a);
        } else {
            mass = 1.0 - upperTail(-a) - upperTail(b);
        }
        return Math.log(Math.max(mass, 0.0));
    }

    /** log density at z of the standard normal truncated to [a, b] (z inside). */
    static double logPdf(double z, double a, double b) {
        return -0.5 * z * z - LOG_SQRT_2PI - logMass(a, b);
    }

    /** One draw from the standard normal truncated to [a, b], by inverting its CDF. */
    static double sample(double a, double b, SplittableRandom random) {
        // Work in the lower half so the CDF values stay away from 1, where doubles are coarse.
        if (a > 0) {
            return -sample(-b, -a, random);
        }
        double lo = cdf(a);
        double hi = cdf(b);
        double u = lo + random.nextDouble() * (hi - lo);
        double z = u <= 0 ? a : -SQRT2 * Erf.erfcInv(2.0 * u);
        return Math.max(a, Math.min(b, z));
    }

    static double cdf(double z) {
        return 0.5 * Erf.erfc(-z / SQRT2);
    }

    private static double upperTail(double z) {
        return 0.5 * Erf.erfc(z / SQRT2);
    }
}

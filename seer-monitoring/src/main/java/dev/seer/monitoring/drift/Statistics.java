package dev.seer.monitoring.drift;

import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.special.Gamma;

/**
 * The drift statistics other than Kolmogorov–Smirnov, each as its peer defines it: SciPy 1.10.1's
 * {@code wasserstein_distance}, {@code spatial.distance.jensenshannon} and {@code chisquare}, and
 * Evidently's use of them (research doc §1.2, §1.3, §2.2–2.4, §8).
 */
final class Statistics {
    private static final double SQRTH = Math.sqrt(0.5);

    private Statistics() {
    }

    /**
     * SciPy's {@code wasserstein_distance(u, v)} = ∫|F_u − F_v| dx over the pooled sorted values
     * ({@code _cdf_distance(1, …)}), by one merge walk over the two sorted samples.
     */
    static double wasserstein(double[] u, double[] v) {
        int nu = u.length;
        int nv = v.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        double compensation = 0;
        while (i < nu || j < nv) {
            double x = i < nu && (j >= nv || u[i] <= v[j]) ? u[i] : v[j];
            while (i < nu && u[i] <= x) {
                i++;
            }
            while (j < nv && v[j] <= x) {
                j++;
            }
            if (i == nu && j == nv) {
                break;
            }
            double next = i < nu && (j >= nv || u[i] <= v[j]) ? u[i] : v[j];
            double term = Math.abs((double) i / nu - (double) j / nv) * (next - x);
            // Kahan: numpy sums pairwise; compensated summation stays within an ulp or two of it
            double y = term - compensation;
            double t = sum + y;
            compensation = (t - sum) - y;
            sum = t;
        }
        return sum;
    }

    /** Evidently's "Wasserstein distance (normed)": W1 / max(reference population std, 0.001). */
    static double wassersteinNormed(double[] ref, double[] cur) {
        return wasserstein(ref, cur) / Math.max(Samples.std(ref), 0.001);
    }

    /**
     * SciPy's {@code jensenshannon(p, q)} with natural log: p and q normalised to sum 1,
     * m = (p + q)/2, distance = sqrt((KL(p‖m) + KL(q‖m)) / 2), with 0·log 0 = 0.
     */
    static double jensenShannon(double[] p, double[] q) {
        double sp = 0;
        double sq = 0;
        for (int i = 0; i < p.length; i++) {
            sp += p[i];
            sq += q[i];
        }
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double pi = p[i] / sp;
            double qi = q[i] / sq;
            double m = (pi + qi) / 2.0;
            left += relEntr(pi, m);
            right += relEntr(qi, m);
        }
        return Math.sqrt((left + right) / 2.0);
    }

    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        return x == 0 && y >= 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    /** Evidently's PSI: Σ (ref − cur)·ln(ref/cur) over shares with empty bins filled ({@link #fillZeroes}). */
    static double psi(double[] ref, double[] cur) {
        double[] r = fillZeroes(ref);
        double[] c = fillZeroes(cur);
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += (r[i] - c[i]) * Math.log(r[i] / c[i]);
        }
        return sum;
    }

    /**
     * Evidently's {@code feel_zeroes}: each zero share becomes 0.0001, or the smallest non-zero share
     * / 10^6 when that is itself &lt;= 0.0001; per vector, not renormalised afterwards.
     */
    static double[] fillZeroes(double[] shares) {
        double min = Double.POSITIVE_INFINITY;
        for (double s : shares) {
            if (s != 0) {
                min = Math.min(min, s);
            }
        }
        double fill = min <= 0.0001 ? min / 1e6 : 0.0001;
        double[] out = shares.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0) {
                out[i] = fill;
            }
        }
        return out;
    }

    /**
     * Evidently's chi-square: SciPy's goodness-of-fit {@code chisquare(f_obs, f_exp)} with f_obs the
     * current counts and f_exp the reference counts × (n_cur / n_ref), over the union of categories,
     * df = k − 1. A category seen only in the current sample has f_exp = 0, hence statistic +inf and
     * p = 0, as in SciPy. Returns [statistic, p]. With a single category (df = 0) SciPy's p is NaN;
     * here it is 1, no evidence of drift.
     */
    static double[] chiSquare(Frequencies f) {
        double norm = (double) f.currentSize / f.referenceSize;
        double stat = 0;
        for (int i = 0; i < f.size(); i++) {
            double expected = f.reference[i] * norm;
            double diff = f.current[i] - expected;
            stat += diff * diff / expected;
        }
        int df = f.size() - 1;
        if (df <= 0) {
            return new double[] {stat, 1.0};
        }
        double p = Double.isInfinite(stat) ? 0.0 : Gamma.regularizedGammaQ(df / 2.0, stat / 2.0);
        return new double[] {stat, p};
    }

    /**
     * Evidently's two-proportion Z-test ({@code z_stattest.py}): a value is 0 if it equals the
     * smallest category of the union, else 1; pooled proportion P; z = (p1 − p2)/sqrt(P(1−P)(1/n1+1/n2));
     * p = 2(1 − Φ(|z|)) with Φ as SciPy's {@code ndtr}. When both samples hold one and the same value
     * z is 0/0; Evidently's current code and this return p = 1. Returns [z, p].
     */
    static double[] zTest(Frequencies f) {
        double n1 = f.referenceSize;
        double n2 = f.currentSize;
        double p1 = (f.referenceSize - f.reference[0]) / n1;
        double p2 = (f.currentSize - f.current[0]) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1. / n1 + 1. / n2));
        if (Double.isNaN(z)) {
            return new double[] {0.0, 1.0};
        }
        return new double[] {z, 2 * (1 - ndtr(Math.abs(z)))};
    }

    /** cephes {@code ndtr}, the branch structure SciPy uses (erf near 0, erfc in the tails). */
    static double ndtr(double a) {
        double x = a * SQRTH;
        double z = Math.abs(x);
        double y;
        if (z < SQRTH) {
            y = 0.5 + 0.5 * Erf.erf(x);
        } else {
            y = 0.5 * Erf.erfc(z);
            if (x > 0) {
                y = 1.0 - y;
            }
        }
        return y;
    }
}

package dev.seer.monitoring.drift;

import java.util.Arrays;

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, equal to SciPy 1.10.1's
 * {@code ks_2samp(a, b, alternative='two-sided', method='auto')} in statistic and p-value.
 *
 * <p>The statistic is the largest gap between the two right-continuous empirical CDFs, evaluated
 * at every pooled value, so tied values move both CDFs at once (SciPy evaluates
 * {@code searchsorted(side='right')} at all pooled points; a merge walk over the two sorted samples
 * visits the same points). The p-value is exact when max(n1, n2) &lt;= 10000, otherwise
 * {@code kstwo.sf(D, round(n1·n2/(n1+n2)))} ({@link KolmogorovDistribution}).
 *
 * <p>Exact p-value, as SciPy's {@code _attempt_exact_2kssamp}: D is snapped to h/lcm(n1, n2) with
 * h = round(D·lcm) (half to even) and that snapped D is the reported statistic; for n1 = n2 the
 * probability of leaving the band |x − y| &lt; h is the alternating binomial series of Gnedenko and
 * Korolyuk evaluated Horner-style ({@code _compute_prob_outside_square}); for n1 ≠ n2 the lattice
 * paths from (0, 0) to (m, n) that stay strictly inside |x/m − y/n| &lt; h/lcm are counted column by
 * column (Hodges' "inside method") with Viehmann's recursion, which carries 1 − p directly and so
 * avoids the huge binomials ({@code _compute_outer_prob_inside_method}). If the exact value is not a
 * finite probability SciPy falls back to the asymptotic one, and so does this.
 *
 * <p>References: J. L. Hodges Jr., "The significance probability of the Smirnov two-sample test",
 * Arkiv för Matematik 3(43), 1958; T. Viehmann, "Numerically more stable computation of the p-values
 * for the two-sample Kolmogorov–Smirnov test", arXiv:2102.08037, 2021; B. V. Gnedenko,
 * V. S. Korolyuk, "On the maximum discrepancy between two empirical distributions", 1951.
 */
final class KolmogorovSmirnov {
    static final int MAX_EXACT_N = 10000;

    private KolmogorovSmirnov() {
    }

    /** [statistic, p-value] of two sorted, finite, non-empty samples. */
    static double[] test(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        double d = statistic(a, b);
        if (Math.max(n1, n2) <= MAX_EXACT_N) {
            long g = gcd(n1, n2);
            long lcm = (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            double snapped = h * 1.0 / lcm;
            if (h == 0) {
                return new double[] {snapped, 1.0};
            }
            double p = n1 == n2 ? probOutsideSquare(n1, (int) h) : outerProbInside(n1, n2, (int) g, (int) h);
            if (p >= 0 && p <= 1) {
                return new double[] {snapped, p};
            }
            d = snapped;
        }
        double m = Math.max(n1, n2);
        double n = Math.min(n1, n2);
        double en = m * n / (m + n);
        double p = KolmogorovDistribution.sf((int) Math.rint(en), d);
        return new double[] {d, Math.max(0, Math.min(1, p))};
    }

    /** D = sup |F_a − F_b| over the pooled values, computed as SciPy does (max(maxS, clip(−minS))). */
    static double statistic(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            double diff = (double) i / n1 - (double) j / n2;
            max = Math.max(max, diff);
            min = Math.min(min, diff);
        }
        double minS = Math.max(0, Math.min(1, -min));
        return minS > max ? minS : max;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** P(D_{n,n} &gt;= h/n) = 2·Σ_k (−1)^(k−1) C(2n, n−kh)/C(2n, n), Horner-style as SciPy. */
    static double probOutsideSquare(int n, int h) {
        double p = 0.0;
        int k = (int) Math.floor((double) n / h);
        while (k >= 0) {
            double p1 = 1.0;
            for (int j = 0; j < h; j++) {
                p1 = ((double) n - (double) k * h - j) * p1 / ((double) n + (double) k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /** Share of lattice paths leaving |x/m − y/n| &lt; h/lcm (Hodges' inside method, Viehmann's 1 − p recursion). */
    static double outerProbInside(int m0, int n0, int g, int h) {
        int m = Math.max(m0, n0);
        int n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil((double) h / mg), n + 1);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[Math.max(lenA, n + 1)];
        Arrays.fill(a, 1.0);
        for (int q = minj; q < maxj; q++) {
            a[q] = 0.0;
        }
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = (int) Math.max((long) Math.floor((double) (ng * i - h) / mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((double) (ng * i + h) / mg), n + 1);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                for (int q = maxj - minj; q < maxj - minj + (lastlen - curlen); q++) {
                    a[q] = 1;
                }
            }
        }
        return a[maxj - minj - 1];
    }
}

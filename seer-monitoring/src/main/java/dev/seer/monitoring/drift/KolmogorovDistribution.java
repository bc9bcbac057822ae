package dev.seer.monitoring.drift;

import java.util.Arrays;

/**
 * Survival function of the exact one-sample two-sided Kolmogorov–Smirnov statistic D_n, i.e.
 * SciPy's {@code kstwo.sf(x, n)}, which {@code ks_2samp} uses for its asymptotic p-value.
 *
 * <p>Transcribed from SciPy 1.10.1 {@code scipy/stats/_ksstats.py::_kolmogn} and
 * {@code scipy/special/cephes/kolmogorov.c::_smirnov} so that the p-values agree with SciPy's to
 * about 1e-12 relative (1e-10 for n near 10^6). The method is chosen per (n, x) as Simard and
 * L'Ecuyer recommend:
 * <ul>
 *   <li>Ruben and Gambino's closed forms at the edges (n·x &lt;= 1, n·x &gt;= n − 1);</li>
 *   <li>the Durbin matrix in the form of Marsaglia, Tsang and Wang (2003) for small n·x²;</li>
 *   <li>Pomeranz's recursion (1974) for n &lt;= 140;</li>
 *   <li>twice the one-sided Smirnov tail (Birnbaum–Tingey sum) for large n·x²;</li>
 *   <li>the Pelz–Good (1976) asymptotic series otherwise.</li>
 * </ul>
 * References: R. Simard, P. L'Ecuyer, "Computing the Two-Sided Kolmogorov–Smirnov Distribution",
 * J. Stat. Software 39(11), 2011; J. Durbin, "The probability that the sample distribution function
 * lies between two parallel straight lines", Ann. Math. Stat. 39, 1968; G. Marsaglia, W. W. Tsang,
 * J. Wang, "Evaluating Kolmogorov's Distribution", J. Stat. Software 8(18), 2003; J. Pomeranz,
 * "Exact cumulative distribution of the Kolmogorov–Smirnov statistic for small samples", CACM 17,
 * 1974; W. Pelz, I. J. Good, "Approximating the lower tail-areas of the Kolmogorov–Smirnov
 * one-sample statistic", JRSS B 38, 1976; Z. W. Birnbaum, F. H. Tingey, "One-sided confidence
 * contours for probability distribution functions", Ann. Math. Stat. 22, 1951.
 *
 * <p>Differences from SciPy, all below the 1e-9 the tests demand: SciPy's Smirnov sum is carried in
 * double-double arithmetic, here each term is formed in log space in double (error about
 * n·2^-53 relative); the Durbin scaling switches SciPy to 80-bit long double, here it stays double.
 * SciPy's "upper sum" branch of {@code _smirnov} is unreachable from {@code _kolmogn} and omitted.
 */
final class KolmogorovDistribution {
    private static final double E128 = 0x1p128;
    private static final double EM128 = 0x1p-128;
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double PI2 = Math.PI * Math.PI;
    private static final double PI4 = PI2 * PI2;
    private static final double PI6 = PI4 * PI2;
    private static final double SQRT3 = Math.sqrt(3);
    private static final double MIN_LOG = -708;
    /** cephes MINLOG = log(2^-1022). */
    private static final double CEPHES_MINLOG = -7.08396418532264106224E2;
    private static final double[] STIRLING = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    private KolmogorovDistribution() {
    }

    /** P(D_n &gt; x), SciPy's {@code kstwo.sf(x, n)}. */
    static double sf(int n, double x) {
        if (n <= 0 || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            if (t <= 0.5) {
                return 1.0;
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - prob);
        }
        if (t >= n - 1) {
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnov(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - clip(durbin(n, x)));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - clip(pomeranz(n, x)));
            }
            return clip(2 * smirnov(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnov(n, x));
        }
        double cdf;
        if (nxSquared >= 18.0) {
            cdf = 1.0;
        } else if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = clip(durbin(n, x));
        } else {
            cdf = pelzGoodCdf(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static double clip(double p) {
        return p < 0 ? 0 : Math.min(p, 1.0);
    }

    private static double logNFactorialDivNPowN(int n) {
        double rn = 1.0 / n;
        double poly = 0;
        for (double c : STIRLING) {
            poly = poly * (rn / n) + c;
        }
        return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
    }

    /** CDF by the Durbin matrix H^n (MTW 2003), with power-of-two rescaling as SciPy does. */
    static double durbin(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] = (1.0 - Math.pow(h, j)) * fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] pwr = new double[m][m];
        for (int i = 0; i < m; i++) {
            pwr[i][i] = 1.0;
        }
        int nn = n;
        int expnt = 0;
        int hExpnt = 0;
        while (nn > 0) {
            if (nn % 2 == 1) {
                pwr = multiply(pwr, hm);
                expnt += hExpnt;
            }
            hm = multiply(hm, hm);
            hExpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > E128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= E128;
                    }
                }
                hExpnt += 128;
            }
            nn /= 2;
        }
        double p = pwr[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= E128;
                expnt -= 128;
            }
        }
        return expnt != 0 ? Math.scalb(p, expnt) : p;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) {
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** CDF by Pomeranz's recursion (n &lt;= 140), transcribed from SciPy's {@code _kolmogn_Pomeranz}. */
    static double pomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] jj = pomeranzJ1J2(0, n, ll, ceilf, roundf);
        int j1 = jj[0];
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] swap = v0;
            v0 = v1;
            v1 = swap;
            int swaps = v0s;
            v0s = v1s;
            v1s = swaps;
            Arrays.fill(v1, 0.0);
            jj = pomeranzJ1J2(i, n, ll, ceilf, roundf);
            j1 = jj[0];
            int j2 = jj[1];
            double[] pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                int base = k1 - v0s;
                // numpy slices past the end silently; the convolution then uses the shorter row
                int la = Math.min(ln2, npwrs - base);
                double max = 0;
                for (int q = 0; q < convLen; q++) {
                    int idx = convStart + q;
                    double s = 0;
                    for (int a = Math.max(0, idx - ln2 + 1); a <= Math.min(idx, la - 1); a++) {
                        s += v0[base + a] * pwrs[idx - a];
                    }
                    v1[q] = s;
                    max = Math.max(max, s);
                }
                if (0 < max && max < EM128) {
                    for (int q = 0; q < npwrs; q++) {
                        v1[q] *= E128;
                    }
                    expnt -= 128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > E128) {
                ans *= EM128;
                expnt += 128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    /** CDF by the Pelz–Good asymptotic series, transcribed from SciPy's {@code _kolmogn_PelzGood}. */
    static double pelzGoodCdf(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double z2 = z * z;
        double z3 = z2 * z;
        double z4 = z2 * z2;
        double z6 = z4 * z2;
        double qlog = -PI2 / 8 / z2;
        if (qlog < MIN_LOG) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -z2;
        double k1b = PI2 / 4;
        double k2a = 6 * z6 + 2 * z4;
        double k2b = (2 * z4 - 5 * z2) * PI2 / 4;
        double k2c = PI4 * (1 - 2 * z2) / 16;
        double k3d = PI6 * (5 - 30 * z2) / 64;
        double k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
        double k3b = PI2 * (135 * z4 - 96 * z6) / 4;
        double k3a = -30 * z6 - 90 * Math.pow(z, 8);
        double[] kk = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            double m = 2 * k - 1;
            double m2 = m * m;
            double m4 = Math.pow(m, 4);
            double m6 = Math.pow(m, 6);
            double qpower = Math.pow(q, 8 * k);
            kk[0] = kk[0] * qpower + 1.0;
            kk[1] = kk[1] * qpower + (k1a + k1b * m2);
            kk[2] = kk[2] * qpower + (k2a + k2b * m2 + k2c * m4);
            kk[3] = kk[3] * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
        }
        double[] div = {z, 6 * z4, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / div[i];
        }
        double q2 = Math.exp(-PI2 / 2 / z2);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxk; k > 0; k--) {
            double ksq = (double) k * k;
            double qp = Math.pow(q2, ksq);
            double kspi = Math.PI * k;
            k2extra += ksq * qp;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksq * qp;
        }
        kk[2] += k2extra * (PI2 * SQRT2PI / (-36 * z3));
        kk[3] += k3extra * (PI2 * SQRT2PI / (216 * z6));
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    /**
     * One-sided Smirnov tail P(D+_n &gt;= x) by the Birnbaum–Tingey sum, SciPy's
     * {@code special.smirnov}: x·Σ_v C(n,v)(x+v/n)^(v−1)(1−x−v/n)^(n−v) over v &lt;= n(1−x), every
     * term positive, summed from v = 0 with SciPy's early stop once the remaining terms cannot
     * change the sum.
     */
    static double smirnov(int n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        double nxHi = n * x;
        double nxLo = Math.fma(n, x, -nxHi);
        double fl = Math.floor(nxHi);
        double alpha = (nxHi - fl) + nxLo;
        int nxfl = (int) fl;
        if (alpha < 0) {
            nxfl -= 1;
            alpha += 1;
        }
        if (alpha >= 1) {
            nxfl += 1;
            alpha = 0;
        }
        int n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        if (alpha == 0) {
            n1mxfl -= 1;
        }
        if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
            return 1 - x * Math.pow(1 + x, n - 1);
        }
        if (-2 * n * x * x < CEPHES_MINLOG) {
            return 0;
        }
        if (nxfl >= n - 1) {
            return Math.pow(1 - x, n);
        }
        if (n > 1_000_000) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            return logp < -Math.log(2) ? Math.exp(logp) : 1 + Math.expm1(logp);
        }
        int nTerms = n1mxfl + 1;
        // v = 0 term: (1-x)^n / x
        double sum = Math.exp(n * Math.log1p(-x)) / x;
        double logBinom = 0;
        int vmid = n / 2;
        for (int v = 1; v < nTerms; v++) {
            logBinom += Math.log((double) (n - v + 1) / v);
            // 1 - x - v/n = ((n - v) - n·x) / n with n·x carried in two parts
            double b2 = (((n - v) - nxHi) - nxLo) / n;
            double b1 = ((v + nxHi) + nxLo) / n;
            double term = Math.exp(logBinom + (n - v) * Math.log(b2) + (v - 1) * Math.log(b1));
            if (term != 0 && Double.isFinite(term)) {
                sum += term;
                if (4.0 * (nTerms - v) * term < 0x1p-52 * sum && v != nTerms - 1) {
                    break;
                }
            } else if (v > vmid) {
                break;
            }
        }
        return clip(x * sum);
    }
}

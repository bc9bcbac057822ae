package dev.seer.training.tuning;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * A Gaussian-process regression of standardised losses over points of [0, 1]^d (Rasmussen and
 * Williams 2006, "Gaussian Processes for Machine Learning", algorithm 2.1 and §5.4.1), the
 * surrogate of {@link GpSampler}.
 *
 * <p>Model: zero prior mean; kernel {@code k(x, x') = s · m52(r)} with the Matérn 5/2 function
 * {@code m52(r) = (1 + √5 r + 5r²/3) · exp(−√5 r)} and automatic relevance determination,
 * {@code r² = Σ_d λ_d · δ_d²}, where δ_d is the coordinates' difference for a numeric dimension and
 * 0 or 1 (equal or not) for a categorical one, and λ_d an inverse squared length scale; observation
 * noise ν on the diagonal, at least {@link #MIN_NOISE} so that the Cholesky factor exists even for
 * repeated points. These are the model and the weak priors of Optuna's {@code GPSampler}
 * (optuna/_gp, 3.6 onwards): −(0.1/λ + 0.1·λ) on each λ_d (log density up to a constant), a
 * Gamma(2, 1) on s and a Gamma(1.1, 30) on ν.
 *
 * <p>Fit: the hyperparameters maximise the log marginal likelihood plus the log prior, found by
 * {@link BoxBfgs} over (log λ, log s, log(ν − MIN_NOISE)) with the analytic gradient
 * ½·tr((αα' − K⁻¹)·∂K/∂θ), from the best of a small fixed grid of isotropic settings (Optuna instead
 * warm-starts from the previous trial's fit, which a stateless sampler cannot); the fit is
 * therefore a function of the data alone.
 */
final class GaussianProcess {
    static final double MIN_NOISE = 1e-6;
    private static final double MIN_VARIANCE = 1e-10;
    private static final double SQRT5 = Math.sqrt(5);
    private static final double LOG_2PI = Math.log(2 * Math.PI);
    private static final double LOG_BOUND = 10;
    private static final int FIT_ITERATIONS = 200;
    private static final double[] START_LAMBDAS = {0.3, 3, 30, 300};
    private static final double[] START_NOISES = {1e-4, 1e-2};

    /** The kernel's hyperparameters: inverse squared length scales λ, signal variance s, noise variance ν. */
    // package-private value passed between the fit and the posterior, never compared or kept
    @SuppressWarnings("ArrayRecordComponent")
    record Hyper(double[] inverseSquaredLengthscales, double signal, double noise) {}

    private final double[][] x;
    private final boolean[] categorical;
    private final Hyper hyper;
    private final double[][] chol;
    private final double[] alpha;

    /** The process conditioned on (x, y) under fixed hyperparameters. */
    GaussianProcess(double[][] x, double[] y, boolean[] categorical, Hyper hyper) {
        this.x = x;
        this.categorical = categorical;
        this.hyper = hyper;
        double[][] k = covariance(x, categorical, hyper);
        this.chol = cholesky(k);
        if (chol == null) {
            throw new IllegalStateException("the kernel matrix is not positive definite");
        }
        this.alpha = solve(chol, y);
    }

    /** The process on (x, y) with hyperparameters fitted by maximum a posteriori. */
    static GaussianProcess fit(double[][] x, double[] y, boolean[] categorical) {
        Hyper h = fitHyper(x, y, categorical);
        // the fitted noise keeps K positive definite in exact arithmetic; should rounding still
        // defeat the factorisation, more noise (jitter) is the usual remedy
        for (int attempt = 0; attempt < 6 && cholesky(covariance(x, categorical, h)) == null; attempt++) {
            h = new Hyper(h.inverseSquaredLengthscales(), h.signal(), h.noise() * 100);
        }
        return new GaussianProcess(x, y, categorical, h);
    }

    Hyper hyper() {
        return hyper;
    }

    static Hyper fitHyper(double[][] x, double[] y, boolean[] categorical) {
        int d = categorical.length;
        double[] start = startingPoint(x, y, categorical);
        double[] lower = new double[d + 2];
        double[] upper = new double[d + 2];
        Arrays.fill(lower, -LOG_BOUND);
        Arrays.fill(upper, LOG_BOUND);
        lower[d + 1] = -2 * LOG_BOUND;
        double[] best = BoxBfgs.minimize((theta, gradient) -> negLogPosterior(x, y, categorical, theta, gradient), start,
                lower, upper, FIT_ITERATIONS, 1e-7);
        return hyper(best);
    }

    /**
     * The best of a small grid of isotropic settings (λ the same in every dimension, s = 1, a low
     * or a moderate noise): a single fixed start falls into the "all noise, long length scales"
     * optimum on wiggly functions, which the grid's short length scales avoid.
     */
    private static double[] startingPoint(double[][] x, double[] y, boolean[] categorical) {
        int d = categorical.length;
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        double[] gradient = new double[d + 2];
        for (double lambda : START_LAMBDAS) {
            for (double noise : START_NOISES) {
                double[] theta = new double[d + 2];
                Arrays.fill(theta, 0, d, Math.log(lambda));
                theta[d + 1] = Math.log(noise - MIN_NOISE);
                double value = negLogPosterior(x, y, categorical, theta, gradient);
                if (value < bestValue || best == null) {
                    bestValue = value;
                    best = theta;
                }
            }
        }
        return best;
    }

    static Hyper hyper(double[] theta) {
        int d = theta.length - 2;
        double[] lambda = new double[d];
        for (int i = 0; i < d; i++) {
            lambda[i] = Math.exp(theta[i]);
        }
        return new Hyper(lambda, Math.exp(theta[d]), Math.exp(theta[d + 1]) + MIN_NOISE);
    }

    /**
     * −(log marginal likelihood + log prior) at raw hyperparameters θ, its gradient in
     * {@code gradient}; +∞ when the kernel matrix is not positive definite there.
     */
    static double negLogPosterior(double[][] x, double[] y, boolean[] categorical, double[] theta, double[] gradient) {
        int n = x.length;
        int d = categorical.length;
        Hyper h = hyper(theta);
        double[][] k = covariance(x, categorical, h);
        double[][] l = cholesky(k);
        if (l == null) {
            return Double.POSITIVE_INFINITY;
        }
        double[] alpha = solve(l, y);
        double logLikelihood = -0.5 * dot(y, alpha) - 0.5 * n * LOG_2PI;
        for (int i = 0; i < n; i++) {
            logLikelihood -= Math.log(l[i][i]);
        }
        // W = αα' − K⁻¹; ∂ log p(y)/∂θ = ½ Σ_ij W_ij ∂K_ij/∂θ
        double[][] w = inverseFromCholesky(l);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                w[i][j] = alpha[i] * alpha[j] - w[i][j];
            }
        }
        Arrays.fill(gradient, 0);
        double traceW = 0;
        for (int i = 0; i < n; i++) {
            traceW += w[i][i];
            for (int j = 0; j < n; j++) {
                double q = squaredDistance(x[i], x[j], categorical, h.inverseSquaredLengthscales());
                double kf = h.signal() * matern52(q);
                gradient[d] += 0.5 * w[i][j] * kf;
                if (i != j) {
                    double dkdq = h.signal() * matern52Slope(q);
                    for (int c = 0; c < d; c++) {
                        double delta = difference(x[i][c], x[j][c], categorical[c]);
                        gradient[c] += 0.5 * w[i][j] * dkdq * h.inverseSquaredLengthscales()[c] * delta * delta;
                    }
                }
            }
        }
        gradient[d + 1] = 0.5 * traceW * (h.noise() - MIN_NOISE);
        double logPrior = 0;
        for (int c = 0; c < d; c++) {
            double lambda = h.inverseSquaredLengthscales()[c];
            logPrior -= 0.1 / lambda + 0.1 * lambda;
            gradient[c] += 0.1 / lambda - 0.1 * lambda;
        }
        logPrior += Math.log(h.signal()) - h.signal();
        gradient[d] += 1 - h.signal();
        logPrior += 0.1 * Math.log(h.noise()) - 30 * h.noise();
        gradient[d + 1] += (0.1 / h.noise() - 30) * (h.noise() - MIN_NOISE);
        for (int c = 0; c < d + 2; c++) {
            gradient[c] = -gradient[c];
        }
        return -(logLikelihood + logPrior);
    }

    /** The posterior mean and variance of the latent function at {@code point}: {mean, variance}. */
    double[] meanVariance(double[] point) {
        double[] kStar = kernelColumn(point);
        double[] v = forward(chol, kStar);
        return new double[] {dot(kStar, alpha), Math.max(MIN_VARIANCE, hyper.signal() - dot(v, v))};
    }

    /**
     * log EI(point) for minimisation below {@code best}: log σ + log h(z), z = (best − μ)/σ,
     * h(z) = z·Φ(z) + φ(z); the gradient over the numeric coordinates goes into {@code gradient}
     * (zero for categorical ones) when it is not null.
     */
    double logExpectedImprovement(double[] point, double best, double[] gradient) {
        int n = x.length;
        int d = point.length;
        double[] kStar = kernelColumn(point);
        double[] v = forward(chol, kStar);
        double mean = dot(kStar, alpha);
        double rawVariance = hyper.signal() - dot(v, v);
        double variance = Math.max(MIN_VARIANCE, rawVariance);
        double sigma = Math.sqrt(variance);
        double z = (best - mean) / sigma;
        double[] logH = logH(z);
        if (gradient == null) {
            return Math.log(sigma) + logH[0];
        }
        double[] u = backward(chol, v); // K⁻¹ k*
        double[] slope = new double[n];
        for (int i = 0; i < n; i++) {
            slope[i] = hyper.signal() * matern52Slope(squaredDistance(point, x[i], categorical, hyper.inverseSquaredLengthscales()));
        }
        Arrays.fill(gradient, 0);
        for (int c = 0; c < d; c++) {
            if (categorical[c]) {
                continue;
            }
            double dMean = 0;
            double dVariance = 0;
            for (int i = 0; i < n; i++) {
                double dk = slope[i] * 2 * hyper.inverseSquaredLengthscales()[c] * (point[c] - x[i][c]);
                dMean += alpha[i] * dk;
                dVariance -= 2 * u[i] * dk;
            }
            double dSigma = rawVariance > MIN_VARIANCE ? dVariance / (2 * sigma) : 0;
            double dz = (-dMean - z * dSigma) / sigma;
            gradient[c] = dSigma / sigma + logH[1] * dz;
        }
        return Math.log(sigma) + logH[0];
    }

    /**
     * {log h(z), d log h/dz} with h(z) = z·Φ(z) + φ(z), stable for very negative z, where h is
     * computed from the asymptotic series of the Mills ratio instead of a difference of two nearly
     * equal numbers (the "log EI" of Ament et al. 2023, "Unexpected Improvements to Expected
     * Improvement for Bayesian Optimization", which keeps the acquisition's gradient alive far
     * from the incumbent).
     */
    static double[] logH(double z) {
        double logPhiDensity = -0.5 * z * z - 0.5 * LOG_2PI;
        if (z > -12) {
            // h/φ ≥ 1/170 here: the sum loses at most about 2.5 of double's 16 digits
            double cdf = 0.5 * Erf.erfc(-z / Math.sqrt(2));
            double h = z * cdf + Math.exp(logPhiDensity);
            return new double[] {Math.log(h), cdf / h};
        }
        // Φ(z)/φ(z) ~ (1/|z|)·(1 − t + 3t² − 15t³ + 105t⁴), t = 1/z², so h = φ·(1 + z·Φ/φ) ~ φ·t·(1 − 3t + 15t² − 105t³ + 945t⁴);
        // the first term left out is below 1e-7 relative at z = −12
        double t = 1 / (z * z);
        double logH = logPhiDensity + Math.log(t) + Math.log(1 + t * (-3 + t * (15 + t * (-105 + t * 945))));
        double logCdf = logPhiDensity - Math.log(-z) + Math.log(1 + t * (-1 + t * (3 + t * (-15 + t * 105))));
        return new double[] {logH, Math.exp(logCdf - logH)};
    }

    private double[] kernelColumn(double[] point) {
        double[] kStar = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            kStar[i] = hyper.signal() * matern52(squaredDistance(point, x[i], categorical, hyper.inverseSquaredLengthscales()));
        }
        return kStar;
    }

    static double[][] covariance(double[][] x, boolean[] categorical, Hyper h) {
        int n = x.length;
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double value = h.signal() * matern52(squaredDistance(x[i], x[j], categorical, h.inverseSquaredLengthscales()));
                k[i][j] = value;
                k[j][i] = value;
            }
            k[i][i] += h.noise();
        }
        return k;
    }

    private static double squaredDistance(double[] a, double[] b, boolean[] categorical, double[] lambda) {
        double q = 0;
        for (int c = 0; c < a.length; c++) {
            double delta = difference(a[c], b[c], categorical[c]);
            q += lambda[c] * delta * delta;
        }
        return q;
    }

    private static double difference(double a, double b, boolean categorical) {
        return categorical ? (a == b ? 0 : 1) : a - b;
    }

    /** Matérn 5/2 as a function of r². */
    static double matern52(double q) {
        double r = Math.sqrt(q);
        return (1 + SQRT5 * r + 5.0 / 3.0 * q) * Math.exp(-SQRT5 * r);
    }

    /** d m52 / d(r²) = −5/6 · (1 + √5 r) · exp(−√5 r), finite at r = 0. */
    static double matern52Slope(double q) {
        double r = Math.sqrt(q);
        return -5.0 / 6.0 * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
    }

    /** The lower Cholesky factor of a symmetric matrix, or null when it is not positive definite. */
    static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double diagonal = a[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= l[j][k] * l[j][k];
            }
            if (!(diagonal > 0)) {
                return null;
            }
            double root = Math.sqrt(diagonal);
            l[j][j] = root;
            for (int i = j + 1; i < n; i++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                l[i][j] = sum / root;
            }
        }
        return l;
    }

    /** L⁻¹ b. */
    static double[] forward(double[][] l, double[] b) {
        int n = b.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * v[k];
            }
            v[i] = sum / l[i][i];
        }
        return v;
    }

    /** L'⁻¹ b. */
    static double[] backward(double[][] l, double[] b) {
        int n = b.length;
        double[] v = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double sum = b[i];
            for (int k = i + 1; k < n; k++) {
                sum -= l[k][i] * v[k];
            }
            v[i] = sum / l[i][i];
        }
        return v;
    }

    /** (LL')⁻¹ b. */
    static double[] solve(double[][] l, double[] b) {
        return backward(l, forward(l, b));
    }

    /** (LL')⁻¹ = L'⁻¹ L⁻¹ from the inverse of the triangular factor. */
    private static double[][] inverseFromCholesky(double[][] l) {
        int n = l.length;
        double[][] inv = new double[n][n]; // L⁻¹, lower triangular
        for (int j = 0; j < n; j++) {
            inv[j][j] = 1 / l[j][j];
            for (int i = j + 1; i < n; i++) {
                double sum = 0;
                for (int k = j; k < i; k++) {
                    sum -= l[i][k] * inv[k][j];
                }
                inv[i][j] = sum / l[i][i];
            }
        }
        double[][] result = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int k = i; k < n; k++) {
                    sum += inv[k][i] * inv[k][j];
                }
                result[i][j] = sum;
                result[j][i] = sum;
            }
        }
        return result;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}

package dev.seer.training.tuning;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The density l(x) or g(x) of TPE, as Optuna 3.1.0 builds it ({@code _ParzenEstimator}, notes
 * §1.5): one component per observation plus a prior component, mixed by {@code default_weights}
 * with the prior's weight appended. A component is a product over dimensions of a normal truncated
 * to the parameter's interval (widened by ½ for integers, in log space for log parameters) or, for
 * a categorical, a row of choice probabilities. With one dimension this is the univariate
 * estimator; with several it is the multivariate one, whose components share one Scott-rule
 * bandwidth per dimension (3.1's {@code _precompute_sigmas0}).
 *
 * <p>Scoring quirk kept from 3.1.0: its {@code _truncnorm.logpdf} ignores the kernel's scale, so
 * a real parameter's kernel contributes log φ(z) − log mass without −log σ, which weighs wide
 * kernels (the prior's above all) up against narrow ones in both l and g. Later Optuna adds the
 * term. Seer keeps 3.1.0's scoring by default because that is the peer it is measured against
 * and it did better on the benchmark functions (see {@link TpeOptions#scaledKernelDensity});
 * integers (cell masses) and categoricals are unaffected.
 *
 * <p>Values are handled in their internal form: a number as a double, a categorical as the index
 * of its choice.
 */
final class ParzenEstimator {
    private static final double SIGMA0_MAGNITUDE = 0.2;
    private static final double EPS = 1e-12;

    private final Dimension[] dims;
    private final double[] logWeights;
    private final double[] cumulativeWeights;

    /** @param observations [dimension][observation], observations in trial-number order */
    ParzenEstimator(List<Param> params, double[][] observations, TpeOptions options) {
        int n = observations.length == 0 ? 0 : observations[0].length;
        boolean prior = options.considerPrior() || n == 0;
        double[] weights = weights(n, prior, options.priorWeight(), options.weighting());
        this.logWeights = Arrays.stream(weights).map(Math::log).toArray();
        this.cumulativeWeights = cumulative(weights);
        this.dims = new Dimension[params.size()];
        for (int d = 0; d < dims.length; d++) {
            Param param = params.get(d);
            dims[d] = param instanceof CategoricalParam c
                    ? Categorical.of(c, observations[d], prior, options.priorWeight())
                    : Numeric.of(param, observations[d], prior, options, params.size());
        }
    }

    int components() {
        return logWeights.length;
    }

    /** Component weights: {@code default_weights(n)} then the prior's, normalised to sum 1. */
    static double[] weights(int n, boolean prior, double priorWeight, TpeOptions.Weighting weighting) {
        double[] observed = weighting == TpeOptions.Weighting.UNIFORM ? ones(n) : TpeSampler.defaultWeights(n);
        double[] w = Arrays.copyOf(observed, prior ? n + 1 : n);
        if (prior) {
            w[n] = priorWeight;
        }
        double sum = Arrays.stream(w).sum();
        return Arrays.stream(w).map(x -> x / sum).toArray();
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        Arrays.fill(w, 1.0);
        return w;
    }

    /** Draws {@code size} points: [dimension][sample], in internal form (integers rounded). */
    double[][] sample(SplittableRandom random, int size) {
        int[] active = new int[size];
        for (int i = 0; i < size; i++) {
            active[i] = pick(cumulativeWeights, random.nextDouble());
        }
        double[][] samples = new double[dims.length][];
        for (int d = 0; d < dims.length; d++) {
            samples[d] = dims[d].sample(active, random);
        }
        return samples;
    }

    /** log density of each point: log-sum-exp over components of log weight + Σ_dims log kernel. */
    double[] logPdf(double[][] samples) {
        int size = samples[0].length;
        int components = logWeights.length;
        double[][] terms = new double[size][];
        for (int i = 0; i < size; i++) {
            terms[i] = logWeights.clone();
        }
        for (int d = 0; d < dims.length; d++) {
            for (int i = 0; i < size; i++) {
                dims[d].addLogKernels(samples[d][i], terms[i]);
            }
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = logSumExp(terms[i], components);
        }
        return out;
    }

    private static double logSumExp(double[] terms, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, terms[c]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            sum += Math.exp(terms[c] - max);
        }
        return max + Math.log(sum);
    }

    static double[] cumulative(double[] p) {
        double[] c = new double[p.length];
        double run = 0;
        for (int i = 0; i < p.length; i++) {
            run += p[i];
            c[i] = run;
        }
        return c;
    }

    /** numpy's choice by inverse CDF: the first index whose cumulative weight exceeds u. */
    static int pick(double[] cumulative, double u) {
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    interface Dimension {
        double[] sample(int[] active, SplittableRandom random);

        void addLogKernels(double value, double[] terms);
    }

    /** A real or integer parameter: truncated normal kernels (Optuna's mus and sigmas). */
    static final class Numeric implements Dimension {
        private final Param param;
        private final boolean log;
        private final boolean stepped;
        final double low;
        final double high;
        final double[] mus;
        final double[] sigmas;
        private final double[] logMass;
        /** log σ per kernel, or zeros to score as Optuna 3.1.0 does (see TpeOptions#scaledKernelDensity). */
        private final double[] logScale;

        private Numeric(Param param, double low, double high, boolean log, boolean stepped, double[] mus, double[] sigmas, boolean scaled) {
            this.param = param;
            this.low = low;
            this.high = high;
            this.log = log;
            this.stepped = stepped;
            this.mus = mus;
            this.sigmas = sigmas;
            this.logMass = new double[mus.length];
            this.logScale = new double[mus.length];
            for (int c = 0; c < mus.length; c++) {
                logScale[c] = scaled ? Math.log(sigmas[c]) : 0.0;
                logMass[c] = TruncatedNormal.logMass((low - mus[c]) / sigmas[c], (high - mus[c]) / sigmas[c]);
            }
        }

        static Numeric of(Param param, double[] observations, boolean prior, TpeOptions options, int dimensions) {
            boolean log;
            double low;
            double high;
            boolean stepped = false;
            if (param instanceof FloatParam f) {
                log = f.log();
                low = log ? Math.log(f.low()) : f.low();
                high = log ? Math.log(f.high()) : f.high();
            } else {
                IntParam p = (IntParam) param;
                log = p.log();
                stepped = !log;
                low = log ? Math.log(p.low() - 0.5) : p.low() - 0.5;
                high = log ? Math.log(p.high() + 0.5) : p.high() + 0.5;
            }
            int n = observations.length;
            double[] mus = Arrays.copyOf(observations, prior ? n + 1 : n);
            if (log) {
                for (int i = 0; i < n; i++) {
                    mus[i] = Math.log(mus[i]);
                }
            }
            if (prior) {
                mus[n] = 0.5 * (low + high);
            }
            double[] sigmas = options.multivariate()
                    ? scottSigmas(mus.length, n, dimensions, options.bandwidthScale() * (high - low))
                    : neighbourSigmas(mus, low, high, options.considerEndpoints());
            double max = high - low;
            double min = options.considerMagicClip() ? max / Math.min(100.0, 1.0 + mus.length) : EPS;
            // Watanabe 2023's floor: no kernel narrower than a fixed share of the range, so late
            // below-sets do not collapse onto single points
            min = Math.max(min, options.minBandwidthFactor() * max);
            for (int i = 0; i < sigmas.length; i++) {
                sigmas[i] = Math.max(min, Math.min(max, sigmas[i]));
            }
            if (prior) {
                sigmas[n] = max;
            }
            return new Numeric(param, low, high, log, stepped, mus, sigmas, options.scaledKernelDensity());
        }

        /** 3.1's multivariate bandwidth: 0.2 · max(n, 1)^(−1/(d+4)) · (high − low) for every kernel. */
        static double[] scottSigmas(int kernels, int observations, int dimensions, double range) {
            double sigma0 = SIGMA0_MAGNITUDE * Math.pow(Math.max(observations, 1), -1.0 / (dimensions + 4));
            double[] sigmas = new double[kernels];
            Arrays.fill(sigmas, sigma0 * range);
            return sigmas;
        }

        /**
         * 3.1's univariate bandwidth: sort the mus (the prior's among them), put low before and high
         * after, and give each kernel the larger distance to its two neighbours; without endpoints
         * (and at least two kernels) the outermost kernels look inward only.
         */
        static double[] neighbourSigmas(double[] mus, double low, double high, boolean considerEndpoints) {
            int m = mus.length;
            Integer[] order = IntStream.range(0, m).boxed().sorted(Comparator.comparingDouble(i -> mus[i])).toArray(Integer[]::new);
            double[] s = new double[m + 2];
            s[0] = low;
            s[m + 1] = high;
            for (int i = 0; i < m; i++) {
                s[i + 1] = mus[order[i]];
            }
            double[] sorted = new double[m];
            for (int i = 0; i < m; i++) {
                sorted[i] = Math.max(s[i + 1] - s[i], s[i + 2] - s[i + 1]);
            }
            if (!considerEndpoints && m >= 2) {
                sorted[0] = s[2] - s[1];
                sorted[m - 1] = s[m] - s[m - 1];
            }
            double[] sigmas = new double[m];
            for (int i = 0; i < m; i++) {
                sigmas[order[i]] = sorted[i];
            }
            return sigmas;
        }

        @Override
        public double[] sample(int[] active, SplittableRandom random) {
            double[] out = new double[active.length];
            for (int i = 0; i < active.length; i++) {
                int c = active[i];
                double z = TruncatedNormal.sample((low - mus[c]) / sigmas[c], (high - mus[c]) / sigmas[c], random);
                out[i] = external(mus[c] + sigmas[c] * z);
            }
            return out;
        }

        /** From the kernel's space to the parameter's: exponentiate log parameters, round integers. */
        private double external(double x) {
            if (param instanceof FloatParam f) {
                double value = log ? Math.exp(x) : x;
                return Math.max(f.low(), Math.min(f.high(), value));
            }
            IntParam p = (IntParam) param;
            double low = (double) p.low();
            double value = log ? Math.rint(Math.exp(x)) : Math.rint(x - low) + low;
            return Math.max(low, Math.min((double) p.high(), value));
        }

        @Override
        public void addLogKernels(double value, double[] terms) {
            double x = log ? Math.log(value) : value;
            for (int c = 0; c < mus.length; c++) {
                double mu = mus[c];
                double sigma = sigmas[c];
                if (stepped) {
                    // An integer's kernel is the mass of its unit cell, relative to the interval's.
                    double upper = Math.min(x + 0.5, high);
                    double lower = Math.max(x - 0.5, low);
                    terms[c] += TruncatedNormal.logMass((lower - mu) / sigma, (upper - mu) / sigma) - logMass[c];
                } else {
                    double z = (x - mu) / sigma;
                    terms[c] += -0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - logScale[c] - logMass[c];
                }
            }
        }
    }

    /** A categorical parameter: each kernel puts prior_weight/(n+1) on every choice and +1 on its own. */
    static final class Categorical implements Dimension {
        final double[][] probabilities;
        private final double[][] cumulative;

        private Categorical(double[][] probabilities) {
            this.probabilities = probabilities;
            this.cumulative = Arrays.stream(probabilities).map(ParzenEstimator::cumulative).toArray(double[][]::new);
        }

        static Categorical of(CategoricalParam param, double[] observations, boolean prior, double priorWeight) {
            int n = observations.length;
            int k = param.choices().size();
            double base = prior ? priorWeight / (n + 1) : priorWeight / n;
            double[][] rows = new double[prior ? n + 1 : n][k];
            for (int i = 0; i < rows.length; i++) {
                Arrays.fill(rows[i], base);
                if (i < n) {
                    rows[i][(int) observations[i]] += 1;
                }
                double sum = Arrays.stream(rows[i]).sum();
                for (int j = 0; j < k; j++) {
                    rows[i][j] /= sum;
                }
            }
            return new Categorical(rows);
        }

        @Override
        public double[] sample(int[] active, SplittableRandom random) {
            double[] out = new double[active.length];
            for (int i = 0; i < active.length; i++) {
                double[] c = cumulative[active[i]];
                double u = random.nextDouble();
                int index = 0;
                while (index < c.length - 1 && c[index] < u) {
                    index++;
                }
                out[i] = index;
            }
            return out;
        }

        @Override
        public void addLogKernels(double value, double[] terms) {
            int choice = (int) value;
            for (int c = 0; c < probabilities.length; c++) {
                terms[c] += Math.log(probabilities[c][choice]);
            }
        }
    }

    Dimension dimension(int d) {
        return dims[d];
    }
}

package dev.seer.training.tuning;

/**
 * Settings of {@link TpeSampler}. The first seven are named after Optuna 3.1.0's {@code TPESampler}
 * arguments; {@link #optuna310()} holds that version's defaults (consider_prior=True,
 * prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, n_startup_trials=10,
 * n_ei_candidates=24, multivariate=False, {@code default_gamma}, {@code default_weights}, no
 * bandwidth floor) and is the configuration checked for parity with Optuna.
 *
 * <p>The others follow Watanabe 2023 ("Tree-Structured Parzen Estimator: Understanding Its
 * Algorithm Components and Their Roles for Better Empirical Performance", arXiv 2304.11127):
 * {@code gamma} with {@code gammaBeta} is the splitting rule (how many trials go to "below"),
 * {@code weighting} the observations' weights in the mixtures, and {@code minBandwidthFactor} a
 * floor on a real or integer kernel's σ as a fraction of the parameter's range (0: none).
 * {@code bandwidthScale} multiplies the multivariate Scott-rule bandwidth (3.1's 0.2 magnitude).
 *
 * <p>{@code scaledKernelDensity}: false scores candidates as Optuna 3.1.0 does, whose
 * truncated-normal log density of a real parameter omits −log σ (its {@code _truncnorm.logpdf}
 * ignores the scale; later Optuna adds it); true uses the mixture's true density. On Branin and
 * Hartmann-6 at 50 trials over development seeds 200–299 (not the seeds reported in the
 * benchmark), 3.1.0's scoring gave median best values of 0.543 and −2.761 against Optuna 3.1.0's
 * 0.606 and −2.764, while the true density gave 0.656 and −2.477.
 */
public record TpeOptions(
        boolean considerPrior,
        double priorWeight,
        boolean considerMagicClip,
        boolean considerEndpoints,
        int startupTrials,
        int eiCandidates,
        boolean multivariate,
        boolean scaledKernelDensity,
        Gamma gamma,
        double gammaBeta,
        Weighting weighting,
        double minBandwidthFactor,
        double bandwidthScale) {

    /** How many of n ranked trials form "below". */
    public enum Gamma {
        /** Optuna's {@code default_gamma}: min(⌈0.1·n⌉, 25); gammaBeta is ignored. */
        OPTUNA,
        /** ⌈β·n⌉ (Watanabe's "linear"). */
        LINEAR,
        /** ⌈β·√n⌉ (Watanabe's "sqrt", Hyperopt's rule): below grows slower, more exploitative late. */
        SQRT
    }

    /** Weights of the observations' kernels in l and g (the prior's is priorWeight either way). */
    public enum Weighting {
        /** Optuna's {@code default_weights}: older trials beyond the latest 25 ramp down. */
        OPTUNA,
        /** Every observation weighs 1. */
        UNIFORM
    }

    public TpeOptions {
        if (!(priorWeight > 0) || !Double.isFinite(priorWeight)) {
            throw Specs.invalid("priorWeight", "TPE prior weight must be a positive number, got [" + priorWeight + "]");
        }
        if (startupTrials < 0) {
            throw Specs.invalid("startupTrials", "TPE start-up trials must be >= 0, got [" + startupTrials + "]");
        }
        if (eiCandidates < 1) {
            throw Specs.invalid("eiCandidates", "TPE needs at least one candidate, got [" + eiCandidates + "]");
        }
        if (gamma == null || weighting == null) {
            throw Specs.invalid("gamma", "TPE gamma and weighting must be set");
        }
        if (!(gammaBeta > 0) || !Double.isFinite(gammaBeta)) {
            throw Specs.invalid("gammaBeta", "TPE gamma beta must be a positive number, got [" + gammaBeta + "]");
        }
        if (!(bandwidthScale > 0) || !Double.isFinite(bandwidthScale)) {
            throw Specs.invalid("bandwidthScale", "TPE bandwidth scale must be a positive number, got [" + bandwidthScale + "]");
        }
        if (!(minBandwidthFactor >= 0 && minBandwidthFactor < 1)) {
            throw Specs.invalid("minBandwidthFactor", "TPE minimum bandwidth factor must be in [0, 1), got [" + minBandwidthFactor + "]");
        }
    }

    /** Seer's default: currently Optuna 3.1.0's (see the class comment). */
    public static TpeOptions defaults() {
        return optuna310();
    }

    /** Optuna 3.1.0's {@code TPESampler} defaults, the configuration the parity tests check. */
    public static TpeOptions optuna310() {
        return new TpeOptions(true, 1.0, true, false, 10, 24, false, false, Gamma.OPTUNA, 0.1, Weighting.OPTUNA, 0.0, 1.0);
    }

    public TpeOptions withMultivariate(boolean on) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, on,
                scaledKernelDensity, gamma, gammaBeta, weighting, minBandwidthFactor, bandwidthScale);
    }

    public TpeOptions withStartupTrials(int trials) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, trials, eiCandidates, multivariate,
                scaledKernelDensity, gamma, gammaBeta, weighting, minBandwidthFactor, bandwidthScale);
    }

    public TpeOptions withScaledKernelDensity(boolean on) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, multivariate,
                on, gamma, gammaBeta, weighting, minBandwidthFactor, bandwidthScale);
    }

    public TpeOptions withGamma(Gamma rule, double beta) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, multivariate,
                scaledKernelDensity, rule, beta, weighting, minBandwidthFactor, bandwidthScale);
    }

    public TpeOptions withWeighting(Weighting rule) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, multivariate,
                scaledKernelDensity, gamma, gammaBeta, rule, minBandwidthFactor, bandwidthScale);
    }

    public TpeOptions withMinBandwidthFactor(double factor) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, multivariate,
                scaledKernelDensity, gamma, gammaBeta, weighting, factor, bandwidthScale);
    }

    public TpeOptions withBandwidthScale(double scale) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, multivariate,
                scaledKernelDensity, gamma, gammaBeta, weighting, minBandwidthFactor, scale);
    }

    public TpeOptions withEndpoints(boolean on) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, on, startupTrials, eiCandidates, multivariate,
                scaledKernelDensity, gamma, gammaBeta, weighting, minBandwidthFactor, bandwidthScale);
    }

    /** How many of n ranked trials go to "below" under this rule: at least 1 (n ≥ 1), at most n. */
    int below(int n) {
        int k = switch (gamma) {
            case OPTUNA -> TpeSampler.defaultGamma(n);
            case LINEAR -> (int) Math.ceil(gammaBeta * n);
            case SQRT -> (int) Math.ceil(gammaBeta * Math.sqrt(n));
        };
        return Math.max(Math.min(k, n), Math.min(1, n));
    }
}

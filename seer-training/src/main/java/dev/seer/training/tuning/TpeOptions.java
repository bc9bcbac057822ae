package dev.seer.training.tuning;

/**
 * Settings of {@link TpeSampler}, named after Optuna 3.1.0's {@code TPESampler} arguments;
 * {@link #defaults()} holds that version's defaults (consider_prior=True, prior_weight=1.0,
 * consider_magic_clip=True, consider_endpoints=False, n_startup_trials=10, n_ei_candidates=24,
 * multivariate=False). Gamma and weights are Optuna's {@code default_gamma} and
 * {@code default_weights}.
 */
public record TpeOptions(
        boolean considerPrior,
        double priorWeight,
        boolean considerMagicClip,
        boolean considerEndpoints,
        int startupTrials,
        int eiCandidates,
        boolean multivariate) {
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
    }

    public static TpeOptions defaults() {
        return new TpeOptions(true, 1.0, true, false, 10, 24, false);
    }

    public TpeOptions withMultivariate(boolean on) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, startupTrials, eiCandidates, on);
    }

    public TpeOptions withStartupTrials(int trials) {
        return new TpeOptions(considerPrior, priorWeight, considerMagicClip, considerEndpoints, trials, eiCandidates, multivariate);
    }
}

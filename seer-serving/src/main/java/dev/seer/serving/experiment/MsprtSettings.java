package dev.seer.serving.experiment;

import static java.util.Objects.requireNonNull;

import dev.seer.core.SeerException;
import dev.seer.serving.ServingErrorCode;
import java.util.Map;

/**
 * The settings of one {@link Msprt}.
 *
 * @param outcome    what an outcome is (Bernoulli or continuous)
 * @param alpha      the level of the test and of its confidence sequence, in (0, 1)
 * @param effect     τ, the standard deviation of the normal mixing distribution of the difference of means, in
 *                   units of the outcome's standard deviation (σ̄, the root of the arms' mean variance): the size of
 *                   effect the test is tuned to find quickly; see {@link Msprt} on choosing it
 * @param minSamples outcomes each arm needs before the test says anything: below it the variance estimate, and
 *                   the normal approximation the test rests on, are too poor to trust
 */
public record MsprtSettings(Outcome outcome, double alpha, double effect, int minSamples) {
    /** The default standardised effect τ/σ̄. */
    public static final double DEFAULT_EFFECT = 0.1;
    /** The default number of outcomes per arm before the test speaks. */
    public static final int DEFAULT_MIN_SAMPLES = 100;

    public MsprtSettings {
        requireNonNull(outcome, "outcome is null");
        if (!(alpha > 0 && alpha < 1)) {
            throw invalid("alpha", "Alpha of a sequential test must be in (0, 1), not [" + alpha + "]");
        }
        if (!(effect > 0) || !Double.isFinite(effect)) {
            throw invalid("effect", "The effect size (tau) of a sequential test must be a positive number, not ["
                    + effect + "]");
        }
        if (minSamples < 2) {
            throw invalid("min-samples", "A sequential test needs at least [2] outcomes per arm before it speaks, not ["
                    + minSamples + "]");
        }
    }

    /** Alpha 0.05, τ = 0.1 σ̄, 100 outcomes per arm before the test speaks. */
    public static MsprtSettings defaults(Outcome outcome) {
        return new MsprtSettings(outcome, 0.05, DEFAULT_EFFECT, DEFAULT_MIN_SAMPLES);
    }

    private static SeerException invalid(String field, String message) {
        return new SeerException(ServingErrorCode.INVALID_ARGUMENT, message, Map.of("field", field));
    }
}

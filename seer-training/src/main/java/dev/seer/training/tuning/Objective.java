package dev.seer.training.tuning;

/**
 * The function a study optimises. Returning a number completes the trial; throwing {@link Pruned}
 * or returning after {@link TrialContext#report} said stop records it PRUNED; any other exception,
 * or a NaN, records it FAILED. An {@link Error} is not caught: it stops the study (as a kill would).
 */
@FunctionalInterface
public interface Objective {
    double evaluate(TrialContext trial) throws Exception;
}

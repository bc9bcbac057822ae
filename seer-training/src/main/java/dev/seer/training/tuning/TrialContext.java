package dev.seer.training.tuning;

import java.util.Map;

/** What an objective sees of its trial: the parameters to evaluate and a way to report progress. */
public interface TrialContext {
    Map<String, Object> params();

    int number();

    /**
     * Reports an intermediate value (e.g. the validation loss after {@code step} boosting rounds).
     * A step already reported is ignored, as in Optuna.
     *
     * @return true when the trial should stop now: it will be recorded PRUNED whatever the
     *     objective returns (returning or throwing {@link Pruned} are both fine)
     */
    boolean report(long step, double value);
}

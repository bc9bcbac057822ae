package dev.seer.training.tuning;

/** Where a trial stands; only RUNNING is not final (a study interrupted leaves trials RUNNING). */
public enum TrialState {
    RUNNING,
    COMPLETE,
    /** Stopped early by the pruner; its intermediate values are kept, it has no final value. */
    PRUNED,
    /** The objective threw or returned NaN. */
    FAILED
}

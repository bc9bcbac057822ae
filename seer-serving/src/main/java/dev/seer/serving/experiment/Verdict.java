package dev.seer.serving.experiment;

/** What to do with a challenger. */
public enum Verdict {
    /** Keep collecting outcomes. */
    CONTINUE,
    /** The challenger is significantly better: promote it (through the registry's gate). */
    PROMOTE,
    /** A guardrail is breached, or the challenger is significantly worse: take it out of the deployment. */
    ROLLBACK
}

package dev.seer.training.tuning;

import java.util.List;

/** Decides, at each intermediate report, whether a trial should stop early. */
public interface Pruner {
    /**
     * Whether to stop {@code trial}, which has just reported {@code value} at {@code step}.
     *
     * @param trial the trial so far: its intermediate map holds the values reported before this one
     * @param others the finished trials this trial is compared with, in number order (the study
     *     passes the same history its sampler saw, so the decision is repeatable)
     * @return true to stop the trial now (it is then recorded PRUNED)
     */
    boolean prune(Trial trial, long step, double value, List<Trial> others, Direction direction);
}
